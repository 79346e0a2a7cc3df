"""Reproducible zip of the registry-credentials Lambda (no archive provider is available).

Same source, same bytes: entries sorted, timestamps and permissions fixed, so the function's
`source_code_hash` changes only when the code does and plans stay empty otherwise.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from generator.common.files import write_bytes_atomically
from generator.common.layout import LAMBDA_PACKAGE_PATH as PACKAGE_PATH
from generator.common.layout import LAMBDA_SOURCE_DIR as SOURCE_DIR

_EPOCH = (1980, 1, 1, 0, 0, 0)


def build_zip(source_dir: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(p for p in source_dir.rglob("*.py") if "__pycache__" not in p.parts):
            info = zipfile.ZipInfo(path.relative_to(source_dir).as_posix(), date_time=_EPOCH)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def package(root: Path) -> Path:
    target = root / PACKAGE_PATH
    content = build_zip(root / SOURCE_DIR)
    if not target.is_file() or target.read_bytes() != content:
        write_bytes_atomically(target, content)
    return target
