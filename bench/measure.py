"""Timing and memory primitives: medians of interleaved runs, child-process peak RSS."""

from __future__ import annotations

import contextlib
import gc
import io
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Samples:
    """Seconds of each run of one measurement: wall clock, or CPU time where a caller says so."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Pair:
    """A measurement of the project's code and of its baseline, taken in the same runs."""

    project: Samples
    baseline: Samples

    @property
    def ratio(self) -> float:
        return self.project.median / self.baseline.median


def _timed(action: Callable[[], object]) -> float:
    gc.collect()  # garbage of an earlier run must not be collected on this run's clock
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def compare(
    project: Callable[[], object],
    baseline: Callable[[], object],
    runs: int,
    setup: Callable[[], object] | None = None,
    project_setup: Callable[[], object] | None = None,
    baseline_setup: Callable[[], object] | None = None,
) -> Pair:
    """Run both `runs` times, alternating which goes first, so drifting machine load hits both.

    `setup` runs (untimed) before every single run of either side; `project_setup` and
    `baseline_setup` (untimed) before that side's runs only.
    """
    mine: list[float] = []
    base: list[float] = []
    for index in range(runs):
        order = [(project, mine, project_setup), (baseline, base, baseline_setup)]
        if index % 2:
            order.reverse()
        for action, into, own_setup in order:
            if setup is not None:
                setup()
            if own_setup is not None:
                own_setup()
            into.append(_timed(action))
    return Pair(Samples(tuple(mine)), Samples(tuple(base)))


def children_cpu_seconds() -> float:
    """User + system CPU seconds of this process's children that have ended and been waited for,
    with what they waited for in turn (Terraform's provider processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def counting_cpu(action: Callable[[], object], into: list[float]) -> Callable[[], None]:
    """`action`, appending to `into` the CPU seconds its child processes used on each run. Only
    meaningful while no other child process of the benchmark ends meanwhile."""

    def counted() -> None:
        before = children_cpu_seconds()
        action()
        into.append(children_cpu_seconds() - before)

    return counted


def repeat(action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> Samples:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        times.append(_timed(action))
    return Samples(tuple(times))


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Swallow what in-process commands print, so that printing is not what is measured."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


class CommandFailed(RuntimeError):
    def __init__(self, command: Sequence[str], returncode: int, output: str):
        tail = "\n".join(output.strip().splitlines()[-15:])
        super().__init__(f"`{' '.join(command)}` exited with {returncode}:\n{tail}")


def run(
    command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, ok: Sequence[int] = (0,)
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion, output captured; raise with its output when it fails."""
    result = subprocess.run(
        list(command), cwd=cwd, env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    if result.returncode not in ok:
        raise CommandFailed(command, result.returncode, result.stdout)
    return result


def command(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, ok: Sequence[int] = (0,)
) -> Callable[[], object]:
    """A zero-argument action that runs a command (for `compare` and `repeat`)."""
    return lambda: run(argv, cwd, env, ok)


# Runs the command and prints its peak RSS. The command is started from this small process, not
# from the benchmark's: on Linux a child's ru_maxrss counts the memory of the process it was
# forked from until exec, so forking from a large parent would report the parent's size.
_RSS_WRAPPER = """\
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss(argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> int:
    """Peak resident set size in bytes of one child process, from its own rusage (wait4)."""
    wrapper = [sys.executable, "-c", _RSS_WRAPPER, *argv]
    result = run(wrapper, cwd, env)
    return int(result.stdout.strip().splitlines()[-1]) * 1024  # Linux reports kilobytes
