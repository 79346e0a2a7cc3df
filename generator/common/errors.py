"""The one error hierarchy of the generator, mapped to exit codes in `generator.cli`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, phrased for the person who has to fix it."""

    file: str
    line: int | None
    field: str
    fix: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.field}: fix: {self.fix}"
        return f"{text} — {self.detail}" if self.detail else text


class GeneratorError(Exception):
    """Base class of every expected failure; `exit_code` is what the CLI returns."""

    exit_code = 1


class InvalidInput(GeneratorError):
    """The catalog or an environment file is wrong. Carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))


class StaleFiles(GeneratorError):
    """Generated files differ from a fresh render; `command` is what regenerates them."""

    exit_code = 1

    def __init__(
        self,
        paths: list[str],
        command: str = "`make render` (python -m generator render --all)",
        what: str = "generated files",
    ):
        self.paths = sorted(paths)
        listing = "\n".join(f"  {p}" for p in self.paths)
        super().__init__(f"fix: run {command} and commit the result — these {what} are stale:\n{listing}")


class UsageError(GeneratorError):
    """The command line or the environment it runs in is not usable as given."""

    exit_code = 2
