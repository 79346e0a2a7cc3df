"""Python and Terraform enforce the same rules: one table of patterns (tests/rules_table.py) and
one of settings that are no pattern (SETTING_CASES), the same verdict from the pydantic models and
from the group root module's variable validations, and the Terraform validations quote
generator.common.rules' pattern text verbatim."""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from pydantic import BaseModel, ValidationError

from generator.catalog.models import CatalogEntry, EnvironmentFile
from generator.common import rules
from tests.helpers import REPO_ROOT, image
from tests.rules_table import ROWS, Row

RULE_TEXTS = {name: value for name, value in vars(rules).items() if name.isupper() and isinstance(value, str) and value.startswith("^")}
# Module-internal names and derived ARNs that no hand-written input carries.
LOCAL_PATTERNS = {
    "^[\\w+=,.@-]{1,64}$",  # modules/iam: the role name the root module builds
    "^[A-Za-z0-9_-]{1,59}$",  # modules/registry_credentials: the function name the root module builds
    "^[a-zA-Z0-9][a-zA-Z0-9-]{0,54}$",  # modules/vpc_endpoints: the name prefix the root module builds
    "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$",  # modules/vpc_endpoints: registry keys of allowed_security_group_ids
    "^pl-[0-9a-f]{8,17}$",  # modules/sagemaker_endpoint: the S3 gateway's prefix list, an output of vpc_endpoints
    "^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*]+\\*?$",  # modules/iam: S3 ARNs built from the URIs
    "^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.*\\*$",
}

CATALOG: dict[str, Any] = {
    "name": "demo",
    "image": image(),
    "instance_type": "ml.m5.large",
    "initial_instance_count": 1,
    "environments": {"dev": {}},
}
ENVIRONMENT: dict[str, Any] = {
    "aws": {"region": "eu-west-1", "account_id": "111111111111"},
    "network": {"vpc_id": "vpc-0a1b2c3d4e5f60001", "subnet_ids": ["subnet-0a1b2c3d4e5f60011"]},
    "registries": {
        "main": {
            "host": "registry.example.com",
            "auth": "basic",
            "credentials_secret_arn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-Ab12Cd",
            "security_group_id": "sg-0a1b2c3d4e5f60101",
        }
    },
    "backend": {"bucket": "state-111111111111", "key": "dev.tfstate", "region": "eu-west-1"},
}

# kind -> (model, path of the value in the model's input), or a bare rule for module-only kinds.
PYTHON_PLACES: dict[str, tuple[type[BaseModel], dict[str, Any], tuple[str, ...]]] = {
    "endpoint_name": (CatalogEntry, CATALOG, ("name",)),
    "environment_name": (CatalogEntry, CATALOG, ("environments", "<key>")),
    "image": (CatalogEntry, CATALOG, ("image",)),
    "instance_type": (CatalogEntry, CATALOG, ("instance_type",)),
    "model_data_url": (CatalogEntry, CATALOG, ("model_data_url",)),
    "capture_uri": (CatalogEntry, CATALOG, ("data_capture", "destination_s3_uri")),
    "registry_host": (EnvironmentFile, ENVIRONMENT, ("registries", "main", "host")),
    "account_id": (EnvironmentFile, ENVIRONMENT, ("aws", "account_id")),
    "region": (EnvironmentFile, ENVIRONMENT, ("aws", "region")),
    "secret_arn": (EnvironmentFile, ENVIRONMENT, ("registries", "main", "credentials_secret_arn")),
    "kms_key_arn": (EnvironmentFile, ENVIRONMENT, ("kms_key_arn",)),
    "tag_key": (EnvironmentFile, ENVIRONMENT, ("tags", "<key>")),
    "tag_value": (EnvironmentFile, ENVIRONMENT, ("tags", "team")),
}
MODULE_ONLY = {"iam_role_arn": rules.IAM_ROLE_ARN, "lambda_function_arn": rules.LAMBDA_FUNCTION_ARN}


