"""The credentials Lambda's zip: same source, same bytes, same Terraform hash, hence empty plans."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import hcl2
from hcl2 import SerializationOptions

from generator.deploy.lambda_package import PACKAGE_PATH, SOURCE_DIR, build_zip, package
from tests.helpers import REPO_ROOT

MODULE_MAIN = REPO_ROOT / "modules" / "registry_credentials" / "main.tf"


def _source(target: Path, mtime: int, mode: int) -> Path:
    """A copy of the handler source with its own timestamps and permissions."""
    shutil.copytree(REPO_ROOT / SOURCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [target, *target.rglob("*")]:
        if path.is_file():
            path.chmod(mode)
        os.utime(path, (mtime, mtime))
    return target


def test_build_zip_same_source_gives_identical_bytes(tmp_path: Path) -> None:
    first = _source(tmp_path / "checkout-a", mtime=1_600_000_000, mode=0o644)
    second = _source(tmp_path / "checkout-b", mtime=1_700_000_000, mode=0o755)

    assert build_zip(first) == build_zip(second)


def test_build_zip_entries_carry_fixed_timestamps_and_permissions(tmp_path: Path) -> None:
    source = _source(tmp_path / "src", mtime=1_700_000_000, mode=0o700)

    infos = zipfile.ZipFile(io.BytesIO(build_zip(source))).infolist()

    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {(i.date_time, i.external_attr >> 16) for i in infos} == {((1980, 1, 1, 0, 0, 0), 0o100644)}


def test_build_zip_leaves_out_bytecode_caches(tmp_path: Path) -> None:
    source = _source(tmp_path / "src", mtime=1_700_000_000, mode=0o644)
    clean = build_zip(source)
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "handler.cpython-312.py").write_text("# stray\n")
    (source / "handler.cpython-312.pyc").write_bytes(b"\x00")

    assert build_zip(source) == clean


def test_build_zip_changes_when_the_source_changes(tmp_path: Path) -> None:
    source = _source(tmp_path / "src", mtime=1_700_000_000, mode=0o644)
    before = build_zip(source)
    handler = source / "handler.py"
    handler.write_text(handler.read_text() + "\n# changed\n")

    assert build_zip(source) != before


def test_package_does_not_rewrite_an_unchanged_zip(tmp_path: Path) -> None:
    _source(tmp_path / SOURCE_DIR, mtime=1_700_000_000, mode=0o644)
    target = package(tmp_path)
    os.utime(target, (1_600_000_000, 1_600_000_000))

    assert package(tmp_path) == tmp_path / PACKAGE_PATH
    assert target.stat().st_mtime == 1_600_000_000


def test_registry_credentials_module_hashes_the_package_with_filebase64sha256() -> None:
    options = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)
    with MODULE_MAIN.open() as handle:
        parsed = hcl2.load(handle, serialization_options=options)
    functions = [block["aws_lambda_function"]["this"] for block in parsed["resource"] if "aws_lambda_function" in block]

    assert [(f["filename"], f["source_code_hash"]) for f in functions] == [
        ("${var.package_path}", "${filebase64sha256(var.package_path)}")
    ]


def test_terraform_hash_of_two_builds_is_equal(tmp_path: Path) -> None:
    """What Terraform itself computes (the value the plan compares) for two independent builds."""
    for name, mtime in (("a", 1_600_000_000), ("b", 1_700_000_000)):
        (tmp_path / f"{name}.zip").write_bytes(build_zip(_source(tmp_path / name, mtime=mtime, mode=0o644)))
    console = subprocess.run(
        ["terraform", "console"],
        input='[filebase64sha256("a.zip"), filebase64sha256("b.zip")]\n',
        cwd=tmp_path,
        env={**os.environ, "TF_CLI_CONFIG_FILE": str(REPO_ROOT / "terraform.rc"), "TF_DATA_DIR": str(tmp_path / ".tf")},
        capture_output=True,
        text=True,
        check=True,
    )
    expected = base64.b64encode(hashlib.sha256((tmp_path / "a.zip").read_bytes()).digest()).decode()

    assert console.stdout.split() == ["[", f'"{expected}",', f'"{expected}",', "]"]
