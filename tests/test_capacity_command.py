"""The `capacity` command without account access, and the price file it fetches."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from generator.deploy import capacity as capacity_check
from tests.helpers import REPO_ROOT, copy_repository, run_generator, write

RECORDING = REPO_ROOT / "tests" / "fixtures" / "pricing" / "get-products-us-east-1.json"
NO_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "",
}


def new_endpoint_plan(path: Path) -> Path:
    """A plan JSON with one new endpoint of two ml.m5.large instances."""
    config = {"name": "demo-1", "production_variants": [{"variant_name": "primary", "instance_type": "ml.m5.large", "initial_instance_count": 2}]}
    changes = [
        {"address": 'module.endpoint["demo"].aws_sagemaker_endpoint.this', "mode": "managed", "type": "aws_sagemaker_endpoint",
         "change": {"actions": ["create"], "before": None, "after": {"name": "demo", "endpoint_config_name": "demo-1"}}},
        {"address": 'module.endpoint["demo"].aws_sagemaker_endpoint_configuration.this', "mode": "managed",
         "type": "aws_sagemaker_endpoint_configuration", "change": {"actions": ["create"], "before": None, "after": config}},
    ]
    return write(path, json.dumps({"format_version": "1.2", "variables": {"environment": {"value": "dev"}}, "resource_changes": changes}))


def test_capacity_without_credentials_reviews_the_plan_alone_and_says_so_in_one_line(tmp_path):
    root = copy_repository(tmp_path / "repo")
    new_endpoint_plan(root / "build" / "dev" / "plan.json")

    result = run_generator("capacity", "--env", "dev", cwd=root, env=NO_CREDENTIALS)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "capacity: quotas not checked — no usable AWS credentials for account 111111111111 (a plan-only review)."
    )
    assert "| `ml.m5.large` | 0 → 2 | 2 | 0 h → 1,460 h |\n" in result.stdout
    assert (root / "build" / "dev" / "capacity.md").read_text() == result.stdout


def test_capacity_without_a_plan_says_to_plan_first(tmp_path):
    root = copy_repository(tmp_path / "repo")

    result = run_generator("capacity", "--env", "dev", cwd=root, env=NO_CREDENTIALS)

    assert (result.returncode, result.stderr) == (2, "error: fix: run `make plan ENV=dev` first — there is no plan JSON under build/dev/\n")


def test_update_prices_writes_the_hosting_prices_of_the_region(tmp_path):
    import boto3
    from botocore.stub import Stubber

    # A stub: the Price List API cannot be reached from here. It answers with the recording.
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    recording = json.loads(RECORDING.read_text())
    expected = {"ServiceCode": "AmazonSageMaker", "Filters": capacity_check.price_filters("us-east-1"), "FormatVersion": "aws_v1"}
    stubber.add_response("get_products", recording, expected)
    with stubber:
        path = capacity_check.update_prices(tmp_path, "us-east-1", client, today=datetime.date(2026, 1, 5))

    assert path == tmp_path / "build" / "prices" / "us-east-1.json"
    assert capacity_check.load_prices(tmp_path, "us-east-1") == capacity_check.capacity.Prices(
        "us-east-1", "`build/prices/us-east-1.json` (fetched 2026-01-05)", {"ml.g5.xlarge": 1.408, "ml.m5.large": 0.115}
    )
