"""modules/sagemaker_endpoint/scripts/await_endpoint.py against the project's emulator.

The script gates the deletion of the previous endpoint configuration (provider issue #40048):
it must succeed only when the endpoint runs the new configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest

from generator.emulator.launcher import ACCESS_KEY, Emulator
from tests.helpers import REPO_ROOT

SCRIPT = REPO_ROOT / "modules" / "sagemaker_endpoint" / "scripts" / "await_endpoint.py"
ROLE_ARN = "arn:aws:iam::123456789012:role/example-execution"


def _endpoint(url: str) -> tuple[str, str, str]:
    """An endpoint running configuration `live`, plus an unused configuration `other`."""
    sagemaker = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=ACCESS_KEY)
    suffix = uuid.uuid4().hex[:8]
    model = f"await-model-{suffix}"
    sagemaker.create_model(ModelName=model, ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": "registry.example.com/x@sha256:" + "0" * 64})
    variants = [{"VariantName": "primary", "ModelName": model, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]
    live, other = f"await-live-{suffix}", f"await-other-{suffix}"
    for name in (live, other):
        sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=variants)
    arn = sagemaker.create_endpoint(EndpointName=f"await-{suffix}", EndpointConfigName=live)["EndpointArn"]
    return arn, live, other


def _await(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    # As TerraformRunner does: the emulator's empty values unset a variable (e.g. AWS_PROFILE).
    env = {k: v for k, v in {**os.environ, **Emulator(url=url, pid=0).environ("us-east-1")}.items() if v}
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.integration
def test_await_endpoint_succeeds_when_the_endpoint_runs_the_configuration(moto_server: str) -> None:
    arn, live, _ = _endpoint(moto_server)

    result = _await(moto_server, "--endpoint-arn", arn, "--configuration", live)

    assert result.returncode == 0
    assert result.stdout == f"endpoint {arn.rsplit('/', 1)[1]} is InService on {live}\n"


@pytest.mark.integration
def test_await_endpoint_fails_when_the_endpoint_settled_on_another_configuration(moto_server: str) -> None:
    arn, live, other = _endpoint(moto_server)
    name = arn.rsplit("/", 1)[1]

    result = _await(moto_server, "--endpoint-arn", arn, "--configuration", other, "--settle", "0")

    assert result.returncode == 1
    assert result.stderr == (
        f"error: endpoint {name} is InService on configuration {live}, not on {other} "
        "(no reason given); the previous configuration is kept\n"
    )


def test_await_endpoint_script_runs_with_the_standard_library_and_boto3_only() -> None:
    imports = {line.split()[1] for line in Path(SCRIPT).read_text().splitlines() if line.strip().startswith(("import ", "from "))}

    assert imports <= {"__future__", "argparse", "sys", "time", "boto3"}
