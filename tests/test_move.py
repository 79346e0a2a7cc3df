"""Moving an endpoint to another group (a team reorganisation) on the embedded AWS: one command
carries its resources to the new group's state; nothing is destroyed or re-created."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY, running
from tests.helpers import copy_repository, run_generator

pytestmark = pytest.mark.integration

MOVED = "recommender"


def sagemaker(root: Path) -> Any:
    emulator = running(root)
    assert emulator is not None
    return boto3.client("sagemaker", endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def managed(plan_json: Path) -> list[str]:
    plan = json.loads(plan_json.read_text())
    return [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] not in (["no-op"], ["read"])]


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any], Any]]:
    """The sample catalog applied, then `recommender` moved from the default group to `discovery`."""
    root = copy_repository(tmp_path_factory.mktemp("move") / "repo")
    assert run_generator("local", "up", cwd=root).returncode == 0
    try:
        applied = run_generator("apply", "--env", "local", cwd=root)
        assert applied.returncode == 0, applied.stderr[-3000:]
        before = sagemaker(root).describe_endpoint(EndpointName=MOVED)
        (root / "catalog" / "discovery").mkdir()
        (root / "catalog" / "discovery" / "group.yaml").write_text("owner: team-discovery\n")
        (root / "catalog" / f"{MOVED}.yaml").rename(root / "catalog" / "discovery" / f"{MOVED}.yaml")
        result = run_generator("move", "--env", "local", "--endpoint", MOVED, cwd=root)
        yield root, before, result
    finally:
        run_generator("local", "down", cwd=root)


def test_move_reports_what_it_moved(moved: tuple[Path, dict[str, Any], Any]) -> None:
    _, _, result = moved

    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.splitlines()[-1]  # after Terraform's own output of the two applies
    assert re.fullmatch(r"moved recommender \(4 resources\) from local-default to local-discovery; both states are applied", last)


def test_the_endpoint_keeps_its_arn_and_creation_time(moved: tuple[Path, dict[str, Any], Any]) -> None:
    root, before, _ = moved
    after = sagemaker(root).describe_endpoint(EndpointName=MOVED)

    assert (after["EndpointArn"], after["CreationTime"]) == (before["EndpointArn"], before["CreationTime"])
    assert after["EndpointStatus"] == "InService"


def test_both_states_plan_empty_after_the_move(moved: tuple[Path, dict[str, Any], Any]) -> None:
    root, _, _ = moved
    result = run_generator("plan", "--env", "local", cwd=root)

    assert result.returncode == 0, result.stderr[-3000:]
    assert {state: managed(root / "build" / "local" / state / "plan.json") for state in ("default", "discovery")} == {"default": [], "discovery": []}


def test_the_endpoint_is_in_the_new_group_state_only(moved: tuple[Path, dict[str, Any], Any]) -> None:
    root, _, _ = moved
    prefix = f'module.endpoint["{MOVED}"]'
    plans = {state: json.loads((root / "build" / "local" / state / "plan.json").read_text()) for state in ("default", "discovery")}
    holders = {state for state, plan in plans.items() if any(c["address"].startswith(prefix) for c in plan["resource_changes"])}

    assert holders == {"discovery"}
