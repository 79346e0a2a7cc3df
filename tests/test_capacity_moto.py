"""The capacity review end to end on the embedded AWS: quotas seeded by the launcher, endpoints
that really run in the emulator, `make plan`'s plan.md and the `capacity` command's exit code.

One private repository copy: apply the local environment with `fraud-scorer` at 2 instances of
ml.m5.large (quota 4), then plan catalog edits against that state — a new image digest (a
blue/green update: 2 old + 2 new), a move to ml.g5.xlarge (quota 0) and the removal of
`recommender` from the environment.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest

from generator.deploy import workflow
from generator.emulator import launcher as emulator
from tests.helpers import copy_repository, run_generator

pytestmark = pytest.mark.integration

NEW_DIGEST = "sha256:" + "7" * 64


class Scenarios(dict[str, str]):
    """plan.md by scenario; `commands` holds the `capacity` command's run after each plan."""

    def __init__(self) -> None:
        super().__init__()
        self.commands: dict[str, subprocess.CompletedProcess[str]] = {}


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenarios]:
    root = copy_repository(tmp_path_factory.mktemp("capacity") / "repo")
    fraud, recommender = root / "catalog" / "fraud-scorer.yaml", root / "catalog" / "recommender.yaml"
    two = fraud.read_text().replace("  local: {}\n", "  local:\n    initial_instance_count: 2\n")
    originals = {fraud: two, recommender: recommender.read_text()}
    found = Scenarios()

    def planned(name: str) -> None:
        result = workflow.plan(root, "local", capture=True)
        found[name] = result.review.read_text()
        found.commands[name] = run_generator("capacity", "--env", "local", cwd=root)
        for path, text in originals.items():
            path.write_text(text)

    try:
        fraud.write_text(two)
        workflow.apply(root, "local", capture=True)
        planned("unchanged")
        fraud.write_text(re.sub(r"sha256:[0-9a-f]{64}", NEW_DIGEST, two))
        planned("blue/green")
        fraud.write_text(two.replace("instance_type: ml.m5.large", "instance_type: ml.g5.xlarge"))
        planned("quota 0")
        recommender.write_text(originals[recommender].replace("  local: {}\n", ""))
        planned("delete")
        yield found
    finally:
        emulator.stop(root)


def row(text: str, instance_type: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| `{instance_type}` |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_blue_green_update_of_a_two_instance_endpoint_peaks_at_four(scenarios: Scenarios) -> None:
    assert row(scenarios["blue/green"], "ml.m5.large")[:5] == ["`ml.m5.large`", "2 → 2", "4", "4", "0"]
    assert (
        "* `fraud-scorer`: `ml.m5.large` 2 → 2 (peak 4) — blue/green, all at once (SageMaker's default): old and new fleets side by side\n"
        in scenarios["blue/green"]
    )


def test_with_enough_quota_there_is_no_warning_and_capacity_exits_0(scenarios: Scenarios) -> None:
    assert scenarios["blue/green"].startswith("## Plan for environment `local`\n")
    assert "Quotas: applied values of account 123456789012 in us-east-1 (Service Quotas); no shortfall." in scenarios["blue/green"]
    assert scenarios.commands["blue/green"].returncode == 0, scenarios.commands["blue/green"].stderr


def test_a_move_to_a_type_whose_quota_is_0_opens_plan_md_with_the_shortfall(scenarios: Scenarios) -> None:
    assert scenarios["quota 0"].startswith(
        "> ⚠️ **Capacity shortfall in account 123456789012 in us-east-1**: "
        "CreateEndpoint/UpdateEndpoint would fail with ResourceLimitExceeded during the apply.\n>\n"
        '> * `ml.g5.xlarge`: quota "ml.g5.xlarge for endpoint usage" is 0, 0 in use by other endpoints, this change needs 2 at its peak '
        '— fix: request an increase of "ml.g5.xlarge for endpoint usage" to at least 2 in Service Quotas (service Amazon SageMaker), '
        "or choose another instance type\n\n## Plan for environment `local`\n"
    )


def test_a_move_to_a_type_whose_quota_is_0_makes_capacity_exit_1(scenarios: Scenarios) -> None:
    command = scenarios.commands["quota 0"]

    assert command.returncode == 1
    assert '> * `ml.g5.xlarge`: quota "ml.g5.xlarge for endpoint usage" is 0' in command.stdout


def test_a_removed_endpoint_lowers_the_count(scenarios: Scenarios) -> None:
    assert row(scenarios["delete"], "ml.m5.xlarge")[:3] == ["`ml.m5.xlarge`", "1 → 0", "1"]
    assert row(scenarios["delete"], "ml.c5.xlarge")[:3] == ["`ml.c5.xlarge`", "1 → 0", "1"]
    assert "| all endpoint instances | 4 → 2 | 4 |" in scenarios["delete"]


def test_running_endpoints_the_plan_manages_are_not_counted_twice(scenarios: Scenarios) -> None:
    # Both endpoints run in the emulator, and the plan manages both: nothing is in use elsewhere.
    assert row(scenarios["unchanged"], "ml.m5.large")[:5] == ["`ml.m5.large`", "2 → 2", "2", "4", "0"]
    assert "No endpoint's capacity changes." in scenarios["unchanged"]


