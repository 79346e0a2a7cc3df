"""The capacity review's arithmetic: peaks per rollout kind, endpoints read from plan JSON, shortfalls, prices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.review import capacity
from generator.review.capacity import Account, Quota, Rollout

FIXTURES = Path(__file__).parent / "fixtures" / "pricing"


@pytest.mark.parametrize(
    ("before", "after", "rollout", "expected"),
    [
        ({}, {"ml.m5.large": 2}, Rollout("create"), {"ml.m5.large": 2}),
        ({"ml.m5.large": 2}, {}, Rollout("delete"), {"ml.m5.large": 2}),
        ({"ml.m5.large": 2}, {"ml.m5.large": 2}, Rollout("blue/green"), {"ml.m5.large": 4}),
        ({"ml.m5.large": 2}, {"ml.g5.xlarge": 2}, Rollout("blue/green"), {"ml.m5.large": 2, "ml.g5.xlarge": 2}),
        ({"ml.m5.large": 1}, {"ml.m5.large": 3}, Rollout("blue/green"), {"ml.m5.large": 4}),
        ({"ml.m5.large": 4}, {"ml.m5.large": 4}, Rollout("rolling", "INSTANCE_COUNT", 1), {"ml.m5.large": 5}),
        ({"ml.m5.large": 4}, {"ml.m5.large": 4}, Rollout("rolling", "INSTANCE_COUNT", 10), {"ml.m5.large": 8}),
        ({"ml.m5.large": 10}, {"ml.m5.large": 10}, Rollout("rolling", "CAPACITY_PERCENT", 25), {"ml.m5.large": 13}),
        ({"ml.m5.large": 2}, {"ml.m5.large": 3}, Rollout("replace, create first"), {"ml.m5.large": 5}),
        ({"ml.m5.large": 2}, {"ml.m5.large": 3}, Rollout("replace, destroy first"), {"ml.m5.large": 3}),
        ({"ml.m5.large": 4}, {"ml.m5.large": 2}, Rollout("unchanged"), {"ml.m5.large": 4}),
    ],
    ids=[
        "create", "delete", "blue-green-same-type", "blue-green-new-type", "blue-green-grows",
        "rolling-one-instance", "rolling-batch-larger-than-fleet", "rolling-percent-rounds-up",
        "replace-create-first", "replace-destroy-first", "autoscaling-bound-only",
    ],
)
def test_peak_of_each_rollout_kind(before, after, rollout, expected):
    assert capacity.peak(before, after, rollout) == expected


# --- plan JSON builders: only what the capacity review reads --------------------------------


def _change(address: str, kind: str, actions: list[str], before: Any, after: Any, index: Any = None) -> dict[str, Any]:
    change = {"address": address, "mode": "managed", "type": kind, "change": {"actions": actions, "before": before, "after": after}}
    return change | ({"index": index} if index is not None else {})


def endpoint_changes(
    name: str, actions: list[str], before: tuple[str, int] | None, after: tuple[str, int] | None,
    *, deployment: Any = None, autoscaling: tuple[int | None, int | None] | None = None,
) -> list[dict[str, Any]]:
    """The endpoint, its configuration and optionally a scalable target. An update swaps the
    configuration (a new content-derived name, as an image or count change gives)."""
    prefix = f'module.endpoint["{name}"]'
    suffix = {"before": "-old", "after": "-new"} if actions == ["update"] else {"before": "", "after": ""}
    config = {side: None if v is None else {"name": f"{name}{suffix[side]}", "production_variants": [
        {"variant_name": "primary", "instance_type": v[0], "initial_instance_count": v[1]}]} for side, v in (("before", before), ("after", after))}
    config_actions = ["create", "delete"] if actions == ["update"] else actions
    endpoint = {side: None if config[side] is None else {"name": name, "endpoint_config_name": config[side]["name"], "deployment_config": deployment}
                for side in ("before", "after")}
    changes = [
        _change(f"{prefix}.aws_sagemaker_endpoint.this", "aws_sagemaker_endpoint", actions, endpoint["before"], endpoint["after"]),
        _change(f"{prefix}.aws_sagemaker_endpoint_configuration.this", "aws_sagemaker_endpoint_configuration", config_actions, config["before"], config["after"]),
    ]
    if autoscaling:
        old, new = autoscaling
        target = {"resource_id": f"endpoint/{name}/variant/primary"}
        changes.append(_change(
            f'{prefix}.aws_appautoscaling_target.variant["primary"]', "aws_appautoscaling_target",
            ["no-op"] if old == new else ["create"] if old is None else ["delete"] if new is None else ["update"],
            None if old is None else target | {"max_capacity": old}, None if new is None else target | {"max_capacity": new}, "primary",
        ))
    return changes


def plan(*changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format_version": "1.2", "variables": {"environment": {"value": "dev"}}, "resource_changes": [c for group in changes for c in group]}


def only(plans: list[dict[str, Any]]) -> capacity.EndpointCapacity:
    (found,) = capacity.endpoint_capacities(plans)
    return found


def test_a_new_endpoint_needs_its_fleet():
    found = only([plan(endpoint_changes("a", ["create"], None, ("ml.m5.large", 2)))])

    assert (found.before, found.after, found.peak) == ({}, {"ml.m5.large": 2}, {"ml.m5.large": 2})


def test_an_update_without_deployment_settings_is_blue_green_all_at_once():
    found = only([plan(endpoint_changes("a", ["update"], ("ml.m5.large", 2), ("ml.m5.large", 3)))])

    assert (found.before, found.after, found.peak) == ({"ml.m5.large": 2}, {"ml.m5.large": 3}, {"ml.m5.large": 5})
    assert found.rollout.label == "blue/green, all at once (SageMaker's default): old and new fleets side by side"


def test_a_canary_update_provisions_the_whole_new_fleet():
    canary = [{"blue_green_update_policy": [{"traffic_routing_configuration": [{"type": "CANARY", "canary_size": [{"type": "CAPACITY_PERCENT", "value": 10}]}]}]}]
    found = only([plan(endpoint_changes("a", ["update"], ("ml.m5.large", 2), ("ml.m5.xlarge", 2), deployment=canary))])

    assert found.peak == {"ml.m5.large": 2, "ml.m5.xlarge": 2}
    assert found.rollout.label == "blue/green, canary 10%: the whole new fleet beside the old one"


def test_a_rolling_update_adds_one_batch():
    rolling = [{"rolling_update_policy": [{"maximum_batch_size": [{"type": "INSTANCE_COUNT", "value": 1}]}]}]
    found = only([plan(endpoint_changes("a", ["update"], ("ml.m5.large", 3), ("ml.m5.large", 4), deployment=rolling))])

    assert found.peak == {"ml.m5.large": 4}
    assert found.rollout.label == "rolling update, batches of 1 instance"


def test_a_deleted_endpoint_lowers_the_count_after_the_apply():
    found = only([plan(endpoint_changes("a", ["delete"], ("ml.m5.large", 2), None))])

    assert (found.before, found.after, found.peak) == ({"ml.m5.large": 2}, {}, {"ml.m5.large": 2})


def test_a_replaced_endpoint_created_first_runs_both_fleets():
    found = only([plan(endpoint_changes("a", ["create", "delete"], ("ml.m5.large", 1), ("ml.m5.large", 1)))])

    assert found.peak == {"ml.m5.large": 2}


def test_an_endpoint_left_alone_keeps_its_count_and_is_not_a_change():
    found = only([plan(endpoint_changes("a", ["no-op"], ("ml.m5.large", 2), ("ml.m5.large", 2)))])

    assert (found.before, found.after, found.peak, found.changes_capacity) == ({"ml.m5.large": 2}, {"ml.m5.large": 2}, {"ml.m5.large": 2}, False)


def test_autoscaling_counts_at_its_maximum():
    found = only([plan(endpoint_changes("a", ["update"], ("ml.m5.large", 1), ("ml.m5.large", 2), autoscaling=(3, 4)))])

    assert (found.before, found.after, found.peak, found.autoscaled) == ({"ml.m5.large": 3}, {"ml.m5.large": 4}, {"ml.m5.large": 7}, True)



def test_a_catalog_endpoint_counts_each_variant_at_its_autoscaling_maximum_like_the_plans():
    variants = {
        "blue": {"instance_type": "ml.m5.large", "initial_instance_count": 2, "autoscaling": {"min_capacity": 1, "max_capacity": 6}},
        "green": {"instance_type": "ml.m5.large", "initial_instance_count": 1},
        "gpu": {"instance_type": "ml.g4dn.xlarge", "initial_instance_count": 3},
    }

    assert capacity.catalog_fleet(variants) == {"ml.m5.large": 7, "ml.g4dn.xlarge": 3}

def test_endpoints_of_several_states_add_up_per_type():
    base = plan(endpoint_changes("a", ["no-op"], ("ml.m5.large", 1), ("ml.m5.large", 1)))
    group = plan(endpoint_changes("b", ["update"], ("ml.m5.large", 2), ("ml.m5.large", 2)))

    rows = capacity.totals(capacity.endpoint_capacities([base, group]))

    assert rows == [capacity.TypeTotal("ml.m5.large", before=3, after=3, peak=5)]


ACCOUNT = Account(
    quotas={"ml.m5.large": Quota("ml.m5.large for endpoint usage", 4), "ml.g5.xlarge": Quota("ml.g5.xlarge for endpoint usage", 0)},
    total=Quota(capacity.TOTAL_QUOTA_NAME, 12),
    in_use={"ml.m5.large": 1},
    where="account 123456789012 in us-east-1",
)


def test_a_type_whose_quota_is_0_is_a_shortfall_with_the_fix():
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 2), ("ml.g5.xlarge", 2)))], account=ACCOUNT)

    assert [s.message for s in result.shortfalls] == [
        '`ml.g5.xlarge`: quota "ml.g5.xlarge for endpoint usage" is 0, 0 in use by other endpoints, this change needs 2 at its peak '
        '— fix: request an increase of "ml.g5.xlarge for endpoint usage" to at least 2 in Service Quotas (service Amazon SageMaker), '
        "or choose another instance type"
    ]


def test_instances_in_use_elsewhere_count_against_the_quota():
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 2), ("ml.m5.large", 2)))], account=ACCOUNT)

    assert [(s.instance_type, s.in_use, s.needed) for s in result.shortfalls] == [("ml.m5.large", 1, 4)]


def test_the_account_wide_quota_is_checked():
    tight = Account(ACCOUNT.quotas | {"ml.m5.large": Quota("ml.m5.large for endpoint usage", 100)}, Quota(capacity.TOTAL_QUOTA_NAME, 4), {}, "x")
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 3), ("ml.m5.large", 3)))], account=tight)

    assert [(s.instance_type, s.quota.value, s.needed) for s in result.shortfalls] == [(None, 4, 6)]


def test_with_enough_quota_there_is_no_warning():
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 1), ("ml.m5.large", 1)))], account=ACCOUNT)

    assert (result.shortfalls, capacity.warning_markdown(result)) == ([], "")


def test_a_shrinking_change_is_never_a_shortfall():
    full = Account(ACCOUNT.quotas, ACCOUNT.total, {"ml.m5.large": 10}, "x")
    result = capacity.report("dev", [plan(endpoint_changes("a", ["delete"], ("ml.m5.large", 2), None))], account=full)

    assert result.shortfalls == []


def test_the_quota_note_says_where_the_instances_in_use_elsewhere_come_from():
    seen = Account(ACCOUNT.quotas, ACCOUNT.total, {"ml.m5.large": 5}, ACCOUNT.where, from_catalog=4, described=1)
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 1), ("ml.m5.large", 1)))], account=seen)

    assert (
        "In use by other endpoints: 4 endpoints of this environment's catalog that run, counted from their catalog settings "
        "(autoscaled variants at their maximum), and 1 endpoint outside the catalog, as SageMaker describes them."
    ) in capacity.section_markdown(result)


def test_without_account_access_the_section_says_so_in_one_line():
    result = capacity.report("dev", [plan(endpoint_changes("a", ["create"], None, ("ml.m5.large", 1)))], account_note="no usable AWS credentials for account 123456789012 (a plan-only review).")

    assert "\nQuotas: not checked — no usable AWS credentials for account 123456789012 (a plan-only review).\n" in capacity.section_markdown(result)


# --- prices ------------------------------------------------------------------------------------


def recorded_price_list() -> list[str]:
    return json.loads((FIXTURES / "get-products-us-east-1.json").read_text())["PriceList"]


def test_hosting_prices_come_from_the_recorded_price_list():
    assert capacity.hosting_prices(recorded_price_list()) == {"ml.g5.xlarge": 1.408, "ml.m5.large": 0.115}


def test_with_prices_the_table_shows_monthly_on_demand_cost():
    prices = capacity.Prices("us-east-1", "`build/prices/us-east-1.json`", {"ml.m5.large": 0.115})
    result = capacity.report("dev", [plan(endpoint_changes("a", ["update"], ("ml.m5.large", 1), ("ml.m5.large", 2)))], prices=prices)

    section = capacity.section_markdown(result)
    assert "| `ml.m5.large` | 1 → 2 | 3 | $83.95 → $167.90 |\n" in section
    assert "Prices: on-demand, 730 hours a month, from `build/prices/us-east-1.json`." in section


def test_without_prices_the_table_shows_instance_hours_and_where_prices_come_from():
    result = capacity.report("dev", [plan(endpoint_changes("a", ["create"], None, ("ml.m5.large", 2)))], prices_hint="run X.")

    section = capacity.section_markdown(result)
    assert "| `ml.m5.large` | 0 → 2 | 2 | 0 h → 1,460 h |\n" in section
    assert "Prices: none known — run X." in section
