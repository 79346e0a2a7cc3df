"""The editor schemas: generated from the models, current, and as strict as the generator."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from pydantic import ValidationError

from generator.catalog.models import CatalogEntry, EnvironmentFile
from generator.catalog.schema import (
    CATALOG_SCHEMA_COMMENT,
    ENVIRONMENT_SCHEMA_COMMENT,
    catalog_schema,
    environment_schema,
)
from tests.helpers import REPO_ROOT, run_generator

DIGEST = "sha256:" + "ab" * 32
CATALOG: dict[str, Any] = {
    "name": "demo-endpoint",
    "image": f"registry.example.com/team/demo@{DIGEST}",
    "instance_type": "ml.m5.large",
    "initial_instance_count": 1,
    "environments": {"dev": {}, "prod": {"initial_instance_count": 2}},
}
ENVIRONMENT: dict[str, Any] = {
    "aws": {"region": "eu-west-1", "account_id": "111111111111"},
    "network": {"vpc_id": "vpc-0123456789abcdef0", "subnet_ids": ["subnet-0123456789abcdef0"]},
    "registries": {
        "platform": {
            "host": "registry.example.com",
            "auth": "basic",
            "credentials_secret_arn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-AbCdEf",
            "security_group_id": "sg-0123456789abcdef0",
        }
    },
    "backend": {"bucket": "example-state", "key": "dev.tfstate", "region": "eu-west-1"},
}


def changed(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `document` with the dotted `path` set to `value` (or removed when value is ...)."""
    result = copy.deepcopy(document)
    *parents, last = path.split(".")
    node = result
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return result


def schema_errors(schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    return [error.message for error in Draft7Validator(schema).iter_errors(document)]


def model_rejects(model: type, document: dict[str, Any]) -> bool:
    try:
        model.model_validate(document)
    except ValidationError:
        return True
    return False


BAD_CATALOGS = {
    "instance type without ml. prefix": ("instance_type", "m5.large"),
    "instance count zero": ("initial_instance_count", 0),
    "instance count above 100": ("initial_instance_count", 101),
    "instance count as string": ("initial_instance_count", "1"),
    "unknown key": ("instance_typ", "ml.m5.large"),
    "image by tag": ("image", "registry.example.com/team/demo:1.2.0"),
    "image without tag or digest": ("image", "registry.example.com/team/demo"),
    "image digest too short": ("image", "registry.example.com/team/demo@sha256:abc"),
    "image digest upper case": ("image", "registry.example.com/team/demo@sha256:" + "AB" * 32),
    "name starting with a hyphen": ("name", "-demo"),
    "name with underscore": ("name", "demo_endpoint"),
    "name longer than 48": ("name", "a" * 49),
    "missing image": ("image", ...),
    "missing environments": ("environments", ...),
    "no environments": ("environments", {}),
    "environment name in upper case": ("environments", {"Prod": {}}),
    "override with bad instance type": ("environments.prod", {"instance_type": "large"}),
    "override with count zero": ("environments.prod", {"initial_instance_count": 0}),
    "override with unknown key": ("environments.prod", {"replicas": 2}),
    "override with tag image": ("environments.prod", {"image": "registry.example.com/team/demo:latest"}),
    "variant weight zero": ("variants", {"a": {"initial_variant_weight": 0}}),
    "variant with unknown key": ("variants", {"a": {"weight": 1}}),
    "container variable starting with a digit": ("container_environment", {"1X": "y"}),
    "model data outside S3": ("model_data_url", "https://example.com/model.tar.gz"),
    "description too long": ("description", "x" * 501),
    "canary without step": ("deployment", {"traffic_routing": "canary"}),
    "all at once with a step": ("deployment", {"traffic_routing": "all_at_once", "step_percent": 10}),
    "unknown traffic routing": ("deployment", {"traffic_routing": "blue_green"}),
    "autoscaling minimum zero": ("autoscaling", {"min_capacity": 0, "max_capacity": 2, "target_invocations_per_instance": 100}),
    "capture mode listed twice": ("data_capture", {"destination_s3_uri": "s3://bucket/capture", "capture_modes": ["Input", "Input"]}),
}

BAD_ENVIRONMENTS = {
    "basic auth without secret": ("registries.platform.credentials_secret_arn", ...),
    "no auth with a secret": ("registries.platform.auth", "none"),
    "unknown auth mode": ("registries.platform.auth", "token"),
    "registry host in upper case": ("registries.platform.host", "Registry.Example.com"),
    "registry name with hyphen": ("registries", {"my-registry": ENVIRONMENT["registries"]["platform"]}),
    "bad security group": ("registries.platform.security_group_id", "sg-xyz"),
    "secret ARN of another service": ("registries.platform.credentials_secret_arn", "arn:aws:s3:::bucket"),
    "account ID as a number": ("aws.account_id", 111111111111),
    "region misspelt": ("aws.region", "eu-west"),
    "duplicate subnets": ("network.subnet_ids", ["subnet-0123456789abcdef0"] * 2),
    "no subnets": ("network.subnet_ids", []),
    "bad VPC ID": ("network.vpc_id", "vpc-1"),
    "state key without .tfstate": ("backend.key", "dev.state"),
    "unknown key": ("region", "eu-west-1"),
    "no registries": ("registries", {}),
}


@pytest.mark.parametrize("path,value", BAD_CATALOGS.values(), ids=BAD_CATALOGS.keys())
def test_catalog_schema_rejects_what_the_models_reject(path: str, value: Any) -> None:
    document = changed(CATALOG, path, value)
    assert model_rejects(CatalogEntry, document), "the table must list only invalid catalog entries"
    assert schema_errors(catalog_schema(), document)


@pytest.mark.parametrize("path,value", BAD_ENVIRONMENTS.values(), ids=BAD_ENVIRONMENTS.keys())
def test_environment_schema_rejects_what_the_models_reject(path: str, value: Any) -> None:
    document = changed(ENVIRONMENT, path, value)
    assert model_rejects(EnvironmentFile, document), "the table must list only invalid environments"
    assert schema_errors(environment_schema(), document)


def test_catalog_schema_accepts_a_minimal_entry() -> None:
    assert schema_errors(catalog_schema(), CATALOG) == []


def test_catalog_schema_accepts_a_linear_deployment_with_its_step() -> None:
    document = changed(CATALOG, "deployment", {"traffic_routing": "linear", "step_percent": 25})
    CatalogEntry.model_validate(document)
    assert schema_errors(catalog_schema(), document) == []


def test_environment_schema_accepts_a_registry_without_auth() -> None:
    registry = {"host": "mirror.example.com", "auth": "none", "security_group_id": "sg-0123456789abcdef0"}
    assert schema_errors(environment_schema(), changed(ENVIRONMENT, "registries.platform", registry)) == []


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "catalog").glob("*.yaml")), ids=lambda p: p.name)
def test_catalog_schema_accepts_every_committed_catalog_file(path: Path) -> None:
    assert schema_errors(catalog_schema(), yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "environments").glob("*/environment.yaml")), ids=lambda p: p.parent.name)
