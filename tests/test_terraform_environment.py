"""The environment the project's runner gives every Terraform command."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.states import State
from generator.deploy.terraform import TerraformRunner


def _environ(root: Path) -> dict[str, str]:
    return TerraformRunner(root=root, state=State("local", "default"), backend_key="k").environ()


def test_terraform_collects_garbage_less_often_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOGC", raising=False)

    assert _environ(tmp_path)["GOGC"] == "400"


def test_an_operators_gogc_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOGC", "100")

    assert _environ(tmp_path)["GOGC"] == "100"


def test_each_state_has_its_own_data_dir_and_the_projects_cli_config(tmp_path: Path) -> None:
    env = _environ(tmp_path)

    assert env["TF_DATA_DIR"] == str((tmp_path / "build" / "local" / "default" / ".terraform").resolve())
    assert env["TF_CLI_CONFIG_FILE"] == str((tmp_path / "terraform.rc").resolve())
