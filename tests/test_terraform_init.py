"""TerraformRunner.init: runs `terraform init` only when something init reads has changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.catalog.states import State
from generator.deploy.terraform import TerraformRunner


class RecordingRunner(TerraformRunner):
    """Records init calls instead of running Terraform.

    The real init needs the S3 backend of an emulator; what is under test here is only the
    decision whether to run it (the real init is covered end to end by tests/test_make_plan.py).
    Like Terraform, a successful init leaves the backend state file in the data dir.
    """

    calls: int = 0

    def run(self, command: str, *args: str, ok_codes=(0,), **options: object) -> subprocess.CompletedProcess[str]:  # type: ignore[override]
        assert command == "init"
        self.calls += 1
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "terraform.tfstate").write_text("{}")
        return subprocess.CompletedProcess([command], 0, "", "")


@pytest.fixture
def runner(repo_copy: Path) -> RecordingRunner:
    return RecordingRunner(root=repo_copy, state=State("local", "default"), backend_key="sagemaker-gitops/local/groups/default.tfstate")


def test_init_runs_terraform_in_a_new_data_dir(runner: RecordingRunner) -> None:
    assert runner.init() is True
    assert runner.calls == 1


def test_init_skips_terraform_when_nothing_it_reads_changed(runner: RecordingRunner) -> None:
    runner.init()

    assert runner.init() is False
    assert runner.calls == 1


@pytest.mark.parametrize(
    "changed",
    ["environments/local/backend.hcl", "terraform/group/main.tf", "terraform/group/.terraform.lock.hcl", "modules/iam/main.tf", "terraform.rc"],
)
def test_init_runs_again_when_an_input_changes(runner: RecordingRunner, repo_copy: Path, changed: str) -> None:
    runner.init()
    path = repo_copy / changed
    path.write_text(path.read_text() + "\n# changed\n")

    assert runner.init() is True
    assert runner.calls == 2


def test_init_runs_again_when_the_data_dir_lost_its_backend_state(runner: RecordingRunner) -> None:
    runner.init()
    (runner.data_dir / "terraform.tfstate").unlink()

    assert runner.init() is True
    assert runner.calls == 2
