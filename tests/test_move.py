"""Moving an endpoint to another group (a team reorganisation) on the embedded AWS: one command
carries its resources to the new group's state; nothing is destroyed or re-created."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
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


def changed(plan: dict[str, Any]) -> list[str]:
    return [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] not in (["no-op"], ["read"])]


@dataclass(frozen=True)
class Moved:
    root: Path
    before: dict[str, Any]  # DescribeEndpoint of the moved endpoint before the move
    result: subprocess.CompletedProcess[str]  # of `generator move`
    replanned: subprocess.CompletedProcess[str]  # `generator plan` of the environment right after

    def plan(self, state: str) -> dict[str, Any]:
        return json.loads((self.root / "build" / "local" / state / "plan.json").read_text())


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moved]:
    """The sample catalog applied, then `recommender` moved from the default group to `discovery`,
    then the environment planned again."""
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
        yield Moved(root, before, result, run_generator("plan", "--env", "local", cwd=root))
    finally:
        run_generator("local", "down", cwd=root)


def test_move_reports_what_it_moved(moved: Moved) -> None:
    assert moved.result.returncode == 0, moved.result.stderr[-3000:]
    last = moved.result.stdout.splitlines()[-1]  # after Terraform's own output of the two applies
    assert re.fullmatch(r"moved recommender \(4 resources\) from local-default to local-discovery; both states are applied", last)


def test_the_endpoint_keeps_its_arn_and_creation_time(moved: Moved) -> None:
    after = sagemaker(moved.root).describe_endpoint(EndpointName=MOVED)

    assert (after["EndpointArn"], after["CreationTime"]) == (moved.before["EndpointArn"], moved.before["CreationTime"])
    assert after["EndpointStatus"] == "InService"


def test_both_states_plan_empty_after_the_move(moved: Moved) -> None:
    assert moved.replanned.returncode == 0, moved.replanned.stderr[-3000:]
    assert {state: changed(moved.plan(state)) for state in ("default", "discovery")} == {"default": [], "discovery": []}


def test_the_endpoint_is_in_the_new_group_state_only(moved: Moved) -> None:
    prefix = f'module.endpoint["{MOVED}"]'
    plans = {state: moved.plan(state) for state in ("default", "discovery")}
    holders = {state for state, plan in plans.items() if any(c["address"].startswith(prefix) for c in plan["resource_changes"])}

    assert holders == {"discovery"}
