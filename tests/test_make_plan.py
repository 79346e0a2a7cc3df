"""The main path end to end: `make plan` renders, initialises and plans against the embedded AWS."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import copy_repository

pytestmark = pytest.mark.integration


AWS_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")


def make(
    root: Path, *targets: str, env: dict[str, str] | None = None, unset: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=root,
        capture_output=True,
        text=True,
        env={**environ, "NO_COLOR": "1", **(env or {})},
        timeout=600,
        check=False,
    )


def resources(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rc["address"]: rc for rc in plan["resource_changes"]}


def plan_of(root: Path, state: str, env: str = "local") -> dict[str, Any]:
    return json.loads((root / f"build/{env}/{state}/plan.json").read_text())


def local_endpoints(root: Path) -> dict[str, Any]:
    return json.loads((root / "environments/local/groups/default.tfvars.json").read_text())["endpoints"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = copy_repository(tmp_path_factory.mktemp("plan") / "repo")
    return root, make(root, "plan")


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Apply the local environment, then plan again against the same emulator: values are known.
    The catalog also declares a group with no endpoint, which neither apply nor plan runs."""
    root = copy_repository(tmp_path_factory.mktemp("apply") / "repo")
    (root / "catalog" / "idle").mkdir()
    (root / "catalog" / "idle" / "group.yaml").write_text("owner: team-idle\n")
    try:
        result = make(root, "apply")
        assert result.returncode == 0, result.stderr[-3000:]
        result = make(root, "plan")
        assert result.returncode == 0, result.stderr[-3000:]
        yield root, {state: plan_of(root, state) for state in ("base", "default")}
    finally:
        make(root, "local-down")