def _place(document: dict[str, Any], path: tuple[str, ...], value: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    node = document
    for step in path[:-1]:
        node = node.setdefault(step, {})
    if path[-1] == "<key>":
        node.clear()
        node[value] = {} if path[0] == "environments" else "v"
    else:
        node[path[-1]] = value
    return document


def python_accepts(row: Row) -> bool:
    if row.kind in MODULE_ONLY:
        return rules.matches(MODULE_ONLY[row.kind], row.value)
    model, base, path = PYTHON_PLACES[row.kind]
    try:
        model.model_validate(_place(base, path, row.value))
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.kind}-{i}" for i, r in enumerate(ROWS)])
def test_python_gives_each_row_its_verdict(row: Row) -> None:
    assert python_accepts(row) is row.valid, row


# --- Terraform ------------------------------------------------------------------------------------


def _regex_literals(text: str) -> list[str]:
    return [json.loads(f'"{m}"') for m in re.findall(r'regex\("((?:[^"\\]|\\.)*)"', text)]


@pytest.mark.parametrize("path", sorted(p.relative_to(REPO_ROOT).as_posix() for p in [*REPO_ROOT.glob("terraform/*/*.tf"), *REPO_ROOT.glob("modules/*/variables.tf")] if p.name in ("variables.tf", "environment.tf") and not p.is_symlink()))
def test_terraform_validations_quote_the_shared_pattern_text(path: str) -> None:
    unknown = [p for p in _regex_literals((REPO_ROOT / path).read_text()) if p not in RULE_TEXTS.values() and p not in LOCAL_PATTERNS]
    assert unknown == []


def test_the_policy_check_keeps_the_digest_image_pattern_of_the_rules() -> None:
    source = (REPO_ROOT / "policies/checks/SagemakerModelImagePinnedByDigest.py").read_text()
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value.args[0])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "attr", "") == "compile"
    }
    assert assigned["DIGEST_IMAGE"] == rules.DIGEST_IMAGE


def _hcl(value: Any) -> str:
    """A JSON value as an HCL expression: JSON's syntax is HCL's, once templates are escaped."""
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


TF_ENDPOINT: dict[str, Any] = {
    "image": image(),
    "registry": "main",
    "variants": {"primary": {"instance_type": "ml.m5.large", "initial_instance_count": 1, "initial_variant_weight": 1}},
    "container_environment": {},
    "enable_network_isolation": False,
    "tags": {},
}
TF_VARIABLES: dict[str, Any] = {
    "environment": "dev",
    "aws_region": "eu-west-1",
    "aws_account_id": "111111111111",
    "network": {"vpc_id": "vpc-0a1b2c3d4e5f60001", "subnet_ids": ["subnet-0a1b2c3d4e5f60011"], "s3_gateway_route_table_ids": ["rtb-0a1b2c3d4e5f60021"]},
    "registries": {"main": ENVIRONMENT["registries"]["main"]},
    "kms_key_arn": None,
    "tags": {},
    "endpoints": {"demo": TF_ENDPOINT},
}
CAPTURE = {"sampling_percentage": 100, "capture_modes": ["Input"], "json_content_types": [], "csv_content_types": []}


class SettingCase(NamedTuple):
    """A setting that is no pattern: the same value as a catalog entry (judged by the models) and
    as the group root's `endpoints` (judged by its validations, once for the whole map)."""

    name: str
    catalog: dict[str, Any]  # merged into CATALOG
    terraform: dict[str, Any]  # merged into TF_ENDPOINT; `variant` into its primary variant
    valid: bool


CAPTURE_URI = "s3://capture-bucket/demo/"
TF_DEPLOYMENT = {"traffic_routing": "ALL_AT_ONCE", "wait_interval_seconds": 0, "termination_wait_seconds": 0, "rollback_alarm_names": []}
TF_AUTOSCALING = {"target_invocations_per_instance": 100, "scale_in_cooldown_seconds": 300, "scale_out_cooldown_seconds": 60}


