"""The benchmark code (bench/) keeps working: its parts, and one quick end-to-end run.

Nothing here times anything: `make bench` measures, these tests only keep it from rotting.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import flat, synthetic
from bench.measure import peak_rss
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


def test_flat_configuration_is_well_formed_hcl(tmp_path: Path) -> None:
    environment = json.loads((REPO_ROOT / "environments/local/environment.tfvars.json").read_text())
    endpoints = json.loads((REPO_ROOT / "environments/local/groups/default.tfvars.json").read_text())["endpoints"]
    text = flat.configuration(environment, endpoints, lambda_hash="AAAA")

    result = subprocess.run(["terraform", "fmt", "-"], input=text, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    for name in endpoints:
        assert f'resource "aws_sagemaker_endpoint" "{flat.label(name)}"' in text


def test_flat_restrict_drops_fields_the_flat_configuration_does_not_mirror() -> None:
    entry = {
        "name": "demo", "image": "x", "deployment": {"traffic_routing": "LINEAR"},
        "variants": {"a": {"instance_type": "ml.m5.large", "autoscaling": {"min_capacity": 1}}},
        "environments": {"prod": {"deployment": {}, "instance_type": "ml.c5.xlarge"}},
    }

    assert flat.restrict(entry) == {
        "name": "demo", "image": "x",
        "variants": {"a": {"instance_type": "ml.m5.large"}},
        "environments": {"prod": {"instance_type": "ml.c5.xlarge"}},
    }


def _change(address: str, type_: str, tags: dict[str, str], after_unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "address": address, "mode": "managed", "type": type_, "name": address.rsplit(".", 1)[-1],
        "change": {"actions": ["create"], "before": None, "after": {"tags": tags, "name": "n"}, "after_unknown": after_unknown or {"arn": True}},
    }


def test_same_resources_names_what_only_one_plan_creates() -> None:
    tags = {"sagemaker-gitops:endpoint": "demo"}
    module_plan = {"resource_changes": [
        _change('module.endpoint["demo"].aws_sagemaker_endpoint.this', "aws_sagemaker_endpoint", tags),
        _change('module.endpoint["demo"].aws_cloudwatch_metric_alarm.errors', "aws_cloudwatch_metric_alarm", tags),
    ]}
    flat_plan = {"resource_changes": [_change("aws_sagemaker_endpoint.x_demo", "aws_sagemaker_endpoint", tags)]}

    assert flat.same_resources(module_plan, module_plan) == []
    assert flat.same_resources(module_plan, flat_plan) == [
        'only in the root module\'s plan: aws_cloudwatch_metric_alarm [["create"], {"sagemaker-gitops:endpoint": "demo"}] (x1)'
    ]


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


@pytest.mark.integration
def test_bench_quick_run_measures_every_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text()
    for section in ("| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |"):
        assert section in text, f"section {section} missing from:\n{text}"
    assert "not available" not in text, text
    assert "plans differ" not in text, text
    assert "- Tools: terraform 1." in text
