"""Work beside the main thread (generator.common.background), and how a command's process ends."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.common.background import in_background
from tests.helpers import REPO_ROOT, copy_repository


def test_background_work_hands_over_its_result() -> None:
    assert in_background("sum", lambda: sum(range(10))).result(timeout=10) == 45


def test_background_work_hands_over_its_exception() -> None:
    def fail() -> None:
        raise ValueError("no registry answered")

    with pytest.raises(ValueError, match="no registry answered"):
        in_background("fail", fail).result(timeout=10)


def test_background_work_never_keeps_a_failed_command_waiting_at_exit() -> None:
    release = threading.Event()
    future = in_background("blocked-look-up", lambda: release.wait(10))
    try:
        (thread,) = [t for t in threading.enumerate() if t.name == "blocked-look-up"]
        assert thread.daemon
    finally:
        release.set()
    assert future.result(timeout=10) is True


def test_command_process_prints_everything_and_keeps_its_exit_code_when_piped(tmp_path: Path) -> None:
    """`python -m generator` leaves without tearing the interpreter down: what it printed to a
    pipe (block-buffered) must still arrive in full, and its exit code must be the command's."""
    root = copy_repository(tmp_path / "repo")
    ok = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(root), "--quotas"], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ") and ok.stdout.endswith(" deployments\n")
    assert ok.stderr.count("quotas of ") == 4 and ok.stderr.endswith("\n")

    (root / "catalog" / "broken.yaml").write_text("name: broken\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(root)], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert refused.returncode == 2
    assert "broken.yaml" in refused.stderr and refused.stderr.endswith("\n")
