"""Shared fixtures: a throw-away copy of the repository, and an AWS emulator per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.deploy.terraform import GO_RUNTIME
from tests.helpers import REPO_ROOT, copy_repository
from tests.registry_fixture import registry  # noqa: F401  (session fixture: a real TLS registry)
from tests.registry_token_server import bearer_registry  # noqa: F401  (the same, token auth)

# Tests that start Terraform themselves (`terraform test` of the modules, the rules parity, the
# policy fixtures) run it with the Go runtime settings of the project's runner, like the rest.
for _name, _value in GO_RUNTIME.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


@pytest.fixture
def examples_root() -> Path:
    """The repository itself, read-only: tests must not write into it."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One emulator (the project's own launcher) for the whole session; always stopped."""
    from generator.emulator import launcher as emulator

    root = tmp_path_factory.mktemp("moto")
    server = emulator.start(root)
    try:
        yield server.url
    finally:
        emulator.stop(root)
