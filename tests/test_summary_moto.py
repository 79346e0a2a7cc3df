"""The review summary of real `terraform show -json` output, planned against the embedded moto.

One private repository copy per module: plan the local environment (the create case) and apply
it, then plan catalog edits against that state — a tag change (update in place), an
image digest change (replacement of model and configuration), an endpoint removed from the
environment (delete) — and a full `-destroy`.

moto 5.2 reads some attributes back differently from what was written (float weights, rule
descriptions), so a plan right after apply can already show drift: the `baseline` plan measures
it, and the tests expect every endpoint the edit does not touch to keep exactly its baseline
actions. Counts are checked against the state (what apply created, what a removal deletes) and
against Terraform's own action lists.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from generator.deploy import workflow
from generator.emulator import launcher as emulator
from generator.review import summary
from tests.helpers import REPO_ROOT, copy_repository

pytestmark = pytest.mark.integration

FRAUD = 'module.endpoint["fraud-scorer"]'
RECOMMENDER = 'module.endpoint["recommender"]'
NEW_DIGEST = "sha256:" + "5" * 64


def _word(actions: list[str]) -> str:
    return {("create", "delete"): "replace", ("delete", "create"): "replace"}.get(tuple(actions), actions[0])


def actions_by_address(plan: dict[str, Any]) -> dict[str, str]:
    """Terraform's own verdict per managed resource, read straight from the plan JSON."""
    return {c["address"]: _word(c["change"]["actions"]) for c in plan["resource_changes"] if c["mode"] == "managed"}


def state_addresses(plan: dict[str, Any]) -> set[str]:
    """Managed resources in the state the plan started from."""

    def walk(module: dict[str, Any]) -> Iterator[str]:
        for resource in module.get("resources", []):
            if resource["mode"] == "managed":
                yield resource["address"]
        for child in module.get("child_modules", []):
            yield from walk(child)

    return set(walk(plan["prior_state"]["values"]["root_module"]))


def tally(plan: dict[str, Any]) -> dict[str, int]:
    """Counts straight from Terraform's action lists, for comparison with the summary's."""
    counted = Counter(actions_by_address(plan).values())
    return {action: counted[action] for action in summary.ACTIONS}


def outside(actions: dict[str, str], endpoint: str) -> dict[str, str]:
    return {a: action for a, action in actions.items() if not a.startswith(endpoint + ".")}


def combined(plan_jsons: list[Any]) -> dict[str, Any]:
    """The plans of an environment's states (base and groups) as one plan document: resource
    addresses do not collide between the states, and the summary reads them the same way."""
    plans = [json.loads(p.read_text()) for p in plan_jsons]
    roots = [p.get("prior_state", {}).get("values", {}).get("root_module", {}) for p in plans]
    return {
        "format_version": plans[0]["format_version"],
        "variables": plans[0]["variables"],
        "resource_changes": [c for p in plans for c in p.get("resource_changes", [])],
        "prior_state": {"values": {"root_module": {"resources": [], "child_modules": roots}}},
    }


