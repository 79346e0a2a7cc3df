"""`python -m generator registry check` against the real registry, and against a web server
that is not a registry."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import run_generator
from tests.registry_fixture import Registry, make_certificates
from tests.registry_repo import (
    ENVIRONMENT,
    aws_environ,
    create_secret,
    registry_entry,
    reset_inputs,
    write_catalog_entry,
    write_environment,
)
from tests.registry_token_server import BearerRegistry

pytestmark = [pytest.mark.integration, pytest.mark.registry]


@pytest.fixture
def secret_arn(registry: Registry, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return create_secret(moto_server, registry.username, registry.password)


@pytest.fixture
def repo(repo_copy: Path, registry: Registry, secret_arn: str) -> Path:
    """`regtest` deploys endpoint `demo`, pinned to ml/demo:v1, from the test registry."""
    reset_inputs(repo_copy)
    write_environment(repo_copy, registry.host, secret_arn)
    write_catalog_entry(
        repo_copy, "demo", f"{registry.host}/ml/demo@{registry.digests['ml/demo:v1']}"
    )
    return repo_copy


def check(repo: Path, moto_server: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_generator(
        "registry",
        "check",
        "--env",
        ENVIRONMENT,
        *args,
        cwd=repo,
        env={**aws_environ(moto_server), **env},
    )


def rows(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, str]]:
    """(check, result, detail) of each table row; columns are separated by two or more spaces."""
    table = result.stdout.splitlines()[2:-1]
    return [tuple(re.split(r" {2,}", line, maxsplit=3)[1:]) for line in table]  # type: ignore[misc]


def test_check_passes_with_the_right_ca_and_login(
    repo: Path, registry: Registry, moto_server: str, secret_arn: str
) -> None:
    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    digest = registry.digests["ml/demo:v1"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "registry check for environment regtest\n"
        "REGISTRY  CHECK            RESULT  DETAIL\n"
        f"platform  TLS certificate  PASS    chain verifies against PRIVATE CA {registry.ca_file} only "
        "— SageMaker would reject it\n"
        "platform  V2 API           PASS    Docker-Distribution-API-Version: registry/2.0\n"
        f"platform  credentials      PASS    user sagemaker-pull from secret {secret_arn}\n"
        "platform  login            PASS    GET /v2/ answered 200 (basic auth)\n"
        f"platform  image demo       PASS    ml/demo@{digest} present\n"
        "ok: all 5 checks passed\n"
    )


def test_check_passes_through_bearer_token_auth_at_a_listed_token_host(
    repo: Path, bearer_registry: BearerRegistry, moto_server: str, secret_arn: str
) -> None:
    write_environment(
        repo,
        bearer_registry.host,
        secret_arn,
        auth="bearer",
        token_hosts=(bearer_registry.token_host,),
    )
    write_catalog_entry(
        repo, "demo", f"{bearer_registry.host}/ml/demo@{bearer_registry.digests['ml/demo:v2']}"
    )

    result = check(repo, moto_server, "--ca-bundle", str(bearer_registry.ca_file))

    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(result)[3] == ("login", "PASS", "GET /v2/ answered 200 (bearer auth)")


def test_check_refuses_to_send_the_login_to_a_token_host_that_is_not_listed(
    repo: Path, bearer_registry: BearerRegistry, moto_server: str, secret_arn: str
) -> None:
    write_environment(repo, bearer_registry.host, secret_arn, auth="bearer")
    write_catalog_entry(
        repo, "demo", f"{bearer_registry.host}/ml/demo@{bearer_registry.digests['ml/demo:v2']}"
    )
    already = len(bearer_registry.token_requests)

    result = check(repo, moto_server, "--ca-bundle", str(bearer_registry.ca_file))

    assert result.returncode == 1
    assert rows(result)[3] == (
        "login",
        "FAIL",
        f"fix: add {bearer_registry.token_host} to registries.platform.token_hosts in environment.yaml if "
        f"it is the registry's real token service — the registry {bearer_registry.host} asks for its login "
        f"to be sent to {bearer_registry.token_host}, which is neither the registry nor one of its "
        "token_hosts; the login was not sent",
    )
    assert bearer_registry.token_requests[already:] == []


def test_check_uses_the_login_override_only_for_the_registry_host_it_names(
    repo: Path,
    registry: Registry,
    bearer_registry: BearerRegistry,
    moto_server: str,
    secret_arn: str,
) -> None:
    mirror = registry_entry(
        "mirror",
        bearer_registry.host,
        secret_arn,
        "bearer",
        (bearer_registry.token_host,),
        "sg-0a1b2c3d4e5f60003",
    )
    write_environment(repo, registry.host, secret_arn, more_registries=mirror)

    result = check(
        repo, moto_server, "--ca-bundle", str(registry.ca_file),
        REGISTRY_HOST=registry.host, REGISTRY_USERNAME="robot", REGISTRY_PASSWORD="robot-password",
    )  # fmt: skip

    table = [
        tuple(re.split(r" {2,}", line, maxsplit=3)) for line in result.stdout.splitlines()[2:-1]
    ]
    assert [row for row in table if row[1] in ("credentials", "login")] == [
        ("mirror", "credentials", "PASS", f"user sagemaker-pull from secret {secret_arn}"),
        ("mirror", "login", "PASS", "GET /v2/ answered 200 (bearer auth)"),
        ("platform", "credentials", "PASS", "user robot from REGISTRY_USERNAME/REGISTRY_PASSWORD"),
        (
            "platform",
            "login",
            "FAIL",
            "fix: correct the login in REGISTRY_USERNAME/REGISTRY_PASSWORD — the registry refused user robot (401)",
        ),
    ]


def test_check_refuses_a_login_override_without_registry_host(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    result = check(
        repo, moto_server, "--ca-bundle", str(registry.ca_file),
        REGISTRY_USERNAME=registry.username, REGISTRY_PASSWORD=registry.password,
    )  # fmt: skip

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "error: fix: set REGISTRY_HOST to the host of the registry this login is for (its `host` in "
        "environment.yaml, e.g. registry.ml.example.com) — REGISTRY_USERNAME/REGISTRY_PASSWORD "
        "are sent to that one registry only"
    )


def test_check_says_loudly_that_a_private_ca_is_trusted(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    assert result.stderr.splitlines()[0] == (
        f"WARNING: verifying TLS against the private CA bundle {registry.ca_file}, NOT the system trust "
        "store. SageMaker trusts only public CAs: a registry that passes only this way cannot serve SageMaker."
    )


def test_check_shows_progress_per_registry_on_stderr(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    progress = [line for line in result.stderr.splitlines() if line.startswith("==> ")]
    assert progress and all(line.startswith("==> checking registry ") for line in progress)
    assert "TLS, V2 API, login, " in progress[0]


def test_check_fails_on_a_self_signed_chain_without_ca_bundle(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    result = check(repo, moto_server)

    assert result.returncode == 1
    assert rows(result) == [
        (
            "TLS certificate",
            "FAIL",
            "fix: serve a certificate chain from a public CA (or pass --ca-bundle for a private test "
            f"registry) — certificate of {registry.host} does not verify: unable to get local issuer certificate",
        ),
        ("V2 API", "SKIP", "skipped: TLS certificate failed"),
        ("credentials", "SKIP", "skipped: TLS certificate failed"),
        ("login", "SKIP", "skipped: TLS certificate failed"),
        ("image demo", "SKIP", "skipped: TLS certificate failed"),
    ]
    assert result.stdout.endswith("FAILED: 1 of 5 checks failed, 4 skipped\n")


def test_check_fails_on_a_wrong_login(repo: Path, registry: Registry, moto_server: str) -> None:
    wrong = create_secret(moto_server, registry.username, "not-the-password")
    write_environment(repo, registry.host, wrong)

    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    assert result.returncode == 1
    assert rows(result)[3:] == [
        (
            "login",
            "FAIL",
            f"fix: correct the login in secret {wrong} — the registry refused user sagemaker-pull (401)",
        ),
        ("image demo", "SKIP", "skipped: login failed"),
    ]


def test_check_reports_every_digest_the_registry_does_not_have(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    missing = "sha256:" + hashlib.sha256(b"never pushed").hexdigest()
    write_catalog_entry(repo, "demo", f"{registry.host}/ml/demo@{missing}")
    write_catalog_entry(repo, "later", f"{registry.host}/ml/demo@{registry.digests['ml/demo:v2']}")
    write_catalog_entry(repo, "multi", f"{registry.host}/ml/multi@{missing}")

    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    assert result.returncode == 1
    assert rows(result)[4:] == [
        (
            "image demo",
            "FAIL",
            "fix: push the image, or pin a digest the registry has (python -m generator registry pin) "
            f"— ml/demo@{missing} of endpoint demo is not in the registry",
        ),
        ("image later", "PASS", f"ml/demo@{registry.digests['ml/demo:v2']} present"),
        (
            "image multi",
            "FAIL",
            "fix: push the image, or pin a digest the registry has (python -m generator registry pin) "
            f"— ml/multi@{missing} of endpoint multi is not in the registry",
        ),
    ]
    assert result.stdout.endswith("FAILED: 2 of 7 checks failed, 0 skipped\n")


def test_check_fails_on_a_secret_the_lambda_would_refuse(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    arn = create_secret(moto_server, registry.username, "")
    write_environment(repo, registry.host, arn)

    result = check(repo, moto_server, "--ca-bundle", str(registry.ca_file))

    assert result.returncode == 1
    assert rows(result)[2] == (
        "credentials",
        "FAIL",
        f"fix: set non-empty string fields 'username' and 'password' in secret {arn} — missing or empty: password",
    )


class NotARegistry(http.server.BaseHTTPRequestHandler):
    """An ordinary web server: 200 and a page for every path, no registry API header."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.dumps({"hello": "world"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 (its own test CA) that is not a registry: (host, CA file)."""
    ca_file, cert, key = make_certificates(tmp_path / "tls", "not-a-registry test CA")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotARegistry)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", ca_file
    finally:
        server.shutdown()
        server.server_close()


