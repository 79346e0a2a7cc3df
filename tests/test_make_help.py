"""`make help` lists every target of the Makefile, one line each, so none is undiscoverable."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.helpers import REPO_ROOT

# A rule line: "name:" or "name: prerequisites", but not a variable assignment ("X := ...").
TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?![:=])")


def makefile_targets() -> list[str]:
    lines = (REPO_ROOT / "Makefile").read_text().splitlines()
    return sorted({m.group(1) for line in lines if (m := TARGET.match(line))})


def help_lines() -> dict[str, str]:
    result = subprocess.run(["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    lines = [line.split(None, 1) for line in result.stdout.splitlines() if line.strip()]
    assert all(len(parts) == 2 for parts in lines), result.stdout
    names = [parts[0] for parts in lines]
    assert len(names) == len(set(names)), f"a target is listed twice: {names}"
    return {parts[0]: parts[1] for parts in lines}


def test_makefile_has_the_targets_people_use() -> None:
    assert {"help", "plan", "apply", "destroy", "test", "lint", "new-endpoint"} <= set(makefile_targets())


@pytest.mark.parametrize("target", makefile_targets())
def test_make_help_lists_target_with_a_description(target: str) -> None:
    listed = help_lines()
    assert target in listed, f"add `## <one line>` after the prerequisites of `{target}:` in the Makefile"
    assert listed[target].strip()


def test_make_help_lists_only_makefile_targets() -> None:
    assert sorted(help_lines()) == makefile_targets()


def test_make_without_a_target_prints_help() -> None:
    default = subprocess.run(["make", "-s"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert default.stdout.split() == subprocess.run(
        ["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
