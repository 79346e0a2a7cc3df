"""An environment of 120 endpoints in three groups behind one authenticated registry, applied once
on the embedded AWS: quotas hold by construction, every state re-plans empty, and a change to one
endpoint plans changes in its group's state only."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.emulator.launcher import ACCESS_KEY, SECRET_KEY, running
from tests.helpers import copy_repository, run_generator

pytestmark = pytest.mark.integration

GROUPS = {"default": 40, "fraud": 40, "search": 40}
HOST = "registry.ml.example.com"  # the local environment's registry that needs a login


def entry(name: str, seed: str = "") -> str:
    digest = hashlib.sha256(f"{name}{seed}".encode()).hexdigest()
    return f"name: {name}\nimage: {HOST}/scale/{name}@sha256:{digest}\ninstance_type: ml.m5.large\ninitial_instance_count: 1\nenvironments:\n  local: {{}}\n"


def path_of(root: Path, group: str, name: str) -> Path:
    return root / "catalog" / (f"{name}.yaml" if group == "default" else f"{group}/{name}.yaml")


def aws(root: Path, service: str) -> Any:
    emulator = running(root)
    assert emulator is not None
    return boto3.client(service, endpoint_url=emulator.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_repository(tmp_path_factory.mktemp("scale") / "repo")
    for path in (root / "catalog").glob("*.yaml"):
        path.unlink()
    for group, count in GROUPS.items():
        if group != "default":
            (root / "catalog" / group).mkdir()
            (root / "catalog" / group / "group.yaml").write_text(f"owner: team-{group}\n")
        for index in range(count):
            path_of(root, group, f"{group}-{index:02d}").write_text(entry(f"{group}-{index:02d}"))
    assert run_generator("local", "up", cwd=root).returncode == 0
    try:
        result = run_generator("apply", "--env", "local", cwd=root)
        assert result.returncode == 0, result.stderr[-3000:]
        yield root
    finally:
        run_generator("local", "down", cwd=root)


def changes(plan_json: Path) -> list[str]:
    plan = json.loads(plan_json.read_text())
    return [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] not in (["no-op"], ["read"])]


def test_every_state_plans_empty_after_the_apply(applied: Path) -> None:
    result = run_generator("plan", "--env", "local", cwd=applied)

    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(re.findall(r"^(\w[\w ]*): \S+/build/local/(\w+)/plan\.json$", result.stdout, re.M)) == [
        ("no changes", "base"), ("no changes", "default"), ("no changes", "fraud"), ("no changes", "search")
    ]


def test_no_security_group_holds_more_than_sixty_inbound_rules(applied: Path) -> None:
    rules = aws(applied, "ec2").describe_security_group_rules()["SecurityGroupRules"]
    inbound = Counter(r["GroupId"] for r in rules if not r["IsEgress"])

    assert max(inbound.values()) <= 60
    # The registry and the Lambda endpoint admit one group per endpoint group, not 120 models.
    assert sorted(inbound.values())[-2:] == [3, 3]


def test_no_role_has_inline_policies_over_the_iam_limit(applied: Path) -> None:
    iam = aws(applied, "iam")
    sizes = {}
    for role in iam.list_roles()["Roles"]:
        names = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
        documents = [iam.get_role_policy(RoleName=role["RoleName"], PolicyName=n)["PolicyDocument"] for n in names]
        sizes[role["RoleName"]] = sum(len(re.sub(r"\s", "", json.dumps(d))) for d in documents)

    assert max(sizes.values()) <= 10_240
    assert sorted(n for n in sizes if n.endswith("-execution")) == [f"sagemaker-gitops-local-{g}-execution" for g in sorted(GROUPS)]


def test_a_one_endpoint_change_plans_changes_in_its_group_state_only(applied: Path) -> None:
    path = path_of(applied, "fraud", "fraud-07")
    original = path.read_text()
    path.write_text(entry("fraud-07", seed="v2"))
    try:
        result = run_generator("plan", "--env", "local", cwd=applied)
        assert result.returncode == 0, result.stderr[-3000:]
        changed = {state: changes(applied / "build" / "local" / state / "plan.json") for state in ("base", *GROUPS)}
    finally:
        path.write_text(original)

    assert {state for state, addresses in changed.items() if addresses} == {"fraud"}
    assert all(a.startswith('module.endpoint["fraud-07"].') for a in changed["fraud"])
