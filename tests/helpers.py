"""Builders for small, valid repositories that tests then break one field at a time."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

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


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove that nothing was written."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