SETTING_CASES = [
    SettingCase("one_instance", {"initial_instance_count": 1}, {"variant": {"initial_instance_count": 1}}, True),
    SettingCase("no_instance", {"initial_instance_count": 0}, {"variant": {"initial_instance_count": 0}}, False),
    SettingCase(
        "autoscaling_within_bounds",
        {"autoscaling": {"min_capacity": 1, "max_capacity": 2, "target_invocations_per_instance": 100}},
        {"variant": {"autoscaling": {**TF_AUTOSCALING, "min_capacity": 1, "max_capacity": 2}}},
        True,
    ),
    SettingCase(
        "autoscaling_min_above_max",
        {"autoscaling": {"min_capacity": 3, "max_capacity": 2, "target_invocations_per_instance": 100}},
        {"variant": {"autoscaling": {**TF_AUTOSCALING, "min_capacity": 3, "max_capacity": 2}}},
        False,
    ),
    SettingCase(
        "capture_of_every_request",
        {"data_capture": {"destination_s3_uri": CAPTURE_URI, "sampling_percentage": 100, "capture_modes": ["Input", "Output"]}},
        {"data_capture": {**CAPTURE, "destination_s3_uri": CAPTURE_URI, "capture_modes": ["Input", "Output"]}},
        True,
    ),
    SettingCase(
        "capture_of_no_request",
        {"data_capture": {"destination_s3_uri": CAPTURE_URI, "sampling_percentage": 0}},
        {"data_capture": {**CAPTURE, "destination_s3_uri": CAPTURE_URI, "sampling_percentage": 0}},
        False,
    ),
    SettingCase(
        "capture_mode_unknown",
        {"data_capture": {"destination_s3_uri": CAPTURE_URI, "capture_modes": ["Everything"]}},
        {"data_capture": {**CAPTURE, "destination_s3_uri": CAPTURE_URI, "capture_modes": ["Everything"]}},
        False,
    ),
    SettingCase(
        "canary_with_step",
        {"deployment": {"traffic_routing": "canary", "step_percent": 10}},
        {"deployment": {**TF_DEPLOYMENT, "traffic_routing": "CANARY", "step_percent": 10}},
        True,
    ),
    SettingCase(
        "canary_without_step",
        {"deployment": {"traffic_routing": "canary"}},
        {"deployment": {**TF_DEPLOYMENT, "traffic_routing": "CANARY"}},
        False,
    ),
    SettingCase(
        "all_at_once_with_step",
        {"deployment": {"traffic_routing": "all_at_once", "step_percent": 10}},
        {"deployment": {**TF_DEPLOYMENT, "step_percent": 10}},
        False,
    ),
    SettingCase(
        "waits_within_an_hour",
        {"deployment": {"wait_interval_seconds": 3600, "maximum_execution_timeout_seconds": 600}},
        {"deployment": {**TF_DEPLOYMENT, "wait_interval_seconds": 3600, "maximum_execution_timeout_seconds": 600}},
        True,
    ),
    SettingCase(
        "wait_over_an_hour",
        {"deployment": {"termination_wait_seconds": 3601}},
        {"deployment": {**TF_DEPLOYMENT, "termination_wait_seconds": 3601}},
        False,
    ),
    SettingCase(
        "execution_timeout_under_ten_minutes",
        {"deployment": {"maximum_execution_timeout_seconds": 599}},
        {"deployment": {**TF_DEPLOYMENT, "maximum_execution_timeout_seconds": 599}},
        False,
    ),
    SettingCase(
        "ten_rollback_alarms",
        {"deployment": {"rollback_alarm_names": [f"alarm-{i}" for i in range(10)]}},
        {"deployment": {**TF_DEPLOYMENT, "rollback_alarm_names": [f"alarm-{i}" for i in range(10)]}},
        False,
    ),
]


