"""The benchmark code (bench/) keeps working: its parts, and one quick end-to-end run.

Nothing here times anything: `make bench` measures, these tests only keep it from rotting.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import flat_plan, synthetic, terraform_cases
from bench.measure import counting_cpu, peak_rss
from bench.report import Row, Target, table
from generator.cli import main as generator_main
from tests.helpers import REPO_ROOT

ENVIRONMENTS = ["dev", "staging", "prod"]


def test_synthetic_catalog_validates_for_every_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = synthetic.make_repository(REPO_ROOT, tmp_path, 7, ENVIRONMENTS)

    assert generator_main(["validate", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "ok: 7 endpoints, 3 environments, 21 deployments\n"


def test_synthetic_catalog_keeps_the_template_overrides(tmp_path: Path) -> None:
    synthetic.make_repository(REPO_ROOT, tmp_path, len(synthetic.load_templates(REPO_ROOT)), ENVIRONMENTS)
    entries = {p.stem: yaml.safe_load(p.read_text()) for p in (tmp_path / "catalog").glob("*.yaml")}
    templates = dict(synthetic.load_templates(REPO_ROOT))
    for index, (_, template) in enumerate(sorted(templates.items())):
        entry = entries[synthetic.endpoint_name(index)]
        assert entry["instance_type"] == template["instance_type"]
        assert entry["environments"]["prod"] == ((template.get("environments") or {}).get("prod") or {})


def test_synthetic_catalog_in_group_folders_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = synthetic.make_repository(REPO_ROOT, tmp_path, 7, ENVIRONMENTS, group_size=3)

    assert sorted(p.name for p in (root / "catalog").iterdir()) == ["g000", "g001", "g002"]
    assert (root / "catalog" / "g002" / "group.yaml").read_text() == "owner: team-g002\n"
    assert len(synthetic.input_files(root)) == 3 + 7 + 3
    assert generator_main(["validate", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "ok: 7 endpoints, 3 environments, 21 deployments\n"


SCHEMA = {
    "block": {
        "attributes": {
            "id": {"type": "string", "optional": True, "computed": True},
            "arn": {"type": "string", "computed": True},
            "name": {"type": "string", "optional": True, "computed": True},
            "name_prefix": {"type": "string", "optional": True, "computed": True},
            "execution_role_arn": {"type": "string", "required": True},
            "filename": {"type": "string", "optional": True},
            "tags": {"type": ["map", "string"], "optional": True},
            "tags_all": {"type": ["map", "string"], "optional": True, "computed": True},
        },
        "block_types": {
            "vpc_config": {"nesting_mode": "list", "block": {"attributes": {
                "subnets": {"type": ["set", "string"], "required": True},
                "security_group_ids": {"type": ["set", "string"], "required": True},
            }}},
        },
    }
}


def _plan(address: str, values: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "variables": {"environment": {"value": "local"}, "aws_region": {"value": "us-east-1"}, "aws_account_id": {"value": "123456789012"}, "tags": {"value": {"team": "a"}}},
        "planned_values": {"root_module": {"child_modules": [{"resources": [
            {"address": address, "mode": "managed", "type": "aws_sagemaker_model", "name": "this", "values": values},
        ]}]}},
        "resource_changes": [{"address": address, "mode": "managed", "type": "aws_sagemaker_model", "name": "this",
                              "change": {"actions": ["create"], "after": values, "after_unknown": unknown}}],
    }


def test_flat_configuration_copies_planned_values_and_keeps_unknowns_unknown() -> None:
    address = 'module.endpoint["demo"].aws_sagemaker_model.this'
    values = {"tags": {"x": "${not a template}"}, "tags_all": {"x": "y"}, "filename": "../../build/a.zip",
              "vpc_config": [{"subnets": ["subnet-1"]}]}
    unknown = {"id": True, "arn": True, "name": True, "name_prefix": True, "execution_role_arn": True,
               "vpc_config": [{"security_group_ids": True}]}

    document = flat_plan.configuration([("g000", _plan(address, values, unknown), "/repo/terraform/group")], {"aws_sagemaker_model": SCHEMA})

    body = document["resource"]["aws_sagemaker_model"][flat_plan.label(f"g000.{address}")]
    assert body == {
        "execution_role_arn": flat_plan.UNKNOWN_REF,  # required and unknown: a reference, still unknown
        "filename": "/repo/build/a.zip",  # relative to the root module it was planned in
        "tags": {"x": "$${not a template}"},  # a literal, never a template
        "vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": [flat_plan.UNKNOWN_REF]}],
    }
    assert document["resource"]["terraform_data"] == {flat_plan.UNKNOWN_LABEL: {}}
    assert document["provider"]["aws"]["default_tags"] == [{"tags": {"team": "a", "sagemaker-gitops:environment": "local", "managed-by": "sagemaker-gitops"}}]


@pytest.mark.integration
def test_flat_configuration_is_valid_terraform(tmp_path: Path) -> None:
    address = 'module.endpoint["demo"].aws_sagemaker_model.this'
    values = {"vpc_config": [{"subnets": ["subnet-1"]}]}
    unknown = {"execution_role_arn": True, "vpc_config": [{"security_group_ids": True}]}
    document = flat_plan.configuration([("g000", _plan(address, values, unknown), "/x")], {"aws_sagemaker_model": SCHEMA})
    del document["terraform"]["backend"]
    flat_plan.write(tmp_path / "main.tf.json", document)
    (tmp_path / ".terraform.lock.hcl").write_bytes((REPO_ROOT / "terraform/group/.terraform.lock.hcl").read_bytes())
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(REPO_ROOT / "terraform.rc"), "TF_DATA_DIR": str(tmp_path / ".terraform")}

    for argv in (["init", "-backend=false", "-lockfile=readonly"], ["validate"]):
        result = subprocess.run(["terraform", *argv, "-no-color"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def _change(address: str, type_: str, tags: dict[str, str], after_unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "address": address, "mode": "managed", "type": type_, "name": address.rsplit(".", 1)[-1],
        "change": {"actions": ["create"], "before": None, "after": {"tags": tags, "name": "n"}, "after_unknown": after_unknown or {"arn": True}},
    }


def test_same_resources_names_what_only_one_side_creates() -> None:
    tags = {"sagemaker-gitops:endpoint": "demo"}
    module_plan = {"resource_changes": [
        _change('module.endpoint["demo"].aws_sagemaker_endpoint.this', "aws_sagemaker_endpoint", tags),
        _change('module.endpoint["demo"].aws_cloudwatch_metric_alarm.errors', "aws_cloudwatch_metric_alarm", tags),
    ]}
    flat = {"resource_changes": [
        _change("aws_sagemaker_endpoint.r_demo", "aws_sagemaker_endpoint", tags),
        _change("terraform_data.unknown", "terraform_data", {}),
    ]}

    assert flat_plan.same_resources([module_plan], module_plan) == []
    assert flat_plan.same_resources([module_plan], flat) == ["only in the modules' plans: aws_cloudwatch_metric_alarm ['create'] (x1)"]


def test_busy_time_counts_overlapping_commands_once() -> None:
    second = 1_000_000_000
    assert terraform_cases._busy([(0, 2 * second), (1 * second, 3 * second), (5 * second, 6 * second)]) == 4.0
    assert terraform_cases._busy([]) == 0.0


def test_large_plan_clones_endpoints_up_to_the_requested_count() -> None:
    real = {"format_version": "1.2", "resource_changes": [
        _change("module.iam.aws_iam_role.this", "aws_iam_role", {}),
        _change('module.endpoint["demo"].aws_sagemaker_model.this', "aws_sagemaker_model", {"sagemaker-gitops:endpoint": "demo"}),
        _change('module.endpoint["demo"].aws_sagemaker_endpoint.this', "aws_sagemaker_endpoint", {"sagemaker-gitops:endpoint": "demo"}),
    ]}

    plan = synthetic.large_plan(real, 101)

    changes = plan["resource_changes"]
    assert len(changes) == 101
    assert len({c["address"] for c in changes}) == 101
    actions = {tuple(c["change"]["actions"]) for c in changes}
    assert {("no-op",), ("create",), ("delete",), ("update",), ("create", "delete")} <= actions
    assert all("demo" not in c["address"] for c in changes)


def test_table_marks_a_missed_target_and_an_unavailable_row() -> None:
    rows = [
        Row("1", "render | parse", "1,000 × 3", 0.9, 0.2, target=Target(max_ratio=3.0, max_value=0.5)),
        Row("4", "summary | json.load", "10,000 resources", None, note="missing"),
    ]

    text = table(rows)

    assert "| 0.900 s |" in text and "| 4.50× |" in text and "≤ 0.500 s and ≤ 3×" in text
    assert "**FAIL**" in text
    assert "not available" in text


def test_peak_rss_is_the_child_process_own_peak() -> None:
    big = peak_rss([sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"], REPO_ROOT)
    small = peak_rss([sys.executable, "-c", "pass"], REPO_ROOT)

    assert big >= 200 * 1024 * 1024
    assert small < 100 * 1024 * 1024


# A child that spins until it has used this much CPU of its own, then ends.
SPIN = "import time\nwhile time.process_time() < 0.2:\n    pass\n"


def test_counting_cpu_adds_the_cpu_time_of_each_runs_child_processes() -> None:
    counted: list[float] = []
    spin = counting_cpu(lambda: subprocess.run([sys.executable, "-c", SPIN], check=True), counted)

    spin()
    spin()

    assert len(counted) == 2
    assert all(seconds >= 0.2 for seconds in counted)


@pytest.mark.integration
def test_bench_quick_run_measures_every_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text()
    for section in ("| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |"):
        assert section in text, f"section {section} missing from:\n{text}"
    assert "not available" not in text, text
    assert "plans differ" not in text, text
    assert "- Tools: terraform 1." in text
    assert "one-endpoint change" in text and "every state" in text and "one group state" in text
    assert "## Quota figures" in text and "quotas of prod:" in text
