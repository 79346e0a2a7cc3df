"""`make new-endpoint` with an image given by tag: the digest comes from the real registry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import run_generator
from tests.registry_fixture import Registry
from tests.registry_repo import (
    ENVIRONMENT,
    aws_environ,
    create_secret,
    reset_inputs,
    write_environment,
)

pytestmark = [pytest.mark.integration, pytest.mark.registry]


@pytest.fixture
def repo(repo_copy: Path, registry: Registry, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository copy whose only environment pulls from the test registry with its real login."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    reset_inputs(repo_copy)
    write_environment(repo_copy, registry.host, create_secret(moto_server, registry.username, registry.password))
    return repo_copy


def scaffold(repo: Path, registry: Registry, moto_server: str, image: str):
    return run_generator(
        "new-endpoint", "--name", "demo", "--image", image, "--envs", ENVIRONMENT, "--ca-bundle", str(registry.ca_file),
        cwd=repo, env=aws_environ(moto_server),
    )  # fmt: skip


def test_new_endpoint_pins_a_tag_to_the_digest_the_registry_holds(repo: Path, registry: Registry, moto_server: str) -> None:
    result = scaffold(repo, registry, moto_server, registry.image("ml/demo", "v1"))

    assert result.returncode == 0, result.stderr
    image = yaml.safe_load((repo / "catalog" / "demo.yaml").read_text())["image"]
    assert image == f"{registry.host}/ml/demo@{registry.digests['ml/demo:v1']}"
    assert run_generator("validate", cwd=repo).returncode == 0


def test_new_endpoint_refuses_a_tag_the_registry_does_not_have(repo: Path, registry: Registry, moto_server: str) -> None:
    result = scaffold(repo, registry, moto_server, registry.image("ml/demo", "no-such-tag"))

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: fix: push {registry.host}/ml/demo:no-such-tag or correct the tag, or give IMAGE as "
        f"{registry.host}/ml/demo@sha256:<64 lowercase hex> — the registry has no manifest for tag 'no-such-tag'"
    )
    assert not (repo / "catalog" / "demo.yaml").exists()


def test_new_endpoint_puts_the_registry_fix_and_the_digest_alternative_first(repo: Path, registry: Registry, moto_server: str) -> None:
    result = run_generator(
        "new-endpoint", "--name", "demo", "--image", registry.image("ml/demo", "v1"), "--envs", ENVIRONMENT,
        "--ca-bundle", str(registry.ca_file),
        cwd=repo,
        env={**aws_environ(moto_server), "REGISTRY_HOST": registry.host, "REGISTRY_USERNAME": "nobody", "REGISTRY_PASSWORD": "wrong"},
    )  # fmt: skip

    assert result.returncode == 2
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: fix: ")
    fix, _, detail = last.partition(" — ")
    assert fix.endswith(f", or give IMAGE as {registry.host}/ml/demo@sha256:<64 lowercase hex>")
    assert detail
    assert not (repo / "catalog" / "demo.yaml").exists()
