"""An environment applied as one Terraform state, before endpoint groups, moves into its base and
group states with `python -m generator migrate`: nothing is destroyed or re-created."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.catalog.states import BASE, State
from generator.deploy import workflow
from generator.deploy.terraform import TerraformRunner, check_toolchain
from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY, running
from tests.helpers import copy_repository, run_generator

pytestmark = pytest.mark.integration

ENDPOINTS = ("fraud-scorer", "recommender")


def sagemaker(root: Path) -> Any:
    emulator = running(root)
    assert emulator is not None
    return boto3.client("sagemaker", endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def merge_into_one_state(root: Path) -> None:
    """Turn the applied base and default states into the single state of the layout before groups
    (environment.yaml's backend.key), with the execution role at its old address."""
    env = workflow.prepare(root, "local", None).env
    with workflow.aws_for(root, env, keep_emulator=True) as aws_env:
        runners = {name: workflow.runner_for(root, env, State("local", name), aws_env, capture=True) for name in (BASE, "default")}
        legacy = TerraformRunner(root=root, state=State("local", "_single-state"), backend_key=env.settings.backend.key, binary=check_toolchain(root), extra_env=aws_env, capture=True)
        with tempfile.TemporaryDirectory() as scratch:
            single = Path(scratch) / "single.tfstate"
            parts = {}
            for name, runner in runners.items():
                runner.init()
                parts[name] = Path(scratch) / f"{name}.tfstate"
                parts[name].write_text(runner.state_command("pull"))
                resources = json.loads(parts[name].read_text())["resources"]
                for old in sorted({re.match(r'^module\.\w+(\["[^"]+"\]|\[\d+\])?', r["module"]).group(0) for r in resources if "module" in r}):
                    new = "module.iam" if old == "module.iam[0]" else old
                    runner.state_command("mv", f"-state={parts[name]}", f"-state-out={single}", old, new)
                # The group's marker of its first apply did not exist before groups: drop it.
                for marker in sorted({f'{r["type"]}.{r["name"]}' for r in resources if "module" not in r and r["mode"] == "managed"}):
                    runner.state_command("rm", f"-state={parts[name]}", f"{marker}[0]")
            legacy.init()
            legacy.state_command("push", str(single))
            for name, runner in runners.items():
                runners[name].init()
                runner.state_command("push", str(parts[name]))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any], Any]]:
    root = copy_repository(tmp_path_factory.mktemp("migrate") / "repo")
    assert run_generator("local", "up", cwd=root).returncode == 0
    try:
        applied = run_generator("apply", "--env", "local", cwd=root)
        assert applied.returncode == 0, applied.stderr[-3000:]
        before = {name: sagemaker(root).describe_endpoint(EndpointName=name) for name in ENDPOINTS}
        merge_into_one_state(root)
        result = run_generator("migrate", "--env", "local", cwd=root)
        yield root, before, result
    finally:
        run_generator("local", "down", cwd=root)


def test_migrate_succeeds(migrated: tuple[Path, dict[str, Any], Any]) -> None:
    _, _, result = migrated

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1] == "migrated sagemaker-gitops/local.tfstate into local-base (2 modules), local-default (4 modules); every state is applied"


def test_endpoints_keep_their_arn_and_creation_time(migrated: tuple[Path, dict[str, Any], Any]) -> None:
    root, before, _ = migrated
    after = {name: sagemaker(root).describe_endpoint(EndpointName=name) for name in ENDPOINTS}

    assert {n: (a["EndpointArn"], a["CreationTime"]) for n, a in after.items()} == {n: (b["EndpointArn"], b["CreationTime"]) for n, b in before.items()}


def test_every_state_plans_empty_after_the_migration(migrated: tuple[Path, dict[str, Any], Any]) -> None:
    root, _, _ = migrated
    result = run_generator("plan", "--env", "local", cwd=root)

    assert result.returncode == 0, result.stderr[-3000:]
    verdicts = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith(("changes: ", "no changes: "))]
    assert verdicts == ["no changes"] * 2