def python_accepts_setting(case: SettingCase) -> bool:
    try:
        CatalogEntry.model_validate({**copy.deepcopy(CATALOG), **copy.deepcopy(case.catalog)})
    except ValidationError:
        return False
    return True


def terraform_setting_case(case: SettingCase) -> dict[str, Any]:
    """The variables that differ from TF_VARIABLES for a setting case."""
    endpoint = copy.deepcopy(TF_ENDPOINT)
    terraform = copy.deepcopy(case.terraform)
    endpoint["variants"]["primary"].update(terraform.pop("variant", {}))
    endpoint.update(terraform)
    allowed = {"artifact_buckets": [], "capture_buckets": [rules.s3_bucket(CAPTURE_URI)] if "data_capture" in endpoint else []}
    return {"endpoints": {"demo": endpoint}, "s3": allowed}


@pytest.mark.parametrize("case", SETTING_CASES, ids=[c.name for c in SETTING_CASES])
def test_python_gives_each_setting_case_its_verdict(case: SettingCase) -> None:
    assert python_accepts_setting(case) is case.valid, case


def terraform_case(row: Row) -> tuple[str, dict[str, Any]]:
    """(the variable that judges the row, the variables that differ from TF_VARIABLES)."""
    endpoint = copy.deepcopy(TF_ENDPOINT)
    registry = copy.deepcopy(ENVIRONMENT["registries"]["main"])
    match row.kind:
        case "endpoint_name":
            return "endpoints", {"endpoints": {row.value: endpoint}}
        case "environment_name":
            return "environment", {"environment": row.value}
        case "image" | "model_data_url":
            endpoint[row.kind] = row.value
        case "instance_type":
            endpoint["variants"]["primary"]["instance_type"] = row.value
        case "capture_uri":
            endpoint["data_capture"] = {**CAPTURE, "destination_s3_uri": row.value}
        case "registry_host" | "secret_arn":
            registry["host" if row.kind == "registry_host" else "credentials_secret_arn"] = row.value
            return "registries", {"registries": {"main": registry}}
        case "account_id":
            return "aws_account_id", {"aws_account_id": row.value}
        case "region":
            return "aws_region", {"aws_region": row.value}
        case "kms_key_arn":
            return "kms_key_arn", {"kms_key_arn": row.value}
        case "tag_key":
            return "tags", {"tags": {row.value: "v"}}
        case "tag_value":
            return "tags", {"tags": {"team": row.value}}
    # The pattern is under test, not the environment's S3 allow-list (tests/test_hostile_inputs.py):
    # a well-formed location is allowed, so that only its form decides the verdict.
    allowed = {"artifact_buckets": [], "capture_buckets": []}
    if row.valid and row.kind in ("model_data_url", "capture_uri"):
        allowed["artifact_buckets" if row.kind == "model_data_url" else "capture_buckets"] = [rules.s3_bucket(row.value)]
    return "endpoints", {"endpoints": {"demo": endpoint}, "s3": allowed}


TERRAFORM_ROWS = [(i, r) for i, r in enumerate(ROWS) if r.kind not in MODULE_ONLY]

MOCKS = """\
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
  mock_data "aws_prefix_list" {
    defaults = { id = "pl-0123456789abcdef0" }
  }
}
"""


def tftest(valid: bool, mocks: str) -> str:
    """Run blocks for the rows and setting cases with this verdict (`valid`), after `mocks`."""
    blocks = [mocks, "variables {\n" + "".join(f"  {k} = {_hcl(v)}\n" for k, v in TF_VARIABLES.items())]
    blocks[-1] += '  group = "default"\n}\n'
    for index, row in TERRAFORM_ROWS:
        if row.valid is not valid:
            continue
        variable, values = terraform_case(row)
        body = "".join(f"    {k} = {_hcl(v)}\n" for k, v in values.items())
        expect = "" if row.valid else f"  expect_failures = [var.{variable}]\n"
        blocks.append(f'run "row_{index}" {{\n  command = plan\n  variables {{\n{body}  }}\n{expect}}}\n')
    for case in SETTING_CASES:
        if case.valid is not valid:
            continue
        body = "".join(f"    {k} = {_hcl(v)}\n" for k, v in terraform_setting_case(case).items())
        expect = "" if case.valid else "  expect_failures = [var.endpoints]\n"
        blocks.append(f'run "setting_{case.name}" {{\n  command = plan\n  variables {{\n{body}  }}\n{expect}}}\n')
    return "\n".join(blocks)


