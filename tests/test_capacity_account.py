"""The capacity review's account reader against moto's SageMaker, in process: which endpoints it
counts from the catalog, which it describes, and how many calls that takes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from generator.catalog.loader import load_repository, resolve
from generator.deploy.capacity import AccountReader, reader_for
from generator.review import capacity
from tests.helpers import REPO_ROOT

ROLE = "arn:aws:iam::123456789012:role/execution"


class Calls(Counter[str]):
    """SageMaker operations the reader's client made, by name."""

    def record(self, model: Any, **_: Any) -> None:
        self[model.name] += 1


@pytest.fixture
def sagemaker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")


def run_endpoint(client: Any, name: str, instance_type: str = "ml.m5.large", count: int = 1) -> None:
    client.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "registry.example.com/m@sha256:" + "a" * 64})
    client.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[{"VariantName": "primary", "ModelName": name, "InstanceType": instance_type, "InitialInstanceCount": count}],
    )
    client.create_endpoint(EndpointName=name, EndpointConfigName=name)


def reader(client: Any, known: dict[str, capacity.Counts]) -> tuple[AccountReader, Calls]:
    calls = Calls()
    client.meta.events.register("before-call.sagemaker", calls.record)
    return AccountReader(quotas_client=None, sagemaker_client=client, where="account 123456789012 in us-east-1", known=known), calls


def test_endpoints_of_the_catalog_are_counted_from_their_settings_and_not_described(sagemaker: Any) -> None:
    run_endpoint(sagemaker, "fraud-scorer", "ml.m5.large", 2)
    run_endpoint(sagemaker, "recommender", "ml.m5.large", 2)
    account, calls = reader(sagemaker, {"fraud-scorer": {"ml.c5.xlarge": 3}, "recommender": {"ml.m5.large": 2}})

    running = account.running()

    assert {name: counts for name, (_, counts) in running.items()} == {"fraud-scorer": {"ml.c5.xlarge": 3}, "recommender": {"ml.m5.large": 2}}
    assert calls == {"ListEndpoints": 1}


def test_an_endpoint_outside_the_catalog_is_described(sagemaker: Any) -> None:
    run_endpoint(sagemaker, "fraud-scorer")
    run_endpoint(sagemaker, "another-teams-model", "ml.g4dn.xlarge", 3)
    account, calls = reader(sagemaker, {"fraud-scorer": {"ml.m5.large": 1}})

    running = account.running()

    assert running["another-teams-model"] == ("InService", {"ml.g4dn.xlarge": 3})
    assert calls == {"ListEndpoints": 1, "DescribeEndpoint": 1, "DescribeEndpointConfig": 1}


def test_an_endpoint_of_the_catalog_that_does_not_run_holds_no_instances(sagemaker: Any) -> None:
    run_endpoint(sagemaker, "fraud-scorer")
    account, _ = reader(sagemaker, {"fraud-scorer": {"ml.m5.large": 1}, "not-applied-yet": {"ml.m5.large": 4}})

    assert sorted(account.running()) == ["fraud-scorer"]


def test_endpoints_are_listed_100_a_call(sagemaker: Any) -> None:
    for index in range(101):
        run_endpoint(sagemaker, f"endpoint-{index:03d}")
    account, calls = reader(sagemaker, {f"endpoint-{index:03d}": {"ml.m5.large": 1} for index in range(101)})

    assert len(account.running()) == 101
    assert calls == {"ListEndpoints": 2}


def test_in_use_leaves_out_what_the_plans_manage_and_counts_where_the_rest_comes_from(sagemaker: Any) -> None:
    for name in ("fraud-scorer", "recommender", "another-teams-model"):
        run_endpoint(sagemaker, name, "ml.m5.large", 2)
    account, _ = reader(sagemaker, {"fraud-scorer": {"ml.m5.large": 2}, "recommender": {"ml.m5.large": 2}})

    assert account.in_use([frozenset({"fraud-scorer"})]) == ({"ml.m5.large": 4}, 1, 1)


def test_the_reader_of_an_environment_knows_its_catalog_endpoints_by_their_sagemaker_names() -> None:
    repo = load_repository(REPO_ROOT)
    env = repo.environments["prod"]

    known = reader_for(env, {}, resolve(repo, ["prod"])["prod"]).known

    assert known == {"fraud-scorer": {"ml.c5.xlarge": 2}, "recommender": {"ml.m5.xlarge": 3, "ml.c5.xlarge": 2}}