def test_check_fails_on_a_server_that_is_not_a_v2_registry(
    repo: Path, moto_server: str, secret_arn: str, web_server: tuple[str, Path]
) -> None:
    host, ca_file = web_server
    write_environment(repo, host, secret_arn)
    write_catalog_entry(repo, "demo", f"{host}/ml/demo@sha256:{'0' * 64}")

    result = check(repo, moto_server, "--ca-bundle", str(ca_file))

    assert result.returncode == 1
    assert rows(result)[1] == (
        "V2 API",
        "FAIL",
        "fix: point registries.platform.host at a Docker Registry HTTP API V2 server "
        "— GET /v2/ answered 200 without Docker-Distribution-API-Version",
    )


def test_check_fails_when_nothing_listens(repo: Path, moto_server: str, secret_arn: str) -> None:
    write_environment(repo, "127.0.0.1:9", secret_arn)  # the discard port: closed on loopback
    write_catalog_entry(repo, "demo", f"127.0.0.1:9/ml/demo@sha256:{'0' * 64}")

    result = check(repo, moto_server)

    assert result.returncode == 1
    assert rows(result)[0] == (
        "TLS certificate",
        "FAIL",
        "fix: check registries.platform.host and the network path — cannot connect to 127.0.0.1:9: Connection refused",
    )


def test_check_rejects_an_unknown_environment(repo: Path, moto_server: str) -> None:
    result = run_generator(
        "registry", "check", "--env", "nowhere", cwd=repo, env=aws_environ(moto_server)
    )

    assert (result.returncode, result.stderr) == (
        2,
        "error: fix: use one of the environments (regtest) — environment 'nowhere' does not exist\n",
    )
