"""Safe changes against the embedded AWS, through the real Terraform: 50 endpoints applied once.

Applying 50 endpoints takes about a minute, so the module applies once and every test reads what
it needs from two shared steps: the initial apply and one rollout (an image digest change of one
catalog file, applied while a second apply is started against the locked state). The destroy test
applies a small environment of its own, so no test depends on the order they run in.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.catalog.loader import load_repository
from generator.catalog.states import State
from generator.deploy import workflow
from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY, running
from tests.helpers import REPO_ROOT, copy_repository, run_generator

pytestmark = pytest.mark.integration

ENDPOINTS = 50
CHANGED = "endpoint-17"  # odd: its registry needs credentials, so every resource kind is involved
STATE_BUCKET = "sagemaker-gitops-state-local"
LOCK_KEY = "sagemaker-gitops/local/groups/default.tfstate.tflock"  # the default group's state


def _catalog_entry(index: int, seed: str = "") -> str:
    name = f"endpoint-{index:02d}"
    host = "registry.ml.example.com" if index % 2 else "mirror.ml.example.com"
    digest = hashlib.sha256(f"{name}{seed}".encode()).hexdigest()
    text = (
        f"name: {name}\nimage: {host}/bench/{name}@sha256:{digest}\n"
        "instance_type: ml.m5.large\ninitial_instance_count: 1\nenvironments:\n  local: {}\n"
    )
    if index % 5 == 0:  # every fifth endpoint carries every guardrail, so idempotence covers them
        text += (
            "deployment:\n  traffic_routing: canary\n  step_percent: 10\n  wait_interval_seconds: 60\n"
            "  rollback_on_5xx_errors_per_minute: 5\n"
            "autoscaling:\n  min_capacity: 1\n  max_capacity: 3\n  target_invocations_per_instance: 500\n"
            "data_capture:\n  destination_s3_uri: s3://example-capture/bench\n  sampling_percentage: 20\n"
        )
    return text


def _aws(root: Path, service: str) -> Any:
    emulator = running(root)
    assert emulator is not None, "the AWS emulator of the test repository is not running"
    return boto3.client(
        service, endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )


def _start_generator(root: Path, log: Path, *args: str) -> subprocess.Popen[str]:
    """Start `python -m generator ...` with its output in a file (a pipe could fill and block it)."""
    with open(log, "w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", *args],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"},
        )


def _changed_resources(plan_json: Path) -> dict[str, list[str]]:
    changes = json.loads(plan_json.read_text())["resource_changes"]
    return {c["address"]: c["change"]["actions"] for c in changes if c["change"]["actions"] not in (["no-op"], ["read"])}


def _applied_plan_json(root: Path, state: str) -> Path:
    """`terraform show -json` of the plan file a `generator apply` of the state left behind
    (the apply itself writes no JSON of it)."""
    env = load_repository(root).environments["local"]
    out = root / "build" / f"applied-{state}.json"
    with workflow.aws_for(root, env, keep_emulator=True) as aws_env:
        runner = workflow.runner_for(root, env, State("local", state), aws_env, capture=True)
        out.write_text(runner.show_json(root / "build" / "local" / state / workflow.PLAN_FILE))
    return out


@contextmanager
def applied_repository(folder: Path, count: int) -> Iterator[Path]:
    """A repository copy with `count` local endpoints, applied on its own running emulator."""
    root = copy_repository(folder / "repo")
    for path in (root / "catalog").glob("*.yaml"):
        path.unlink()
    for index in range(count):
        (root / "catalog" / f"endpoint-{index:02d}.yaml").write_text(_catalog_entry(index))
    assert run_generator("local", "up", cwd=root).returncode == 0
    try:
        applied = run_generator("apply", "--env", "local", cwd=root)
        assert applied.returncode == 0, applied.stderr[-3000:]
        yield root
    finally:
        run_generator("local", "down", cwd=root)


@pytest.fixture(scope="module")
def fifty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with applied_repository(tmp_path_factory.mktemp("fifty"), ENDPOINTS) as root:
        yield root


@pytest.fixture
def applied_to_destroy(tmp_path: Path) -> Iterator[Path]:
    """Its own small environment (every resource kind: guardrails, both registries), so destroying
    it leaves the shared one to the other tests, whatever order they run in."""
    with applied_repository(tmp_path, 4) as root:
        yield root


@dataclass(frozen=True)
class Rollout:
    plan: dict[str, list[str]]  # address -> actions of the rollout's plan
    first_returncode: int
    first_log: str
    second_returncode: int
    second_log: str
    old_configuration: str
    new_configuration: str
    plan_after_has_changes: bool


def _lock_operation(root: Path) -> str | None:
    s3 = _aws(root, "s3")
    try:
        body = s3.get_object(Bucket=STATE_BUCKET, Key=LOCK_KEY)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    return json.loads(body).get("Operation")


def _wait_for_apply_lock(root: Path, first: subprocess.Popen[str], log: Path) -> None:
    """Block until the first run holds the lock for its apply (not for its plan)."""
    deadline = time.monotonic() + 300
    while _lock_operation(root) != "OperationTypeApply":
        if first.poll() is not None:
            pytest.fail(f"the first apply ended before it locked the state for apply:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail("the first apply never locked the state for apply")
        time.sleep(0.2)


def _terraform_apply_of(pid: int) -> int:
    """The `terraform apply` process started by the generator process `pid` (Linux /proc)."""
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if argv[1:2] == [b"apply"]:
            return int(child)
    raise AssertionError(f"process {pid} runs no terraform apply")


@pytest.fixture(scope="module")
def rollout(fifty: Path) -> Rollout:
    """A new image digest for one catalog file, applied while a second apply is attempted."""
    sagemaker = _aws(fifty, "sagemaker")
    old = sagemaker.describe_endpoint(EndpointName=CHANGED)["EndpointConfigName"]
    index = int(CHANGED.rsplit("-", 1)[1])
    (fifty / "catalog" / f"{CHANGED}.yaml").write_text(_catalog_entry(index, seed="v2"))
    first_log, second_log = fifty / "build" / "first-apply.log", fifty / "build" / "second-apply.log"

    first = _start_generator(fifty, first_log, "apply", "--env", "local")
    _wait_for_apply_lock(fifty, first, first_log)
    # On the emulator the first apply may finish before the second one even starts. Freezing
    # its Terraform process (it keeps holding the lock) makes the overlap certain.
    terraform = _terraform_apply_of(first.pid)
    os.kill(terraform, signal.SIGSTOP)
    try:
        second = _start_generator(fifty, second_log, "apply", "--env", "local")
        second.wait(timeout=120)
    finally:
        os.kill(terraform, signal.SIGCONT)
    first.wait(timeout=600)

    # The plan file the first run applied; the plan below overwrites it.
    plan = _changed_resources(_applied_plan_json(fifty, "default"))
    new = sagemaker.describe_endpoint(EndpointName=CHANGED)["EndpointConfigName"]
    return Rollout(
        plan=plan,
        first_returncode=first.returncode,
        first_log=first_log.read_text(),
        second_returncode=second.returncode,
        second_log=second_log.read_text(),
        old_configuration=old,
        new_configuration=new,
        plan_after_has_changes=workflow.plan(fifty, "local", capture=True).has_changes,
    )


def test_apply_then_plan_has_no_changes(fifty: Path) -> None:
    result = workflow.plan(fifty, "local", capture=True)

    assert not result.has_changes, {s.state.name: _changed_resources(s.plan_json) for s in result.states}


def test_execution_role_may_write_data_capture_to_its_prefix_only(fifty: Path) -> None:
    iam = _aws(fifty, "iam")
    document = iam.get_role_policy(RoleName="sagemaker-gitops-local-default-execution", PolicyName="sagemaker-execution")["PolicyDocument"]
    statements = document if isinstance(document, dict) else json.loads(document)

    writes = [s for s in statements["Statement"] if "s3:PutObject" in s["Action"]]

    assert writes == [
        {"Sid": "WriteDataCapture", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::example-capture/bench/*"]}
    ]


def test_rollout_changes_only_resources_of_the_changed_endpoint(rollout: Rollout) -> None:
    assert rollout.plan
    assert [a for a in rollout.plan if not a.startswith(f'module.endpoint["{CHANGED}"].')] == []


def test_rollout_creates_model_and_configuration_before_destroying_and_updates_endpoint(rollout: Rollout) -> None:
    prefix = f'module.endpoint["{CHANGED}"].'
    assert rollout.plan == {
        f"{prefix}aws_sagemaker_model.this": ["create", "delete"],
        f"{prefix}aws_sagemaker_endpoint_configuration.this": ["create", "delete"],
        f"{prefix}aws_sagemaker_endpoint.this": ["update"],
        f"{prefix}terraform_data.await_endpoint_update[0]": ["delete", "create"],
    }


def test_rollout_apply_switches_the_endpoint_and_retires_the_old_configuration(fifty: Path, rollout: Rollout) -> None:
    assert rollout.first_returncode == 0, rollout.first_log[-3000:]
    assert rollout.new_configuration != rollout.old_configuration
    assert rollout.new_configuration.startswith(f"{CHANGED}-")
    configurations = {c["EndpointConfigName"] for c in _aws(fifty, "sagemaker").list_endpoint_configs(MaxResults=100)["EndpointConfigs"]}
    assert rollout.new_configuration in configurations
    assert rollout.old_configuration not in configurations


def test_rollout_destroys_old_configuration_only_after_the_endpoint_runs_the_new_one(rollout: Rollout) -> None:
    log = rollout.first_log
    waited = log.index(f'module.endpoint["{CHANGED}"].terraform_data.await_endpoint_update[0]: Creation complete')
    updated = log.index(f'module.endpoint["{CHANGED}"].aws_sagemaker_endpoint.this: Modifications complete')
    retired = log.index(f'module.endpoint["{CHANGED}"].aws_sagemaker_endpoint_configuration.this (deposed object')
    assert updated < waited < retired


def test_concurrent_apply_fails_fast_on_the_state_lock(rollout: Rollout) -> None:
    assert rollout.second_returncode == 1
    message = rollout.second_log.strip().splitlines()[-1]
    assert message.startswith(
        "error: fix: wait until the other run on local-default has finished, then run the command again "
        "(if none is running any more: terraform force-unlock "
    )
    assert "— the state of local-default is locked (by " in message
    assert message.endswith("; nothing was changed by this run")


def test_state_is_intact_after_the_concurrent_apply(rollout: Rollout) -> None:
    assert rollout.first_returncode == 0
    assert rollout.plan_after_has_changes is False


def test_destroy_leaves_nothing_behind(applied_to_destroy: Path) -> None:
    destroyed = run_generator("apply", "--env", "local", "--destroy", cwd=applied_to_destroy)
    assert destroyed.returncode == 0, destroyed.stderr[-3000:]

    sagemaker = _aws(applied_to_destroy, "sagemaker")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []
    assert sagemaker.list_models()["Models"] == []
    assert _aws(applied_to_destroy, "lambda").list_functions()["Functions"] == []
    assert _aws(applied_to_destroy, "iam").list_roles()["Roles"] == []
    assert _aws(applied_to_destroy, "logs").describe_log_groups()["logGroups"] == []
    assert _aws(applied_to_destroy, "cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert _aws(applied_to_destroy, "application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"] == []
    assert _aws(applied_to_destroy, "route53").list_hosted_zones()["HostedZones"] == []
    ec2 = _aws(applied_to_destroy, "ec2")
    # Like AWS, the emulator lists a deleted VPC endpoint for a while, in state "deleted".
    assert {e["State"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]} <= {"deleted"}
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    seeded = {"default", "registry-mirror", "registry-platform"}
    assert {g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]} == seeded
    # The registries admit nothing any more: the rules from the model security groups are gone.
    assert [r for r in ec2.describe_security_group_rules()["SecurityGroupRules"] if r.get("ReferencedGroupInfo")] == []
