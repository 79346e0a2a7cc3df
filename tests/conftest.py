"""Shared fixtures: a throw-away copy of the repository, and an AWS emulator per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.registry_fixture import registry  # noqa: F401  (session fixture: a real TLS registry)
from tests.registry_token_server import bearer_registry  # noqa: F401  (the same, token auth)

REPO_ROOT = Path(__file__).resolve().parent.parent
# What a working copy needs to render and plan; build output and virtualenvs are left out.
REPO_CONTENT = ("catalog", "environments", "modules", "terraform", "terraform.rc", "Makefile", "pyproject.toml", "generator", "schemas")


def copy_repository(target: Path) -> Path:
    """A private copy of the repository (its own build/ dir, state and emulator), sharing .venv."""
    target.mkdir(parents=True, exist_ok=True)
    for name in REPO_CONTENT:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".terraform", "*.tfstate*"))
        elif source.exists():
            shutil.copy2(source, target / name)
    venv = REPO_ROOT / ".venv"
    if venv.exists():
        (target / ".venv").symlink_to(venv)
    return target


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


@pytest.fixture
def examples_root() -> Path:
    """The repository itself, read-only: tests must not write into it."""
    return REPO_ROOT


def run_generator(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ...` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One emulator (the project's own launcher) for the whole session; always stopped."""
    from generator import emulator

    root = tmp_path_factory.mktemp("moto")
    server = emulator.start(root)
    try:
        yield server.url
    finally:
        emulator.stop(root)
