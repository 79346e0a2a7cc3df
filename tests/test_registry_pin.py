"""`python -m generator registry pin` against the real registry the session fixture runs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from textwrap import dedent

import pytest

from tests.helpers import run_generator
from tests.registry_fixture import Registry
from tests.registry_repo import (
    ENVIRONMENT,
    aws_environ,
    create_secret,
    reset_inputs,
    write_catalog_entry,
    write_environment,
)

pytestmark = [pytest.mark.integration, pytest.mark.registry]


@pytest.fixture
def repo(
    repo_copy: Path, registry: Registry, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A repository copy whose `regtest` environment logs in with the registry's real login."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    reset_inputs(repo_copy)
    write_environment(
        repo_copy, registry.host, create_secret(moto_server, registry.username, registry.password)
    )
    return repo_copy


def pin(
    repo: Path, registry: Registry, moto_server: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return run_generator(
        "registry", "pin", "--ca-bundle", str(registry.ca_file), *args,
        cwd=repo, env={**aws_environ(moto_server), **env},
    )  # fmt: skip


def errors(result: subprocess.CompletedProcess[str]) -> str:
    """stderr after the private-CA warning that every --ca-bundle run starts with."""
    warning, _, rest = result.stderr.partition("\n")
    assert warning.startswith("WARNING: verifying TLS against the private CA bundle ")
    return rest


def test_pin_replaces_a_tag_with_the_digest_skopeo_pushed(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    path = write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))

    result = pin(repo, registry, moto_server)

    digest = registry.digests["ml/demo:v1"]
    assert result.returncode == 0, result.stderr
    assert f"image: {registry.host}/ml/demo@{digest}\n" in path.read_text()
    assert result.stdout == (
        f"catalog/demo.yaml: image: {registry.host}/ml/demo:v1 -> {registry.host}/ml/demo@{digest}\n"
        "pinned 1 image in 1 catalog file\n"
    )


def test_pin_output_passes_validation(repo: Path, registry: Registry, moto_server: str) -> None:
    write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))
    assert run_generator("validate", cwd=repo).returncode == 2

    pin(repo, registry, moto_server)

    validated = run_generator("validate", cwd=repo)
    assert validated.returncode == 0, validated.stderr


def test_pin_resolves_a_multi_platform_tag_to_its_index_digest(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    path = write_catalog_entry(repo, "multi", registry.image("ml/multi", "v1"))

    result = pin(repo, registry, moto_server)

    assert result.returncode == 0, result.stderr
    assert (
        f"image: {registry.host}/ml/multi@{registry.digests['ml/multi:v1']}\n" in path.read_text()
    )


def test_pin_keeps_comments_key_order_and_quoting(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    original = dedent(
        f"""\
        # Demo model. The tag below is resolved by `registry pin`.
        name: demo
        description: "A description long enough that a YAML dumper with default settings would fold it onto two lines"
        image: "{registry.image("ml/demo", "v1")}"  # release candidate
        instance_type: ml.m5.large   # cheapest that fits
        initial_instance_count: 1
        tags: {{team: ml, product: demo}}
        environments:
          {ENVIRONMENT}:
            image: '{registry.image("ml/demo", "v2")}'
        """
    )
    path = repo / "catalog" / "demo.yaml"
    path.write_text(original)

    result = pin(repo, registry, moto_server)

    assert result.returncode == 0, result.stderr
    expected = original.replace(
        f'"{registry.image("ml/demo", "v1")}"',
        f'"{registry.host}/ml/demo@{registry.digests["ml/demo:v1"]}"',
    ).replace(
        f"'{registry.image('ml/demo', 'v2')}'",
        f"'{registry.host}/ml/demo@{registry.digests['ml/demo:v2']}'",
    )
    assert path.read_text() == expected


def test_pin_dry_run_prints_the_change_and_writes_nothing(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    path = write_catalog_entry(repo, "demo", registry.image("ml/demo", "v2"))
    before = path.read_text()

    result = pin(repo, registry, moto_server, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert path.read_text() == before
    assert result.stdout == (
        f"catalog/demo.yaml: image: {registry.host}/ml/demo:v2 -> "
        f"{registry.host}/ml/demo@{registry.digests['ml/demo:v2']}\n"
        "would pin 1 image in 1 catalog file (dry run: nothing written)\n"
    )


def test_pin_with_env_pins_only_what_that_environment_deploys(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    write_environment(
        repo,
        registry.host,
        create_secret(moto_server, registry.username, registry.password),
        "later",
    )
    path = write_catalog_entry(
        repo,
        "demo",
        registry.image("ml/demo", "v1"),
        environments=f"  {ENVIRONMENT}: {{}}\n  later:\n    image: {registry.image('ml/demo', 'v2')}\n",
    )

    result = pin(repo, registry, moto_server, "--env", "later")

    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert f"image: {registry.image('ml/demo', 'v1')}\n" in text
    assert f"image: {registry.host}/ml/demo@{registry.digests['ml/demo:v2']}\n" in text
    assert result.stdout.endswith("pinned 1 image in 1 catalog file for environment later\n")


def test_pin_fails_on_an_unknown_tag_and_writes_nothing(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    good = write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))
    write_catalog_entry(repo, "missing", registry.image("ml/demo", "v9"))
    before = good.read_text()

    result = pin(repo, registry, moto_server)

    assert result.returncode == 1
    assert good.read_text() == before
    assert errors(result) == (
        "error: fix the problems below; no catalog file was changed\n"
        f"  catalog/missing.yaml: image: fix: push {registry.image('ml/demo', 'v9')} or correct the tag "
        "— the registry has no manifest for tag 'v9'\n"
    )


def test_pin_takes_the_login_from_the_environment_variable_override(
    repo_copy: Path, registry: Registry, moto_server: str
) -> None:
    reset_inputs(repo_copy)
    absent = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sagemaker-gitops/registry/absent-AbCdEf"
    write_environment(repo_copy, registry.host, absent)
    path = write_catalog_entry(repo_copy, "demo", registry.image("ml/demo", "v1"))

    result = pin(
        repo_copy,
        registry,
        moto_server,
        REGISTRY_HOST=registry.host,
        REGISTRY_USERNAME=registry.username,
        REGISTRY_PASSWORD=registry.password,
    )

    assert result.returncode == 0, result.stderr
    assert registry.digests["ml/demo:v1"] in path.read_text()


def test_pin_reports_a_refused_login(repo: Path, registry: Registry, moto_server: str) -> None:
    write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))

    result = pin(
        repo, registry, moto_server,
        REGISTRY_HOST=registry.host, REGISTRY_USERNAME=registry.username, REGISTRY_PASSWORD="wrong",
    )  # fmt: skip

    assert result.returncode == 1
    assert errors(result) == (
        "error: fix the problems below; no catalog file was changed\n"
        "  catalog/demo.yaml: image: fix: correct the registry login (REGISTRY_USERNAME/REGISTRY_PASSWORD) "
        f"— {registry.host} refused it for ml/demo\n"
    )


def test_pin_refuses_half_a_login_override(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))

    result = pin(repo, registry, moto_server, REGISTRY_USERNAME=registry.username)

    assert result.returncode == 2
    assert errors(result) == (
        "error: fix: set REGISTRY_PASSWORD as well, or unset both — the login override needs "
        "REGISTRY_USERNAME and REGISTRY_PASSWORD together\n"
    )


def test_pin_refuses_a_login_override_without_registry_host(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    path = write_catalog_entry(repo, "demo", registry.image("ml/demo", "v1"))

    result = pin(
        repo,
        registry,
        moto_server,
        REGISTRY_USERNAME=registry.username,
        REGISTRY_PASSWORD=registry.password,
    )

    assert result.returncode == 2
    assert errors(result) == (
        "error: fix: set REGISTRY_HOST to the host of the registry this login is for (its `host` in "
        "environment.yaml, e.g. registry.ml.example.com) — REGISTRY_USERNAME/REGISTRY_PASSWORD "
        "are sent to that one registry only\n"
    )
    assert path.read_text().endswith("environments:\n  regtest: {}\n")
    assert ":v1\n" in path.read_text()


def test_pin_says_so_when_every_image_is_pinned(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    write_catalog_entry(repo, "demo", f"{registry.host}/ml/demo@{registry.digests['ml/demo:v1']}")

    result = pin(repo, registry, moto_server)

    assert (result.returncode, result.stdout) == (
        0,
        "ok: every catalog image is pinned by digest\n",
    )


def test_pin_fails_on_an_image_from_no_environments_registry(
    repo: Path, registry: Registry, moto_server: str
) -> None:
    write_catalog_entry(repo, "demo", "elsewhere.example.com/ml/demo:v1")

    result = pin(repo, registry, moto_server)

    assert result.returncode == 1
    assert errors(result) == (
        "error: fix the problems below; no catalog file was changed\n"
        "  catalog/demo.yaml: image: fix: add elsewhere.example.com to the registries of an environment "
        "that deploys it — no environment has a registry at elsewhere.example.com\n"
    )
