"""The generator's packages form layers: every import points down, never up or sideways."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import generator
from tests.helpers import REPO_ROOT

PACKAGE_DIR = REPO_ROOT / "generator"


def _imported_packages(source: Path) -> set[tuple[str, int]]:
    """(top-level generator package, line) for every import in the file, nested ones included."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.module != "generator" else [f"generator.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def upward_imports(package_dir: Path, layers: dict[str, int]) -> list[str]:
    problems = []
    for source in sorted(package_dir.rglob("*.py")):
        relative = source.relative_to(package_dir)
        if len(relative.parts) == 1:  # generator/__init__.py and __main__.py sit above every layer
            continue
        own = relative.parts[0]
        for imported, line in sorted(_imported_packages(source)):
            if imported != own and layers.get(imported, 99) >= layers[own]:
                problems.append(f"generator/{relative.as_posix()}:{line}: {own} (layer {layers[own]}) imports {imported} (layer {layers.get(imported)})")
    return problems


def test_every_package_has_a_layer_and_a_docstring() -> None:
    packages = sorted(p.parent.name for p in PACKAGE_DIR.glob("*/__init__.py"))
    assert packages == sorted(generator.LAYERS)
    for name in packages:
        assert ast.get_docstring(ast.parse((PACKAGE_DIR / name / "__init__.py").read_text())), name


def test_imports_only_point_down_the_layers() -> None:
    assert upward_imports(PACKAGE_DIR, generator.LAYERS) == []


@pytest.mark.parametrize(
    ("importer", "statement"),
    [
        ("catalog/loader.py", "from generator.render import tfvars\n"),
        ("common/files.py", "def f():\n    from generator.catalog.loader import resolve\n"),
        ("review/summary.py", "import generator.emulator.launcher\n"),
        ("registry/pin.py", "from generator import deploy\n"),
    ],
)
def test_an_upward_or_sideways_import_is_found(tmp_path: Path, importer: str, statement: str) -> None:
    target = tmp_path / importer
    target.parent.mkdir(parents=True)
    target.write_text(statement)
    (tmp_path / "emulator").mkdir(exist_ok=True)
    (tmp_path / "emulator" / "launcher.py").write_text("from generator.common import errors\n")

    problems = upward_imports(tmp_path, generator.LAYERS)

    assert len(problems) == 1 and problems[0].startswith(f"generator/{importer}:")
