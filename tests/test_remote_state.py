"""Whether a state holds resources, read from its S3 object on the emulator's S3 (no Terraform)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from generator.catalog.models import BackendSettings
from generator.deploy.remote_state import holds_resources
from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.integration

KEY = "sagemaker-gitops/local/groups/team.tfstate"


def _state(*resources: dict[str, Any]) -> bytes:
    return json.dumps({"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {}, "resources": list(resources)}).encode()


DATA_SOURCE = {"mode": "data", "type": "aws_partition", "name": "current", "instances": [{"attributes": {"partition": "aws"}}]}
MANAGED = {"mode": "managed", "type": "aws_iam_role", "name": "this", "module": "module.iam[0]", "instances": [{"attributes": {"name": "r"}}]}


@pytest.fixture
def bucket(moto_server: str) -> tuple[BackendSettings, dict[str, str], Any]:
    aws_env = {"AWS_ENDPOINT_URL": moto_server, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    name = f"state-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    s3.create_bucket(Bucket=name)
    return BackendSettings(bucket=name, key="sagemaker-gitops/local.tfstate", region="us-east-1", use_path_style=True), aws_env, s3


def test_a_state_not_written_yet_holds_nothing(bucket) -> None:
    backend, aws_env, _ = bucket
    assert holds_resources(backend, KEY, aws_env) is False


def test_a_state_with_only_data_sources_holds_nothing(bucket) -> None:
    backend, aws_env, s3 = bucket
    s3.put_object(Bucket=backend.bucket, Key=KEY, Body=_state(DATA_SOURCE))
    assert holds_resources(backend, KEY, aws_env) is False


def test_a_state_with_a_managed_resource_holds_it(bucket) -> None:
    backend, aws_env, s3 = bucket
    s3.put_object(Bucket=backend.bucket, Key=KEY, Body=_state(DATA_SOURCE, MANAGED))
    assert holds_resources(backend, KEY, aws_env) is True


def test_a_state_that_is_not_json_is_unknown(bucket) -> None:
    backend, aws_env, s3 = bucket
    s3.put_object(Bucket=backend.bucket, Key=KEY, Body=b"not json")
    assert holds_resources(backend, KEY, aws_env) is None


def test_a_bucket_that_cannot_be_read_is_unknown(bucket) -> None:
    backend, aws_env, _ = bucket
    missing = backend.model_copy(update={"bucket": f"missing-{uuid.uuid4().hex[:12]}"})
    assert holds_resources(missing, KEY, aws_env) is None
