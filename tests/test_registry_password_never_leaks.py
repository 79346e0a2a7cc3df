"""The registry password appears in no output, log line or file of the registry tooling."""

from __future__ import annotations

import os
from pathlib import Path

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


def files_under(root: Path) -> list[Path]:
    found = []
    for directory, _, names in os.walk(root):  # does not follow the .venv symlink
        found += [
            Path(directory) / name for name in names if not (Path(directory) / name).is_symlink()
        ]
    return found


def test_registry_commands_never_print_log_or_write_the_password(
    repo_copy: Path, registry: Registry, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    reset_inputs(repo_copy)
    write_environment(
        repo_copy, registry.host, create_secret(moto_server, registry.username, registry.password)
    )
    write_catalog_entry(repo_copy, "demo", registry.image("ml/demo", "v1"))
    write_catalog_entry(repo_copy, "missing", registry.image("ml/demo", "no-such-tag"))
    ca = ("--ca-bundle", str(registry.ca_file))
    override = {
        "REGISTRY_HOST": registry.host,
        "REGISTRY_USERNAME": registry.username,
        "REGISTRY_PASSWORD": registry.password,
    }
    runs = [
        (("registry", "pin", *ca), {}),  # fails on the missing tag, after logging in
        (("registry", "pin", *ca), override),
        (("registry", "pin", "--env", ENVIRONMENT, *ca), {}),
    ]
    outputs = []
    for args, extra in runs:
        outputs.append(
            run_generator(*args, cwd=repo_copy, env={**aws_environ(moto_server), **extra})
        )
    (repo_copy / "catalog" / "missing.yaml").unlink()
    for args, extra in [
        (("registry", "pin", *ca), {}),
        (("registry", "check", "--env", ENVIRONMENT, *ca), {}),
        (("registry", "check", "--env", ENVIRONMENT, *ca), override),
        (("registry", "check", "--env", ENVIRONMENT), {}),
    ]:
        outputs.append(
            run_generator(*args, cwd=repo_copy, env={**aws_environ(moto_server), **extra})
        )

    assert [r.returncode for r in outputs] == [1, 1, 1, 0, 0, 0, 1]  # each path ran, as intended
    assert not [r.args for r in outputs if registry.password in r.stdout + r.stderr]
    assert not [p for p in files_under(repo_copy) if registry.password.encode() in p.read_bytes()]
    assert registry.password not in registry.log_file.read_text()