def test_environment_schema_accepts_every_committed_environment_file(path: Path) -> None:
    assert schema_errors(environment_schema(), yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize("schema", [catalog_schema(), environment_schema()], ids=["catalog", "environment"])
def test_schema_is_valid_draft_7(schema: dict[str, Any]) -> None:
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "catalog").glob("*.yaml")), ids=lambda p: p.name)
def test_catalog_file_names_the_schema_on_its_first_line(path: Path) -> None:
    assert path.read_text().splitlines()[0] == CATALOG_SCHEMA_COMMENT


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "environments").glob("*/environment.yaml")), ids=lambda p: p.parent.name)
def test_environment_file_names_the_schema_on_its_first_line(path: Path) -> None:
    assert path.read_text().splitlines()[0] == ENVIRONMENT_SCHEMA_COMMENT


def test_schema_comment_points_at_the_committed_schema_file() -> None:
    for comment, folder in ((CATALOG_SCHEMA_COMMENT, "catalog"), (ENVIRONMENT_SCHEMA_COMMENT, "environments/dev")):
        target = (REPO_ROOT / folder / comment.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), target


def test_schema_check_passes_on_the_repository() -> None:
    result = run_generator("schema", "--check", cwd=REPO_ROOT)
    assert (result.returncode, result.stdout) == (0, "ok: schemas/ is current\n")


def test_schema_writes_the_committed_bytes(repo_copy: Path) -> None:
    for path in (repo_copy / "schemas").iterdir():
        path.unlink()
    result = run_generator("schema", cwd=repo_copy)
    assert result.returncode == 0, result.stderr
    for name in ("catalog.schema.json", "environment.schema.json"):
        assert (repo_copy / "schemas" / name).read_bytes() == (REPO_ROOT / "schemas" / name).read_bytes()


def test_schema_check_fails_on_a_stale_file_and_writes_nothing(repo_copy: Path) -> None:
    stale = repo_copy / "schemas" / "catalog.schema.json"
    stale.write_text(json.dumps({"stale": True}) + "\n")
    result = run_generator("schema", "--check", cwd=repo_copy)
    assert result.returncode == 1
    assert result.stderr == (
        "error: fix: run `python -m generator schema` and commit the result"
        " — these schema files are stale:\n  schemas/catalog.schema.json\n"
    )
    assert json.loads(stale.read_text()) == {"stale": True}
