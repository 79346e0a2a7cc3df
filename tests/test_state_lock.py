"""A held state lock becomes one line that says what to do, who holds the lock and since when."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.deploy.terraform import StateLocked
from tests.helpers import REPO_ROOT

# What Terraform 1.11 printed to stderr when a second apply met the S3 lock file (IDs replaced).
LOCKED = (Path(__file__).parent / "fixtures" / "state_locked.stderr").read_text()


def test_state_locked_from_terraform_stderr_names_holder_and_unlock_command() -> None:
    locked = StateLocked.from_stderr("local", LOCKED)

    assert locked is not None
    assert str(locked) == (
        "fix: wait until the other run on local has finished, then run the command again "
        "(if none is running any more: terraform force-unlock d4a1579e-af03-274e-1065-e7244c24cc09) "
        "— the state of local is locked (by ci@runner-7, apply, since 2026-11-25 19:19:11.940433192 +0000 UTC); "
        "nothing was changed by this run"
    )


def test_state_locked_reads_colored_output() -> None:
    colored = LOCKED.replace("Error: Error acquiring", "\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0mError acquiring")
    colored = colored.replace("  ID:", "\x1b[31m│\x1b[0m   ID:")

    locked = StateLocked.from_stderr("prod", colored)

    assert locked is not None and locked.info["ID"] == "d4a1579e-af03-274e-1065-e7244c24cc09"


def test_state_locked_ignores_other_errors() -> None:
    assert StateLocked.from_stderr("local", "Error: Invalid count argument\n") is None


def test_apply_outside_the_emulator_refuses_without_confirmation(repo_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "apply", "--env", "dev"],
        cwd=repo_copy,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: fix: pass --yes (make apply ENV=dev CONFIRM=yes) — refusing to change a real account without confirmation"
    )
