"""Reads one hand-written input file without trusting it.

Catalog and environment files come from pull-request authors. A file is read only when it is a
regular file of at most `MAX_INPUT_BYTES`, opened without following a symlink (`O_NOFOLLOW`)
and without blocking on a FIFO (`O_NONBLOCK`), and never more than the limit is read: a file
symlinked to /dev/zero, a FIFO or a huge file is refused, not waited for or loaded.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.common.rules import excerpt

MAX_INPUT_BYTES = 256 * 1024


class RefusedInput(ValueError):
    """An input file that is not read; `fix` and `detail` are phrased for a `Problem`."""

    def __init__(self, fix: str, detail: str):
        super().__init__(f"{fix} — {detail}")
        self.fix = fix
        self.detail = detail


def refuse_symlink(path: Path, what: str) -> None:
    """Raise `RefusedInput` when `path` itself is a symbolic link (it is never followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise RefusedInput(
            f"replace the symbolic link with the {what} itself",
            f"inputs are read only from regular files and folders inside the repository, "
            f"and this points at {excerpt(os.readlink(path))}",
        )


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """The file's UTF-8 text; raise `RefusedInput` for anything but a small regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if os.path.islink(path):
            refuse_symlink(path, "file")
        raise RefusedInput("make the file a readable regular file", exc.strerror or str(exc)) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedInput("replace it with a regular YAML file", "it is not a regular file (a device, FIFO or socket)")
        if info.st_size > limit:
            raise RefusedInput(_size_fix(limit), f"it has {info.st_size:,} bytes")
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew after fstat
        raise RefusedInput(_size_fix(limit), f"it has more than {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefusedInput("save the file as UTF-8 text", str(exc)) from exc


def _size_fix(limit: int) -> str:
    return f"keep the file under {limit // 1024} KiB"


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
