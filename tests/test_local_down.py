"""`python -m generator local down` stops only the emulator this checkout started."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.emulator import launcher
from tests.helpers import run_generator


@pytest.fixture
def unrelated_process() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not the emulator; always killed, whatever the test did."""
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def _state_files(root: Path, pid: int, url: str) -> tuple[Path, Path]:
    folder = root / "build" / "local"
    folder.mkdir(parents=True)
    (folder / "moto.pid").write_text(f"{pid}\n")
    (folder / "moto.url").write_text(f"{url}\n")
    return folder / "moto.pid", folder / "moto.url"


def test_local_down_leaves_an_unrelated_process_named_by_the_pid_file_alive(
    tmp_path: Path, unrelated_process: subprocess.Popen[bytes]
) -> None:
    _state_files(tmp_path, unrelated_process.pid, "http://127.0.0.1:45678")

    run_generator("local", "down", cwd=tmp_path)

    assert unrelated_process.poll() is None


def test_local_down_removes_the_files_of_an_unrelated_process_and_says_so(
    tmp_path: Path, unrelated_process: subprocess.Popen[bytes]
) -> None:
    pid_file, url_file = _state_files(tmp_path, unrelated_process.pid, "http://127.0.0.1:45678")

    result = run_generator("local", "down", cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"nothing stopped: pid {unrelated_process.pid} in build/local/moto.pid is not the AWS emulator "
        "this checkout started on port 45678; removed the stale build/local/moto.pid and build/local/moto.url\n"
    )
    assert not pid_file.exists() and not url_file.exists()


def test_local_down_removes_the_files_of_a_process_that_has_exited(tmp_path: Path) -> None:
    exited = subprocess.Popen(["true"])
    exited.wait()
    pid_file, url_file = _state_files(tmp_path, exited.pid, "http://127.0.0.1:45678")

    result = run_generator("local", "down", cwd=tmp_path)

    assert result.stdout == (
        f"nothing stopped: pid {exited.pid} in build/local/moto.pid is not the AWS emulator "
        "this checkout started on port 45678; removed the stale build/local/moto.pid and build/local/moto.url\n"
    )
    assert not pid_file.exists() and not url_file.exists()


def test_local_down_without_a_pid_file_says_nothing_was_running(tmp_path: Path) -> None:
    result = run_generator("local", "down", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (0, "no AWS emulator was running\n")


@pytest.mark.integration
def test_local_down_stops_the_emulator_that_local_up_started(repo_copy: Path) -> None:
    assert run_generator("local", "up", cwd=repo_copy).returncode == 0
    url = (repo_copy / "build" / "local" / "moto.url").read_text().strip()
    try:
        result = run_generator("local", "down", cwd=repo_copy)
    finally:
        launcher.stop(repo_copy)

    assert result.stdout == "AWS emulator stopped\n"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/moto-api/", timeout=5)
