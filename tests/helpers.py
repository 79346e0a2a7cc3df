"""Helpers that tests import: the repository's location and a private copy of it, the generator
as a user runs it, and builders for small, valid repositories that tests then break one field at
a time. (Fixtures live in conftest.py; nothing imports from there.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# What a working copy needs to render and plan; build output and virtualenvs are left out.
REPO_CONTENT = ("catalog", "environments", "modules", "terraform", "terraform.rc", "Makefile", "pyproject.toml", "generator", "schemas")


def copy_repository(target: Path) -> Path:
    """A private copy of the repository (its own build/ dir, state and emulator), sharing .venv."""
    target.mkdir(parents=True, exist_ok=True)
    for name in REPO_CONTENT:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".terraform", "*.tfstate*"))
        elif source.exists():
            shutil.copy2(source, target / name)
    venv = REPO_ROOT / ".venv"
    if venv.exists():
        (target / ".venv").symlink_to(venv)
    return target


def run_generator(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ...` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
        check=False,
        timeout=timeout,
    )


REGISTRY = "registry.example.com"


def digest(seed: str) -> str:
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()


def image(repository: str = "ml/demo", seed: str = "demo", host: str = REGISTRY) -> str:
    return f"{host}/{repository}@{digest(seed)}"


ENVIRONMENT_YAML = """\
aws:
  region: eu-west-1
  account_id: "111111111111"
network:
  vpc_id: vpc-0a1b2c3d4e5f60001
  subnet_ids: [subnet-0a1b2c3d4e5f60011, subnet-0a1b2c3d4e5f60012]
registries:
  main:
    host: {host}
    auth: basic
    credentials_secret_arn: arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-Ab12Cd
    security_group_id: sg-0a1b2c3d4e5f60101
s3:
  artifact_buckets: [example-artifacts]
  capture_buckets: [example-capture]
backend:
  bucket: state-111111111111
  key: sagemaker-gitops/{env}.tfstate
  region: eu-west-1
"""


def catalog_yaml(name: str = "demo", **fields: str) -> str:
    values = {
        "name": name,
        "image": image(),
        "instance_type": "ml.m5.large",
        "initial_instance_count": "1",
        "environments": "\n  dev: {}",
    }
    values.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in values.items() if v is not None)


def make_repo(root: Path, envs: tuple[str, ...] = ("dev",), catalog: dict[str, str] | None = None) -> Path:
    for env in envs:
        write(root / "environments" / env / "environment.yaml", ENVIRONMENT_YAML.format(host=REGISTRY, env=env))
    for name, text in (catalog if catalog is not None else {"demo": catalog_yaml()}).items():
        write(root / "catalog" / f"{name}.yaml", text)
    return root


def grouped_catalog(groups: int, per_group: int = 1, **fields: str) -> dict[str, str]:
    """Catalog files for make_repo: `per_group` endpoints in each of `groups` groups g0, g1, …"""
    return {f"g{g}/demo-{g}-{i}": catalog_yaml(f"demo-{g}-{i}", **fields) for g in range(groups) for i in range(per_group)}


def declare_groups(root: Path, owner: str = "team-ml") -> Path:
    """A group.yaml in every folder of the catalog, as a group needs."""
    for folder in (root / "catalog").iterdir():
        if folder.is_dir():
            write(folder / "group.yaml", f"owner: {owner}\n")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove that nothing was written."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