class Plans(dict[str, dict[str, Any]]):
    """Plan JSON by scenario; `summaries` holds the plan.md that `make plan` wrote beside each."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: dict[str, str] = {}
        self.left_by_apply: list[str] = []  # plan files under build/local/ right after the apply


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plans]:
    root = copy_repository(tmp_path_factory.mktemp("summary") / "repo")
    fraud, recommender = root / "catalog" / "fraud-scorer.yaml", root / "catalog" / "recommender.yaml"
    originals = {fraud: fraud.read_text(), recommender: recommender.read_text()}
    found = Plans()

    def planned(name: str, **kwargs: Any) -> None:
        result = workflow.plan(root, "local", capture=True, **kwargs)
        found[name] = combined([s.plan_json for s in result.states])
        found.summaries[name] = result.review.read_text()
        for path, text in originals.items():
            path.write_text(text)

    try:
        planned("create")
        workflow.apply(root, "local", capture=True)
        out = root / "build" / "local"
        found.left_by_apply = sorted(p.relative_to(out).as_posix() for p in [*out.glob("plan.*"), *out.glob("*/plan.*")])
        planned("baseline")
        fraud.write_text(originals[fraud].replace("product: payments", "product: payments-v2"))
        planned("update")
        fraud.write_text(re.sub(r"sha256:[0-9a-f]{64}", NEW_DIGEST, originals[fraud]))
        planned("replace")
        recommender.write_text(originals[recommender].replace("  local: {}\n", ""))
        planned("delete")
        planned("destroy", destroy=True)
        yield found
    finally:
        emulator.stop(root)


def test_summary_of_a_new_environment_counts_every_resource_as_created(plans):
    created = len(actions_by_address(plans["create"]))
    result = summary.summarize(plans["create"])

    assert created > 0
    # Every resource the apply then wrote into the state was counted as a creation.
    assert created == len(state_addresses(plans["baseline"]))
    assert result.counts == {"create": created, "update": 0, "replace": 0, "delete": 0, "no-op": 0}
    assert [g.name for g in result.endpoints] == ["fraud-scorer", "recommender"]


def test_apply_keeps_the_plan_it_applied_but_no_review_of_an_earlier_plan(plans):
    # `make plan` wrote each state's plan.json and the environment's plan.md; the apply planned
    # again and removed them, since they describe the earlier plans, and shows no JSON of its own.
    assert plans.left_by_apply == ["base/plan.tfplan", "default/plan.tfplan"]


def test_summary_of_a_new_environment_warns_about_iam_rules_and_vpc_endpoint(plans):
    kinds = {w.kind for w in summary.summarize(plans["create"]).warnings}

    assert kinds == {"IAM", "security-group rule", "VPC endpoint"}


def test_summary_of_a_tag_change_updates_that_endpoint_in_place(plans):
    result = summary.summarize(plans["update"])

    assert result.counts == tally(plans["update"])
    assert outside(actions_by_address(plans["update"]), FRAUD) == outside(actions_by_address(plans["baseline"]), FRAUD)
    fraud = next(g for g in result.endpoints if g.name == "fraud-scorer")
    endpoint = next(r for r in fraud.resources if r.label == "aws_sagemaker_endpoint.this")
    assert endpoint.action == "update"
    assert ("tags.product", "payments", "payments-v2") in [(a.path, a.before, a.after) for a in endpoint.attributes]
    assert [w for w in result.warnings if w.kind == "downtime"] == []


def test_summary_of_a_digest_change_replaces_model_and_configuration_and_updates_the_endpoint(plans):
    result = summary.summarize(plans["replace"])

    assert result.counts == tally(plans["replace"])
    assert result.counts["replace"] >= 2
    assert outside(actions_by_address(plans["replace"]), FRAUD) == outside(actions_by_address(plans["baseline"]), FRAUD)
    fraud = {r.label: r.action for g in result.endpoints if g.name == "fraud-scorer" for r in g.resources}
    assert (fraud["aws_sagemaker_model.this"], fraud["aws_sagemaker_endpoint_configuration.this"], fraud["aws_sagemaker_endpoint.this"]) == (
        "replace",
        "replace",
        "update",
    )
    assert [w for w in result.warnings if w.kind == "downtime"] == []


def test_summary_of_a_digest_change_shows_old_and_new_digest(plans):
    text = summary.render(summary.summarize(plans["replace"]))
    old = re.search(r"sha256:[0-9a-f]{64}", (REPO_ROOT / "catalog" / "fraud-scorer.yaml").read_text()).group(0)

    section = text[text.index("### Endpoint `fraud-scorer`") :]
    assert f"Image `registry.ml.example.com/risk/fraud-scorer`: `{old}` → `{NEW_DIGEST}`\n" in section


def test_summary_of_an_endpoint_removed_from_the_environment_deletes_its_resources(plans):
    removed = {a for a in state_addresses(plans["delete"]) if a.startswith(RECOMMENDER + ".")}
    result = summary.summarize(plans["delete"])

    # recommender is the only endpoint on the mirror registry: the group's rules for it go too.
    mirror_rules = {
        'module.registry_clients[0].aws_vpc_security_group_egress_rule.to_registry["mirror"]',
        'module.registry_clients[0].aws_vpc_security_group_ingress_rule.registry_from_clients["mirror"]',
    }
    deleted = {a for a, action in actions_by_address(plans["delete"]).items() if action == "delete"}
    assert deleted == removed | mirror_rules
    assert result.counts["delete"] == len(deleted)
    assert result.counts == tally(plans["delete"])
    recommender = next(g for g in result.endpoints if g.name == "recommender")
    assert {r.address for r in recommender.resources} == removed
    assert {r.action for r in recommender.resources} == {"delete"}
    assert result.warnings[0] == summary.ReviewWarning(
        "downtime", "SageMaker endpoint `recommender` will be deleted: it stops serving requests"
    )


def test_summary_of_a_destroy_plan_deletes_everything_and_warns_for_each_endpoint(plans):
    result = summary.summarize(plans["destroy"])

    assert result.counts == {"create": 0, "update": 0, "replace": 0, "delete": len(state_addresses(plans["destroy"])), "no-op": 0}
    assert [w.message for w in result.warnings if w.kind == "downtime"] == [
        "SageMaker endpoint `fraud-scorer` will be deleted: it stops serving requests",
        "SageMaker endpoint `recommender` will be deleted: it stops serving requests",
    ]


def test_plan_writes_the_review_summary_beside_the_plan(plans):
    written = plans.summaries["replace"]

    assert written.startswith("## Plan for environment `local`\n")
    assert f"→ `{NEW_DIGEST}`" in written
