"""A model in a VPC downloads model_data_url from S3 through the VPC, so the environment needs
an S3 gateway endpoint (on the model subnets' route tables) before an endpoint may use one."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
import yaml

from generator.cli import main
from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY, running
from tests.helpers import catalog_yaml, copy_repository, make_repo, run_generator, tree

MODEL_DATA = "s3://example-artifacts/demo/model.tar.gz"
ROUTE_TABLES = "  s3_gateway_route_table_ids: [rtb-0a1b2c3d4e5f60021, rtb-0a1b2c3d4e5f60022]\n"


def _repo(tmp_path: Path, *, route_tables: bool, catalog: str | None = None) -> Path:
    root = make_repo(tmp_path, catalog={"demo": catalog or catalog_yaml(model_data_url=MODEL_DATA)})
    if route_tables:
        env_file = root / "environments/dev/environment.yaml"
        env_file.write_text(env_file.read_text().replace("network:\n", "network:\n" + ROUTE_TABLES))
    return root


def test_model_data_without_an_s3_gateway_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, route_tables=False)
    before = tree(root)

    assert main(["render", "--root", str(root), "--env", "dev"]) == 2

    assert (
        "catalog/demo.yaml:7: model_data_url: fix: set network.s3_gateway_route_table_ids in "
        "environments/dev/environment.yaml to the route tables of the model subnets, or remove model_data_url"
    ) in capsys.readouterr().err
    assert tree(root) == before


def test_an_override_that_adds_model_data_is_named_by_its_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = catalog_yaml(environments=f"\n  dev:\n    model_data_url: {MODEL_DATA}")
    root = _repo(tmp_path, route_tables=False, catalog=entry)

    assert main(["validate", "--root", str(root)]) == 2

    assert "catalog/demo.yaml:7: environments.dev.model_data_url: fix: set network.s3_gateway_route_table_ids" in capsys.readouterr().err


def test_model_data_with_an_s3_gateway_renders_the_route_tables_for_terraform(tmp_path: Path) -> None:
    root = _repo(tmp_path, route_tables=True)

    assert main(["render", "--root", str(root), "--env", "dev"]) == 0

    network = json.loads((root / "environments/dev/environment.tfvars.json").read_text())["network"]
    assert network["s3_gateway_route_table_ids"] == ["rtb-0a1b2c3d4e5f60021", "rtb-0a1b2c3d4e5f60022"]


def test_a_malformed_route_table_id_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, route_tables=True)
    env_file = root / "environments/dev/environment.yaml"
    env_file.write_text(env_file.read_text().replace("rtb-0a1b2c3d4e5f60022", "route-table-2"))

    assert main(["validate", "--root", str(root)]) == 2

    assert (
        "environments/dev/environment.yaml:5: network.s3_gateway_route_table_ids[1]: fix: use route table IDs such as rtb-0a1b2c3d4e5f67890"
    ) in capsys.readouterr().err


@pytest.mark.integration
def test_a_model_with_artifacts_reaches_s3_through_the_gateway_endpoint_and_applies_idempotently(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    assert run_generator("local", "up", cwd=root).returncode == 0
    try:
        emulator = running(root)
        assert emulator is not None
        ec2 = boto3.client(
            "ec2", endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
        )
        env_file = root / "environments/local/environment.yaml"
        vpc_id = yaml.safe_load(env_file.read_text())["network"]["vpc_id"]
        route_table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"][0]["RouteTableId"]
        env_file.write_text(env_file.read_text().replace("network:\n", f"network:\n  s3_gateway_route_table_ids: [{route_table}]\n"))
        catalog = root / "catalog/fraud-scorer.yaml"
        catalog.write_text(catalog.read_text().replace("instance_type:", f"model_data_url: {MODEL_DATA}\ninstance_type:", 1))

        applied = run_generator("apply", "--env", "local", cwd=root)
        assert applied.returncode == 0, applied.stderr[-3000:]
        replanned = run_generator("plan", "--env", "local", cwd=root)

        gateway = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-endpoint-type", "Values": ["Gateway"]}])["VpcEndpoints"]
        s3_prefix_lists = ec2.describe_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.us-east-1.s3"]}])
        # The models of a group share its registry-clients security group (modules/registry_clients).
        model_group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["sagemaker-gitops-local-default-models-*"]}])
        egress = model_group["SecurityGroups"][0]["IpPermissionsEgress"]
    finally:
        run_generator("local", "down", cwd=root)

    assert [(g["ServiceName"], g["RouteTableIds"]) for g in gateway] == [("com.amazonaws.us-east-1.s3", [route_table])]
    # The endpoint passes only what environment.yaml allows, for principals of the account.
    assert json.loads(gateway[0]["PolicyDocument"])["Statement"] == [
        {
            "Sid": "ReadModelArtifacts",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": ["arn:aws:s3:::example-artifacts/*"],
            "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
        },
        {
            "Sid": "WriteDataCapture",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": ["arn:aws:s3:::example-capture/*"],
            "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
        },
    ]
    assert [p["PrefixListIds"][0]["PrefixListId"] for p in egress if p["PrefixListIds"]] == [
        s3_prefix_lists["PrefixLists"][0]["PrefixListId"]
    ]
    assert replanned.returncode == 0 and "No changes" in replanned.stdout + replanned.stderr, replanned.stdout[-3000:]
