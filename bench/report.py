"""The one results table (terminal and bench/RESULTS.md) and the description of the machine."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    """A pass/fail bound: on the ratio project/baseline, on the project's absolute value, or both."""

    max_ratio: float | None = None
    max_value: float | None = None

    def describe(self, unit: str) -> str:
        parts = []
        if self.max_value is not None:
            parts.append(f"≤ {_fmt(self.max_value, unit)}")
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}×")
        return " and ".join(parts)

    def met(self, value: float, ratio: float | None) -> bool:
        if self.max_value is not None and value > self.max_value:
            return False
        if self.max_ratio is not None and (ratio is None or ratio > self.max_ratio):
            return False
        return True


@dataclass(frozen=True)
class Row:
    section: str
    measurement: str
    size: str
    project: float | None  # None: not available (see note)
    baseline: float | None = None
    unit: str = "s"
    target: Target | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.project is None or self.baseline is None or self.baseline == 0:
            return None
        return self.project / self.baseline

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.project is None:
            return None
        return self.target.met(self.project, self.ratio)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value / MIB:.1f} MiB"
    if value >= 10:
        return f"{value:.1f} s"
    return f"{value:.3f} s"


def result_cell(row: Row) -> str:
    if row.project is None:
        return "not available"
    if row.passed is None:
        return ""
    return "pass" if row.passed else "**FAIL**"


HEADERS = ("#", "Measurement: project | baseline", "Size", "Project", "Baseline", "Ratio", "Target", "Result")


def table(rows: Sequence[Row]) -> str:
    """A Markdown table, column-aligned so it reads the same in a terminal."""
    cells = [
        (
            r.section,
            r.measurement,
            r.size,
            _fmt(r.project, r.unit),
            _fmt(r.baseline, r.unit) if r.baseline is not None else "",
            f"{r.ratio:.2f}×" if r.ratio is not None else "",
            r.target.describe(r.unit) if r.target else "",
            result_cell(r),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(HEADERS)]
    right = {3, 4, 5}

    def line(values: Sequence[str]) -> str:
        padded = [v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(HEADERS), rule, *(line(c) for c in cells)]) + "\n"


@dataclass
class Machine:
    cores: int
    cpu: str
    memory_gib: float
    os: str
    load_before: str
    load_after: str = ""
    versions: dict[str, str] = field(default_factory=dict)


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "unknown"


def _memory_gib() -> float:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 / 1024 if match else 0.0


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def terraform_versions(config_dir: Path, environ: dict[str, str]) -> tuple[str, str]:
    """(terraform version, hashicorp/aws version) as an initialised configuration reports them."""
    out = subprocess.run(
        ["terraform", "version", "-json"], cwd=config_dir, env=environ, capture_output=True, text=True, check=False
    )
    try:
        data = json.loads(out.stdout)
    except json.JSONDecodeError:
        return "unknown", "unknown"
    providers = data.get("provider_selections", {})
    return data.get("terraform_version", "unknown"), providers.get("registry.terraform.io/hashicorp/aws", "unknown")


def describe_machine() -> Machine:
    return Machine(
        cores=os.cpu_count() or 0,
        cpu=_cpu_model(),
        memory_gib=_memory_gib(),
        os=f"{platform.system()} {platform.release()}",
        load_before=load_average(),
        versions={
            "python": platform.python_version(),
            "moto": _package("moto"),
            "pydantic": _package("pydantic"),
            "PyYAML": _package("PyYAML"),
        },
    )


def machine_lines(machine: Machine) -> list[str]:
    versions = ", ".join(f"{name} {version}" for name, version in machine.versions.items())
    return [
        f"- Cores: {machine.cores} ({machine.cpu})",
        f"- Memory: {machine.memory_gib:.1f} GiB",
        f"- OS: {machine.os}",
        f"- Tools: {versions}",
        f"- Load average (1, 5, 15 min) before: {machine.load_before}; after: {machine.load_after}",
    ]