# The files of terraform/group that declare its variables, and with them every validation.
VARIABLE_FILES = ("environment.tf", "variables.tf")


def _terraform(args: list[str], cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(REPO_ROOT / "terraform.rc"),
        "TF_DATA_DIR": str(data_dir),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    return subprocess.run(["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_every_variable_of_the_group_module_is_declared_in_its_variable_files() -> None:
    """The invalid rows are checked against these files alone (below): a variable declared
    anywhere else would escape them."""
    root = REPO_ROOT / "terraform" / "group"
    elsewhere = [p.name for p in root.glob("*.tf") if p.name not in VARIABLE_FILES and re.search(r'^variable "', p.read_text(), re.M)]

    assert elsewhere == []


def _terraform_test(root: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    init = _terraform(["init", "-backend=false", "-input=false", "-no-color"], root, data_dir)
    assert init.returncode == 0, init.stdout + init.stderr
    return _terraform(["test", "-no-color"], root, data_dir)


@pytest.mark.integration
def test_terraform_gives_each_row_the_verdict_python_gives(tmp_path: Path) -> None:
    """A valid row plans the whole group root module (the provider's own checks of the values
    included, against a mock provider); an invalid one is refused by a variable validation, so
    those rows plan a module made of the group module's variable files only, which needs no
    provider and takes a fraction of the time."""
    assert [r for _, r in TERRAFORM_ROWS if python_accepts(r) is not r.valid] == []
    assert [c for c in SETTING_CASES if python_accepts_setting(c) is not c.valid] == []
    for name in ("terraform", "modules"):
        shutil.copytree(REPO_ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns(".terraform*", "__pycache__", "tests", "examples"))
    root = tmp_path / "terraform" / "group"
    (root / "backend_override.tf").write_text("terraform {\n  backend \"local\" {}\n}\n")
    package = tmp_path / "package.zip"
    package.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (root / "tests").mkdir()
    (root / "tests/rules.tftest.hcl").write_text(tftest(valid=True, mocks=MOCKS))
    validations = tmp_path / "validations"
    (validations / "tests").mkdir(parents=True)
    for name in VARIABLE_FILES:
        shutil.copyfile(REPO_ROOT / "terraform" / "group" / name, validations / name)  # follows the shared file's link
    (validations / "tests/rules.tftest.hcl").write_text(tftest(valid=False, mocks=""))

    results = [_terraform_test(root, tmp_path / "tf-data"), _terraform_test(validations, tmp_path / "tf-data-validations")]

    output = "".join(r.stdout for r in results)
    failed = [ROWS[int(i)] for i in re.findall(r'run "row_(\d+)"\.\.\. fail', output)]
    failed_settings = re.findall(r'run "setting_(\w+)"\.\.\. fail', output)
    logs = "".join(r.stdout[-4000:] + r.stderr[-4000:] for r in results)
    assert (failed, failed_settings) == ([], []), logs
    assert [r.returncode for r in results] == [0, 0], logs
    valid = sum(r.valid for _, r in TERRAFORM_ROWS) + sum(c.valid for c in SETTING_CASES)
    invalid = len(TERRAFORM_ROWS) + len(SETTING_CASES) - valid
    assert f"{valid} passed, 0 failed" in results[0].stdout
    assert f"{invalid} passed, 0 failed" in results[1].stdout
