"""Repository copies whose only environment deploys from the test registry.

The catalog and environments of the copy are replaced by the test's own: one environment,
`regtest`, whose registry `platform` is the test registry on 127.0.0.1:PORT, and whatever
catalog entries the test writes. The login lives in a Secrets Manager secret of the session's
moto server, reached through AWS_ENDPOINT_URL like any real account would be.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from textwrap import dedent

import boto3

REGION = "us-east-1"
ENVIRONMENT = "regtest"


def aws_environ(moto_url: str) -> dict[str, str]:
    """What a shell would export to reach this AWS: the emulator, with placeholder keys."""
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "REGISTRY_HOST": "",
        "REGISTRY_USERNAME": "",
        "REGISTRY_PASSWORD": "",
    }


def create_secret(moto_url: str, username: str, password: str) -> str:
    """A uniquely named registry secret in the emulator; returns its ARN."""
    client = boto3.client(
        "secretsmanager",
        endpoint_url=moto_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    value = json.dumps({"username": username, "password": password})
    name = f"sagemaker-gitops/registry/test-{uuid.uuid4().hex[:8]}"
    return str(client.create_secret(Name=name, SecretString=value)["ARN"])


def reset_inputs(root: Path) -> None:
    """Empty catalog/ and environments/ so that only what the test writes is there."""
    for name in ("catalog", "environments"):
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir()


def registry_entry(
    name: str,
    host: str,
    secret_arn: str,
    auth: str = "basic",
    token_hosts: tuple[str, ...] = (),
    security_group: str = "sg-0a1b2c3d4e5f60002",
) -> str:
    """One registry under `registries:` of environment.yaml, indented to fit there."""
    listed = (
        f"    token_hosts: [{', '.join(f'{h!r}' for h in token_hosts)}]\n" if token_hosts else ""
    )
    return (
        f"  {name}:\n"
        f'    host: "{host}"\n'
        f"    auth: {auth}\n"
        f"    credentials_secret_arn: {secret_arn}\n"
        f"    security_group_id: {security_group}\n"
        f"{listed}"
    )


def write_environment(
    root: Path,
    host: str,
    secret_arn: str,
    name: str = ENVIRONMENT,
    auth: str = "basic",
    token_hosts: tuple[str, ...] = (),
    more_registries: str = "",
) -> None:
    """The environment whose registry `platform` is `host`; `more_registries` adds `registry_entry`s."""
    path = root / "environments" / name / "environment.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    registries = registry_entry("platform", host, secret_arn, auth, token_hosts) + more_registries
    path.write_text(
        dedent(
            f"""\
            description: Deploys from the test registry.
            aws:
              region: {REGION}
              account_id: "123456789012"
            network:
              vpc_id: vpc-0a1b2c3d4e5f60000
              subnet_ids:
                - subnet-0a1b2c3d4e5f60001
            registries:
            {{registries}}backend:
              bucket: sagemaker-gitops-state-test
              key: sagemaker-gitops/{name}.tfstate
              region: {REGION}
            """
        ).replace("{registries}", registries),
        encoding="utf-8",
    )


def write_catalog_entry(
    root: Path, name: str, image: str, environments: str = f"  {ENVIRONMENT}: {{}}\n"
) -> Path:
    path = root / "catalog" / f"{name}.yaml"
    path.write_text(
        f"# {name}: deployed from the test registry.\n"
        f"name: {name}\n"
        f"image: {image}\n"
        "instance_type: ml.m5.large\n"
        "initial_instance_count: 1\n"
        f"environments:\n{environments}",
        encoding="utf-8",
    )
    return path
