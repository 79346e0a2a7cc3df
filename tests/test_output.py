"""Output people can read: progress lines with elapsed time, and no colour codes where they hurt."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.deploy.workflow import say
from tests.helpers import REPO_ROOT

# Run in a child process so that its stdout is exactly what the test chooses (a pipe or a pty).
RUN_VALIDATE = """
import sys
from pathlib import Path
from generator.catalog.states import State
from generator.deploy.terraform import TerraformRunner
TerraformRunner(root=Path(sys.argv[1]), state=State("output-test", "base"), backend_key="k").run("validate", ok_codes=(0, 1))
"""
ESCAPE = "\x1b["


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    """A root whose terraform/base/ fails `terraform validate` without init: Terraform prints a coloured error."""
    (tmp_path / "terraform" / "base").mkdir(parents=True)
    (tmp_path / "terraform" / "base" / "main.tf").write_text('variable "x" {\n  type = strin\n}\n')
    shutil.copy(REPO_ROOT / "terraform.rc", tmp_path / "terraform.rc")
    return tmp_path


def child_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**env, "PYTHONPATH": str(REPO_ROOT), **overrides}


def run_on_terminal(root: Path, env: dict[str, str]) -> str:
    """Run the child with a pseudo-terminal as stdout and stderr, as in an interactive shell."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_VALIDATE, str(root)], stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    process.wait()
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_terraform_output_is_coloured_on_a_terminal(broken_config: Path) -> None:
    output = run_on_terminal(broken_config, child_env())
    assert "Invalid type specification" in output
    assert ESCAPE in output


def test_terraform_output_has_no_colour_when_no_color_is_set(broken_config: Path) -> None:
    output = run_on_terminal(broken_config, child_env(NO_COLOR="1"))
    assert "Error: Invalid type specification" in output
    assert ESCAPE not in output


def test_terraform_output_keeps_colour_when_no_color_is_empty(broken_config: Path) -> None:
    output = run_on_terminal(broken_config, child_env(NO_COLOR=""))
    assert ESCAPE in output


def test_terraform_output_has_no_colour_when_not_a_terminal(broken_config: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", RUN_VALIDATE, str(broken_config)],
        capture_output=True, text=True, env=child_env(), check=False,
    )
    assert "Error: Invalid type specification" in result.stderr
    assert ESCAPE not in result.stdout + result.stderr


def test_say_writes_one_step_line_with_elapsed_seconds_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    say("terraform init (local)")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(r"==> terraform init \(local\) \[\d+\.\ds\]\n", captured.err)
