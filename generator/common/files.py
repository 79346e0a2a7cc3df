"""Generated files: atomic writes (the old file or the complete new one, never half) and the one
check-or-write helper behind `render`, `atlantis`, `schema` and `module-docs`."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.common.errors import StaleFiles


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


def check_or_write(
    root: Path,
    files: Mapping[Path, str],
    *,
    check: bool,
    command: str,
    what: str = "generated files",
    obsolete: Iterable[Path] = (),
) -> list[str]:
    """The one way a generated file is kept current.

    `obsolete` are generated files that must no longer exist. With `check`, write nothing and
    raise `StaleFiles` naming every stale, missing or obsolete file (exit 1), with `command` as
    the fix. Otherwise write the changed files atomically and remove the obsolete ones. Returns
    the repository-relative paths written or removed (empty when everything was current).
    """
    stale = stale_files(files)
    gone = [p for p in obsolete if p.exists()]
    relative = [p.relative_to(root).as_posix() for p in [*stale, *gone]]
    if check:
        if relative:
            raise StaleFiles(relative, command=command, what=what)
        return []
    write_all_atomically({p: files[p] for p in stale})
    for path in gone:
        path.unlink()
    return relative
