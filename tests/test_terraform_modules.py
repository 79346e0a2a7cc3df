"""Every module's own `terraform test` suite, run offline (mocked AWS provider) from pytest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

MODULES_DIR = REPO_ROOT / "modules"


def _modules_with_terraform_tests() -> list[str]:
    return sorted(d.name for d in MODULES_DIR.iterdir() if d.is_dir() and any(d.glob("tests/*.tftest.hcl")))


def _terraform(args: list[str], cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # Providers come only from the machine's mirror; the data dir is private to this test.
        "TF_CLI_CONFIG_FILE": str(REPO_ROOT / "terraform.rc"),
        "TF_DATA_DIR": str(data_dir),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    return subprocess.run(["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_every_module_has_terraform_tests() -> None:
    modules = sorted(d.name for d in MODULES_DIR.iterdir() if d.is_dir() and any(d.glob("*.tf")))
    assert [m for m in modules if m not in _modules_with_terraform_tests()] == []


@pytest.mark.integration
@pytest.mark.parametrize("module", _modules_with_terraform_tests())
def test_terraform_module_tests_pass_offline(module: str, tmp_path: Path) -> None:
    # A copy of modules/ (sibling references keep working) so that init's lock file and any
    # state stay out of the working tree and parallel runs never share a directory.
    modules = shutil.copytree(MODULES_DIR, tmp_path / "modules", ignore=shutil.ignore_patterns(".terraform*", "__pycache__"))
    workdir = modules / module
    data_dir = tmp_path / "tf-data"

    init = _terraform(["init", "-backend=false", "-input=false", "-no-color"], workdir, data_dir)
    assert init.returncode == 0, init.stdout + init.stderr

    result = _terraform(["test", "-no-color"], workdir, data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = re.search(r"Success! (\d+) passed, 0 failed", result.stdout)
    assert summary is not None and int(summary.group(1)) > 0, result.stdout