def test_make_plan_exits_0_and_shows_the_whole_stack(planned: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, result = planned
    assert result.returncode == 0, result.stderr[-3000:]
    # The states plan side by side, each with Terraform's output in its own log.
    output = "".join((root / f"build/local/{state}/terraform.log").read_text() for state in ("base", "default"))
    for address in (
        'module.endpoint["fraud-scorer"].aws_sagemaker_model.this will be created',
        'module.endpoint["fraud-scorer"].aws_sagemaker_endpoint_configuration.this will be created',
        'module.endpoint["fraud-scorer"].aws_sagemaker_endpoint.this will be created',
        "module.iam[0].aws_iam_role.this will be created",
        'module.registry_credentials["platform"].aws_lambda_function.this will be created',
        "module.vpc_endpoints.aws_vpc_endpoint.lambda will be created",
    ):
        assert address in output


def test_make_plan_leaves_plan_artifacts(planned: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = planned
    for state in ("base", "default"):
        assert (root / f"build/local/{state}/plan.tfplan").stat().st_size > 0
        plan = plan_of(root, state)
        assert plan["format_version"].startswith("1.")
        assert plan["variables"]["environment"]["value"] == "local"
    assert (root / "build/local/plan.md").read_text().startswith("## Plan for environment `local`")


def test_make_plan_stops_the_emulator_it_started(planned: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, result = planned
    assert "stopped the AWS emulator" in result.stderr
    assert not (root / "build/local/moto.pid").exists()


def test_make_plan_models_pull_through_the_vpc_by_digest(planned: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = planned
    plan = plan_of(root, "default")
    changes = resources(plan)
    base = resources(plan_of(root, "base"))
    environment = yaml.safe_load((root / "environments/local/environment.yaml").read_text())
    endpoints = local_endpoints(root)
    assert endpoints, "the local environment deploys at least one endpoint"
    for name, endpoint in endpoints.items():
        model = changes[f'module.endpoint["{name}"].aws_sagemaker_model.this']
        after, unknown = model["change"]["after"], model["change"]["after_unknown"]
        container = after["primary_container"][0]
        assert container["image"] == endpoint["image"]
        assert container["image_config"][0]["repository_access_mode"] == "Vpc"
        assert after["vpc_config"][0]["subnets"] == sorted(environment["network"]["subnet_ids"])
        auth = container["image_config"][0]["repository_auth_config"]
        if environment["registries"][endpoint["registry"]]["auth"] == "none":
            assert auth == []
        else:
            # The group builds the ARN of the function the base state creates, by name: no state reads another's.
            function = base[f'module.registry_credentials["{endpoint["registry"]}"].aws_lambda_function.this']
            arn = auth[0]["repository_credentials_provider_arn"]
            assert arn == (
                f"arn:aws:lambda:{environment['aws']['region']}:{environment['aws']['account_id']}"
                f":function:{function['change']['after']['function_name']}"
            )
        # Every value that decides how the image is pulled is known when the plan is reviewed.
        assert not _any_unknown(unknown["primary_container"][0]["image_config"])
        assert not _any_unknown(unknown["vpc_config"][0].get("subnets", []))


def _any_unknown(marks: Any) -> bool:
    if isinstance(marks, dict):
        return any(_any_unknown(v) for v in marks.values())
    if isinstance(marks, list):
        return any(_any_unknown(v) for v in marks)
    return marks is True


def test_make_plan_wires_the_credentials_lambda_arn_into_authenticated_models(applied: tuple[Path, dict[str, Any]]) -> None:
    root, plans = applied
    base = {r["address"]: r for r in _state_resources(plans["base"]["prior_state"]["values"]["root_module"])}
    state = {r["address"]: r for r in _state_resources(plans["default"]["prior_state"]["values"]["root_module"])}
    lambda_arn = base['module.registry_credentials["platform"].aws_lambda_function.this']["values"]["arn"]
    role = state["module.iam[0].aws_iam_role_policy.execution"]["values"]["policy"]
    statements = {s["Sid"]: s for s in json.loads(role)["Statement"]}
    assert statements["InvokeRegistryCredentialsProviders"]["Resource"] == [lambda_arn]
    for name, endpoint in local_endpoints(root).items():
        model = state[f'module.endpoint["{name}"].aws_sagemaker_model.this']["values"]
        image_config = model["primary_container"][0]["image_config"][0]
        assert image_config["repository_access_mode"] == "Vpc"
        expected = [{"repository_credentials_provider_arn": lambda_arn}] if endpoint["registry"] == "platform" else []
        assert image_config["repository_auth_config"] == expected


def _state_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _state_resources(child)


def test_make_plan_for_a_real_account_without_credentials_stops_with_one_line(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    result = make(
        root,
        "plan",
        "ENV=prod",
        env={"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true"},
        unset=AWS_CREDENTIAL_VARIABLES,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: fix: configure AWS credentials for account 333333333333 (AWS_PROFILE, `aws sso login`, or an instance role)"
        " — environment 'prod' targets real AWS and no credentials were found"
    ]
    assert "Traceback" not in result.stderr
    assert list((root / "build").glob("prod/*/plan.tfplan")) == []


def test_make_plan_keeps_a_separate_terraform_data_dir_per_environment(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    local = (root / "environments/local/environment.yaml").read_text()
    sandbox = root / "environments/sandbox/environment.yaml"
    sandbox.parent.mkdir()
    sandbox.write_text(local.replace("sagemaker-gitops/local.tfstate", "sagemaker-gitops/sandbox.tfstate"))
    # An endpoint in each environment, so both plan the default group: the two share the emulator's
    # account and region, where one endpoint may not be deployed to both (validate refuses it).
    fraud = root / "catalog/fraud-scorer.yaml"
    fraud.write_text(fraud.read_text().replace("  local: {}\n", "  sandbox: {}\n"))
    for env in ("local", "sandbox"):
        result = make(root, "plan", f"ENV={env}")
        assert result.returncode == 0, result.stderr[-3000:]
    for env in ("local", "sandbox"):
        for state, key in (("base", "base.tfstate"), ("default", "groups/default.tfstate")):
            backend = json.loads((root / f"build/{env}/{state}/.terraform/terraform.tfstate").read_text())["backend"]
            assert backend["type"] == "s3"
            assert backend["config"]["key"] == f"sagemaker-gitops/{env}/{key}"
            assert (root / f"build/{env}/{state}/plan.json").is_file()


def test_make_plan_leaves_out_a_group_with_nothing_to_plan(applied: tuple[Path, dict[str, Any]]) -> None:
    root, _ = applied

    assert not (root / "build/local/idle/plan.json").exists()
    assert not (root / "build/local/idle/.terraform").exists()  # no Terraform command ran for it
    assert "nothing to plan (no endpoint of this environment in the group, no resource in its state): `local-idle`." in (root / "build/local/plan.md").read_text()
