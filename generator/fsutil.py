"""Atomic writes: a generated file is either the old one or the complete new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomically(path: Path, content: str) -> None:
    write_bytes_atomically(path, content.encode("utf-8"))


def write_bytes_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all_atomically(files: Mapping[Path, str]) -> list[Path]:
    """Write only the files whose content changes; return those paths.

    Every content is computed before this is called, so a validation error can never leave
    some environments rendered and others not.
    """
    changed = [p for p, text in files.items() if _read(p) != text]
    for path in changed:
        write_atomically(path, files[path])
    return changed


def stale_files(files: Mapping[Path, str]) -> list[Path]:
    return [p for p, text in files.items() if _read(p) != text]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
