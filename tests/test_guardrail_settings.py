"""Catalog fields for safe rollouts: deployment guardrails, autoscaling and data capture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import catalog_yaml, make_repo

DEPLOYMENT = """
  traffic_routing: canary
  step_percent: 10
  wait_interval_seconds: 300
  termination_wait_seconds: 600
  maximum_execution_timeout_seconds: 1800
  rollback_alarm_names: [demo-latency]
  rollback_on_5xx_errors_per_minute: 5"""

AUTOSCALING = """
  min_capacity: 1
  max_capacity: 4
  target_invocations_per_instance: 750"""


def rendered(root: Path, env: str = "dev") -> dict:
    assert main(["render", "--env", env, "--root", str(root)]) == 0
    return json.loads((root / "environments" / env / "groups" / "default.tfvars.json").read_text())["endpoints"]


def rejected(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["validate", "--root", str(root)]) == 2
    return capsys.readouterr().err


def test_render_omits_unset_guardrails(tmp_path: Path) -> None:
    demo = rendered(make_repo(tmp_path))["demo"]

    assert "deployment" not in demo and "data_capture" not in demo
    assert "autoscaling" not in demo["variants"]["primary"]


def test_render_deployment_uses_sagemaker_traffic_routing_names(tmp_path: Path) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(deployment=DEPLOYMENT)})

    assert rendered(root)["demo"]["deployment"] == {
        "traffic_routing": "CANARY",
        "step_percent": 10,
        "wait_interval_seconds": 300,
        "termination_wait_seconds": 600,
        "maximum_execution_timeout_seconds": 1800,
        "rollback_alarm_names": ["demo-latency"],
        "rollback_on_5xx_errors_per_minute": 5,
    }


def test_render_endpoint_autoscaling_applies_to_variants_without_their_own(tmp_path: Path) -> None:
    variants = """
  a: {}
  b:
    autoscaling: {min_capacity: 2, max_capacity: 8, target_invocations_per_instance: 100}"""
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(autoscaling=AUTOSCALING, variants=variants)})

    demo = rendered(root)["demo"]["variants"]

    assert demo["a"]["autoscaling"] == {
        "min_capacity": 1,
        "max_capacity": 4,
        "target_invocations_per_instance": 750.0,
        "scale_in_cooldown_seconds": 300,
        "scale_out_cooldown_seconds": 60,
    }
    assert (demo["b"]["autoscaling"]["min_capacity"], demo["b"]["autoscaling"]["max_capacity"]) == (2, 8)


def test_render_environment_override_merges_into_deployment(tmp_path: Path) -> None:
    environments = """
  dev:
    deployment:
      termination_wait_seconds: 0"""
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(deployment=DEPLOYMENT, environments=environments)})

    deployment = rendered(root)["demo"]["deployment"]

    assert (deployment["termination_wait_seconds"], deployment["step_percent"]) == (0, 10)


def test_render_environment_override_can_turn_data_capture_off(tmp_path: Path) -> None:
    environments = """
  dev:
    data_capture: null"""
    capture = """
  destination_s3_uri: s3://example-capture/demo"""
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(data_capture=capture, environments=environments)})

    assert "data_capture" not in rendered(root)["demo"]


def test_render_data_capture_defaults_to_everything(tmp_path: Path) -> None:
    capture = """
  destination_s3_uri: s3://example-capture/demo"""
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(data_capture=capture)})

    assert rendered(root)["demo"]["data_capture"] == {
        "destination_s3_uri": "s3://example-capture/demo",
        "sampling_percentage": 100,
        "capture_modes": ["Input", "Output"],
        "kms_key_arn": None,
        "json_content_types": [],
        "csv_content_types": [],
    }


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "deployment",
            "\n  traffic_routing: linear",
            "deployment: fix: set step_percent (1-99) — traffic_routing linear shifts that share of capacity per step",
        ),
        (
            "deployment",
            "\n  step_percent: 10",
            "deployment: fix: remove step_percent or use traffic_routing canary or linear — all_at_once shifts everything in one step",
        ),
        (
            "autoscaling",
            "\n  min_capacity: 5\n  max_capacity: 2\n  target_invocations_per_instance: 10",
            "autoscaling: fix: set min_capacity <= max_capacity — min_capacity 5 exceeds max_capacity 2",
        ),
        (
            "data_capture",
            "\n  destination_s3_uri: s3://example-capture/demo\n  capture_modes: [Input, Input]",
            "data_capture.capture_modes: fix: list each capture mode once — the list has duplicates",
        ),
        ("deployment", "\n  traffic_routing: blue", "deployment.traffic_routing"),
        ("deployment", "\n  maximum_execution_timeout_seconds: 60", "deployment.maximum_execution_timeout_seconds"),
        ("data_capture", "\n  destination_s3_uri: https://example.com/x", "data_capture.destination_s3_uri"),
        ("deployment", "\n  rollback_alarm_name: [x]", "deployment.rollback_alarm_name"),
    ],
)
def test_validate_rejects_bad_guardrail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, expected: str
) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(**{field: value})})

    assert expected in rejected(root, capsys)
