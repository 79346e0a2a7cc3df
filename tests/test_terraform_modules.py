"""Every module's own `terraform test` suite, run offline (mocked AWS provider) from pytest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

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


def _modules() -> list[str]:
    return sorted(d.name for d in MODULES_DIR.iterdir() if d.is_dir() and any(d.glob("*.tf")))


def test_every_module_has_terraform_tests() -> None:
    assert [m for m in _modules() if m not in _modules_with_terraform_tests()] == []


@pytest.mark.parametrize("module", _modules())
def test_module_keeps_the_shared_file_layout(module: str) -> None:
    # modules/README.md#layout: the same files everywhere, and one locals block that opens main.tf.
    module_dir = MODULES_DIR / module
    assert sorted(p.name for p in module_dir.glob("*.tf")) == ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
    assert (module_dir / "README.md").is_file()
    blocks = re.findall(r"^(locals|data|resource|module|variable|output|terraform)\b", (module_dir / "main.tf").read_text(), re.M)
    assert blocks.count("locals") <= 1 and (blocks[0] == "locals" or "locals" not in blocks), blocks
    for name in ("outputs.tf", "variables.tf", "versions.tf"):
        assert not re.search(r"^locals\b", (module_dir / name).read_text(), re.M), name


@pytest.mark.parametrize("module", _modules())
def test_every_run_block_states_its_command(module: str) -> None:
    missing = [
        f"{path.name}: {name}"
        for path in sorted((MODULES_DIR / module).glob("tests/*.tftest.hcl"))
        for name, body in re.findall(r'^run "([^"]+)" \{\n(.*?)^\}', path.read_text(), re.M | re.S)
        if not re.search(r"^  command = (plan|apply)$", body, re.M)
    ]
    assert missing == []


@pytest.mark.parametrize("module", _modules())
def test_module_ships_a_minimal_example(module: str) -> None:
    example = MODULES_DIR / module / "examples" / "minimal"
    assert (example / "README.md").is_file()
    assert re.search(r'^  source = "\.\./\.\./"$', (example / "main.tf").read_text(), re.M)


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
