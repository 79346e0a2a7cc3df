"""Capacity of a change: SageMaker instances per instance type before → after, and at the peak of the rollout.

Pure functions over `terraform show -json` documents, one per Terraform state of an
environment (so an environment split into several states is read as one). The numbers follow
SageMaker's documented update behaviour:

* a new endpoint needs its fleet; a deleted one frees its fleet once it is gone (the peak
  keeps it, because it runs until Terraform deletes it);
* an update that swaps the endpoint configuration is a blue/green deployment unless it is a
  rolling update: SageMaker provisions the whole new (green) fleet beside the old (blue) one
  and only then shifts traffic — all at once, canary or linear alike — so the peak is
  old + new. A rolling update provisions one batch at a time: old + `maximum_batch_size`;
* a replaced endpoint needs old + new when the new one is created first, else the larger of the two;
* a variant with autoscaling counts at its autoscaling maximum, on both sides.

Every endpoint that the change touches is assumed to roll out at the same time (Terraform
applies independent resources in parallel), so the peaks of all endpoints add up.

The account side (quotas, instances already running) arrives as an `Account`; comparing it
with the peaks gives the shortfalls, which the review shows first.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.review.summary import action_of, endpoint_of

HOURS_PER_MONTH = 730  # AWS's own convention for monthly prices (8,760 hours / 12)
UNKNOWN_TYPE = "(known after apply)"
TOTAL_QUOTA_NAME = "Total number of instances allowed across SageMaker endpoints"
_RESOURCE_ID = re.compile(r"^endpoint/(?P<endpoint>[^/]+)/variant/(?P<variant>[^/]+)$")

Counts = dict[str, int]  # instance type → instances


@dataclass(frozen=True)
class Rollout:
    """How the instances of one endpoint change: `kind` is one of KINDS."""

    kind: str
    batch_type: str | None = None  # rolling: INSTANCE_COUNT or CAPACITY_PERCENT
    batch_value: int | None = None
    label: str = ""

    KINDS = ("unchanged", "create", "delete", "blue/green", "rolling", "replace, create first", "replace, destroy first")


def batch_size(rollout: Rollout, new_count: int) -> int:
    """Instances a rolling update provisions at once for a fleet of `new_count`."""
    value = rollout.batch_value or 1
    if rollout.batch_type == "CAPACITY_PERCENT":
        return max(1, math.ceil(new_count * value / 100))
    return value


def peak(before: Mapping[str, int], after: Mapping[str, int], rollout: Rollout) -> Counts:
    """Instances per type at the worst moment of the rollout (types with none left out)."""
    result: Counts = {}
    for kind in sorted(set(before) | set(after)):
        old, new = before.get(kind, 0), after.get(kind, 0)
        match rollout.kind:
            case "create":
                value = new
            case "delete":
                value = old
            case "blue/green" | "replace, create first":
                value = old + new
            case "rolling":
                value = old + min(new, batch_size(rollout, new))
            case _:  # unchanged fleet (only autoscaling bounds moved) or destroy first
                value = max(old, new)
        if value:
            result[kind] = value
    return result


@dataclass(frozen=True)
class EndpointCapacity:
    name: str  # catalog name
    sagemaker_names: frozenset[str]  # the endpoint's name in SageMaker, before and after
    action: str
    rollout: Rollout
    before: Counts
    after: Counts
    peak: Counts
    autoscaled: bool = False

    @property
    def changes_capacity(self) -> bool:
        return self.before != self.after or self.peak != self.before


@dataclass(frozen=True)
class TypeTotal:
    instance_type: str
    before: int
    after: int
    peak: int


@dataclass(frozen=True)
class Quota:
    name: str
    value: float
    code: str = ""


@dataclass(frozen=True)
class Account:
    """What the account allows and runs; `in_use` counts only endpoints the plans do not manage."""

    quotas: Mapping[str, Quota]  # instance type → "ml.<type> for endpoint usage"
    total: Quota | None
    in_use: Mapping[str, int]
    where: str  # e.g. "account 123456789012 in us-east-1"
    # Where `in_use` comes from: running endpoints of the catalog counted from their settings,
    # and endpoints outside the catalog as SageMaker describes them.
    from_catalog: int = 0
    described: int = 0


@dataclass(frozen=True)
class Shortfall:
    instance_type: str | None  # None: the quota on instances across all endpoints
    quota: Quota
    in_use: int
    needed: int  # by this change at its peak

    @property
    def message(self) -> str:
        what = f"`{self.instance_type}`" if self.instance_type else "all endpoint instances"
        fix = (
            f"request an increase of \"{self.quota.name}\" to at least {self.in_use + self.needed} in Service Quotas "
            f"(service Amazon SageMaker)"
        )
        if self.instance_type:
            fix += ", or choose another instance type"
        return (
            f"{what}: quota \"{self.quota.name}\" is {_number(self.quota.value)}, {self.in_use} in use by other endpoints, "
            f"this change needs {self.needed} at its peak — fix: {fix}"
        )


@dataclass(frozen=True)
class Prices:
    region: str
    source: str  # where the file is, for the note under the table
    hourly: Mapping[str, float]  # instance type → USD per hour, on demand


@dataclass(frozen=True)
class CapacityReport:
    environment: str
    endpoints: list[EndpointCapacity]
    totals: list[TypeTotal]
    account: Account | None
    account_note: str  # why quotas were not checked, when they were not
    prices: Prices | None
    prices_hint: str  # how prices would be fetched, when they are not known
    shortfalls: list[Shortfall] = field(default_factory=list)
    unknown_quotas: list[str] = field(default_factory=list)


# --- reading the plans ------------------------------------------------------------------------


def _side(change: Mapping[str, Any], side: str) -> dict[str, Any] | None:
    value = change["change"].get(side)
    return value if isinstance(value, dict) else None


def _variants(config: Mapping[str, Any] | None) -> dict[str, tuple[str, int]]:
    """Variant name → (instance type, initial count) of one endpoint configuration."""
    found: dict[str, tuple[str, int]] = {}
    for index, variant in enumerate((config or {}).get("production_variants") or []):
        if not isinstance(variant, dict) or variant.get("serverless_config"):
            continue  # serverless variants use no instance quota
        kind = variant.get("instance_type")
        count = variant.get("initial_instance_count")
        name = variant.get("variant_name") or f"variant-{index}"
        found[str(name)] = (kind if isinstance(kind, str) and kind else UNKNOWN_TYPE, count if isinstance(count, int) else 0)
    return found


def _autoscaling_max(targets: Iterable[Mapping[str, Any]], side: str) -> dict[str, int]:
    """Variant name → autoscaling maximum on one side of the plan."""
    found: dict[str, int] = {}
    for change in targets:
        values = _side(change, side)
        if values is None:
            continue
        match = _RESOURCE_ID.match(str(values.get("resource_id") or ""))
        variant = match.group("variant") if match else change.get("index")
        if isinstance(variant, str) and isinstance(values.get("max_capacity"), int):
            found[variant] = values["max_capacity"]
    return found


def _fleet(variants: Mapping[str, tuple[str, int]], autoscaling: Mapping[str, int]) -> Counts:
    counts: Counts = {}
    for name, (kind, count) in variants.items():
        counts[kind] = counts.get(kind, 0) + max(count, autoscaling.get(name, 0))
    return counts


def catalog_fleet(variants: Mapping[str, Mapping[str, Any]]) -> Counts:
    """Instances per type of one endpoint as its catalog settings deploy it (the variants of a
    resolved endpoint, as in its tfvars), counted like the plans' rows: a variant with
    autoscaling at its maximum."""
    autoscaling = {
        name: v["autoscaling"]["max_capacity"] for name, v in variants.items() if isinstance(v.get("autoscaling"), Mapping)
    }
    return _fleet({name: (v["instance_type"], v["initial_instance_count"]) for name, v in variants.items()}, autoscaling)


def _first(value: Any) -> dict[str, Any]:
    """The single element of a nested Terraform block list, or {}."""
    return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}


def rollout_of_update(deployment_config: Any, catalog: Any = None) -> Rollout:
    """The kind of UpdateEndpoint the endpoint's deployment configuration (plan JSON) asks for.

    `catalog` is the endpoint's catalog `deployment` settings, used only when the plan does not
    show a deployment configuration (SageMaker's default then applies unless the catalog sets one).
    """
    block = _first(deployment_config)
    rolling = _first(block.get("rolling_update_policy"))
    if rolling:
        size = _first(rolling.get("maximum_batch_size"))
        unit = "%" if size.get("type") == "CAPACITY_PERCENT" else " instances" if size.get("value") != 1 else " instance"
        return Rollout("rolling", size.get("type"), size.get("value"), f"rolling update, batches of {size.get('value')}{unit}")
    routing = _first(_first(block.get("blue_green_update_policy")).get("traffic_routing_configuration"))
    kind = str(routing.get("type") or "").lower() or (getattr(catalog, "traffic_routing", None) if catalog else None)
    if not kind:
        return Rollout("blue/green", label="blue/green, all at once (SageMaker's default): old and new fleets side by side")
    step = _first(routing.get("canary_size") or routing.get("linear_step_size")).get("value") or getattr(catalog, "step_percent", None)
    words = {"all_at_once": "all at once", "canary": f"canary {step}%", "linear": f"linear {step}% steps"}
    return Rollout("blue/green", label=f"blue/green, {words.get(kind, kind)}: the whole new fleet beside the old one")


def _rollout(endpoint: Mapping[str, Any], action: str, catalog: Any) -> Rollout:
    if action == "create":
        return Rollout("create", label="new endpoint")
    if action == "delete":
        return Rollout("delete", label="deleted")
    if action == "replace":
        first = endpoint["change"]["actions"][0] == "create"
        return Rollout("replace, create first" if first else "replace, destroy first", label="replaced")
    before, after = _side(endpoint, "before") or {}, _side(endpoint, "after") or {}
    unknown = endpoint["change"].get("after_unknown") or {}
    swapped = unknown.get("endpoint_config_name") is True or before.get("endpoint_config_name") != after.get("endpoint_config_name")
    if action == "update" and swapped:
        return rollout_of_update(after.get("deployment_config"), catalog)
    return Rollout("unchanged", label="unchanged fleet")


def endpoint_capacities(plans: Sequence[Mapping[str, Any]], deployments: Mapping[str, Any] | None = None) -> list[EndpointCapacity]:
    """One entry per SageMaker endpoint in the plans (of every state), by catalog name.

    `deployments` maps catalog names to their resolved `deployment` settings (or None).
    """
    groups: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for plan in plans:
        for change in plan.get("resource_changes", []):
            if change.get("mode") == "data" or change["type"] not in (
                "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration", "aws_appautoscaling_target"
            ):
                continue
            if action_of(change["change"]["actions"]) in (None, "forget"):
                continue
            name, _ = endpoint_of(change)
            if name is None and change["type"] == "aws_appautoscaling_target":
                values = _side(change, "after") or _side(change, "before") or {}
                match = _RESOURCE_ID.match(str(values.get("resource_id") or ""))
                name = match.group("endpoint") if match else None
            if name is not None:
                groups.setdefault(name, {}).setdefault(change["type"], []).append(change)
    found = []
    for name in sorted(groups):
        group = groups[name]
        for endpoint in group.get("aws_sagemaker_endpoint", []):
            found.append(_capacity(name, endpoint, group, (deployments or {}).get(name)))
    return found


def _configs_by_name(configs: Iterable[Mapping[str, Any]], side: str, wanted: Any) -> dict[str, tuple[str, int]]:
    sides = [(_side(c, side), c) for c in configs if action_of(c["change"]["actions"]) != ("create" if side == "before" else "delete")]
    chosen = [values for values, _ in sides if values is not None and values.get("name") == wanted] or [v for v, _ in sides if v is not None]
    variants: dict[str, tuple[str, int]] = {}
    for values in chosen[:1]:
        variants.update(_variants(values))
    return variants


def _capacity(name: str, endpoint: Mapping[str, Any], group: Mapping[str, list[Mapping[str, Any]]], catalog: Any) -> EndpointCapacity:
    action = action_of(endpoint["change"]["actions"]) or "no-op"
    configs = group.get("aws_sagemaker_endpoint_configuration", [])
    targets = group.get("aws_appautoscaling_target", [])
    before_values, after_values = _side(endpoint, "before"), _side(endpoint, "after")
    before_scaling = _autoscaling_max([t for t in targets if action_of(t["change"]["actions"]) != "create"], "before")
    after_scaling = _autoscaling_max([t for t in targets if action_of(t["change"]["actions"]) != "delete"], "after")
    before: Counts = {}
    after: Counts = {}
    if action != "create" and before_values is not None:
        before = _fleet(_configs_by_name(configs, "before", before_values.get("endpoint_config_name")), before_scaling)
    if action != "delete" and after_values is not None:
        after = _fleet(_configs_by_name(configs, "after", after_values.get("endpoint_config_name")), after_scaling)
    rollout = _rollout(endpoint, action, catalog)
    names = frozenset(str(v["name"]) for v in (before_values, after_values) if v and isinstance(v.get("name"), str))
    return EndpointCapacity(
        name, names or frozenset({name}), action, rollout, before, after, peak(before, after, rollout),
        autoscaled=bool(before_scaling or after_scaling),
    )


def totals(endpoints: Iterable[EndpointCapacity]) -> list[TypeTotal]:
    """Per instance type, summed over endpoints (every rollout at once), by type name."""
    rows: dict[str, list[int]] = {}
    for e in endpoints:
        for side, counts in enumerate((e.before, e.after, e.peak)):
            for kind, n in counts.items():
                rows.setdefault(kind, [0, 0, 0])[side] += n
    return [TypeTotal(kind, *rows[kind]) for kind in sorted(rows)]


# --- comparing with the account ---------------------------------------------------------------


def shortfalls(rows: Sequence[TypeTotal], account: Account) -> tuple[list[Shortfall], list[str]]:
    """(shortfalls, instance types that need more instances but have no quota listed).

    Only types the change adds instances of are judged: what runs already was granted.
    """
    found: list[Shortfall] = []
    unknown: list[str] = []
    for row in rows:
        if row.peak <= row.before or row.instance_type == UNKNOWN_TYPE:
            continue
        quota = account.quotas.get(row.instance_type)
        in_use = account.in_use.get(row.instance_type, 0)
        if quota is None:
            unknown.append(row.instance_type)
        elif in_use + row.peak > quota.value:
            found.append(Shortfall(row.instance_type, quota, in_use, row.peak))
    before, needed = sum(r.before for r in rows), sum(r.peak for r in rows)
    in_use_total = sum(account.in_use.values())
    if account.total is not None and needed > before and in_use_total + needed > account.total.value:
        found.append(Shortfall(None, account.total, in_use_total, needed))
    return found, unknown


def report(
    environment: str,
    plans: Sequence[Mapping[str, Any]],
    *,
    deployments: Mapping[str, Any] | None = None,
    account: Account | None = None,
    account_note: str = "",
    prices: Prices | None = None,
    prices_hint: str = "",
) -> CapacityReport:
    endpoints = endpoint_capacities(plans, deployments)
    rows = totals(endpoints)
    found, unknown = shortfalls(rows, account) if account else ([], [])
    return CapacityReport(environment, endpoints, rows, account, account_note, prices, prices_hint, found, unknown)


# --- markdown ---------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _money(value: float) -> str:
    return f"${value:,.2f}"


def warning_markdown(result: CapacityReport) -> str:
    """The block that opens plan.md when the account cannot take the change; empty otherwise."""
    if not result.shortfalls:
        return ""
    lines = [
        f"> ⚠️ **Capacity shortfall in {result.account.where if result.account else 'the account'}**: "
        "CreateEndpoint/UpdateEndpoint would fail with ResourceLimitExceeded during the apply.",
        ">",
    ]
    lines += [f"> * {s.message}" for s in result.shortfalls]
    return "\n".join(lines) + "\n\n"


def section_markdown(result: CapacityReport) -> str:
    """The capacity table with its notes, for the review summary."""
    if not result.endpoints:
        return "### Capacity\n\nNo SageMaker endpoint in this plan.\n"
    quotas = result.account is not None
    header = "| instance type | instances before → after | peak during rollout |"
    rule = "|---|---:|---:|"
    if quotas:
        header += " quota | in use by other endpoints |"
        rule += "---:|---:|"
    header += " on-demand per month before → after |" if result.prices else " instance-hours per month before → after |"
    rule += "---:|"
    lines = ["### Capacity", "", header, rule]
    for row in result.totals:
        cells = f"| `{row.instance_type}` | {row.before} → {row.after} | {row.peak} |"
        if result.account is not None:
            quota = result.account.quotas.get(row.instance_type)
            cells += f" {_number(quota.value) if quota else 'not listed'} | {result.account.in_use.get(row.instance_type, 0)} |"
        cells += f" {_cost(result.prices, row.instance_type, row.before)} → {_cost(result.prices, row.instance_type, row.after)} |"
        lines.append(cells)
    before, after, top = (sum(getattr(r, k) for r in result.totals) for k in ("before", "after", "peak"))
    total = f"| all endpoint instances | {before} → {after} | {top} |"
    if result.account is not None:
        quota = result.account.total
        total += f" {_number(quota.value) if quota else 'not listed'} | {sum(result.account.in_use.values())} |"
    if result.prices is None:
        total += f" {HOURS_PER_MONTH * before:,} h → {HOURS_PER_MONTH * after:,} h |"
    elif all(r.instance_type in result.prices.hourly for r in result.totals):
        total += f" {_money(_sum_cost(result.prices, result.totals, 'before'))} → {_money(_sum_cost(result.prices, result.totals, 'after'))} |"
    else:
        total += " unknown |"
    lines.append(total)
    lines.append("")
    changing = [e for e in result.endpoints if e.changes_capacity]
    if changing:
        lines.append("Endpoints whose capacity changes:")
        lines.append("")
        for e in changing:
            kinds = sorted(set(e.before) | set(e.after))
            counts = ", ".join(f"`{k}` {e.before.get(k, 0)} → {e.after.get(k, 0)} (peak {e.peak.get(k, 0)})" for k in kinds)
            scaled = "; counted at the autoscaling maximum" if e.autoscaled else ""
            lines.append(f"* `{e.name}`: {counts} — {e.rollout.label}{scaled}")
        lines.append("")
    else:
        lines.append("No endpoint's capacity changes.")
        lines.append("")
    lines.append(
        "Instances per type; a variant with autoscaling counts at its maximum. The peak assumes every "
        "endpoint this change updates rolls out at the same time."
    )
    lines.append("")
    if result.account is not None:
        note = f"Quotas: applied values of {result.account.where} (Service Quotas); no shortfall." if not result.shortfalls else (
            f"Quotas: applied values of {result.account.where} (Service Quotas); shortfalls are listed at the top."
        )
        note += " " + _in_use_source(result.account)
        if result.unknown_quotas:
            listed = ", ".join(f"`{t}`" for t in result.unknown_quotas)
            note += f" No quota is listed for {listed}: check that the type is offered for endpoints in this region."
        lines.append(note)
    else:
        lines.append(f"Quotas: not checked — {result.account_note}")
    lines.append("")
    if result.prices:
        lines.append(f"Prices: on-demand, {HOURS_PER_MONTH} hours a month, from {result.prices.source}.")
    else:
        lines.append(f"Prices: none known — {result.prices_hint}")
    return "\n".join(lines) + "\n"


def _in_use_source(account: Account) -> str:
    """Where the column of instances in use by other endpoints comes from."""
    return (
        f"In use by other endpoints: {_endpoints(account.from_catalog)} of this environment's catalog that run, counted from "
        f"their catalog settings (autoscaled variants at their maximum), and {_endpoints(account.described)} outside the "
        "catalog, as SageMaker describes them."
    )


def _endpoints(count: int) -> str:
    return f"{count} endpoint" if count == 1 else f"{count} endpoints"


def _cost(prices: Prices | None, kind: str, count: int) -> str:
    if prices is None:
        return f"{HOURS_PER_MONTH * count:,} h"
    hourly = prices.hourly.get(kind)
    if hourly is None:
        return "unknown"
    return _money(hourly * count * HOURS_PER_MONTH)


def _sum_cost(prices: Prices, rows: Iterable[TypeTotal], side: str) -> float:
    return sum(prices.hourly[r.instance_type] * getattr(r, side) * HOURS_PER_MONTH for r in rows)


# --- prices -----------------------------------------------------------------------------------


def hosting_prices(price_list: Iterable[str]) -> dict[str, float]:
    """Instance type → on-demand USD per hour, from Price List GetProducts answers.

    Each item is one product as a JSON string (the API's documented `PriceList` format). Only
    real-time hosting instances count: product family "ML Instance", component "Hosting".
    """
    prices: dict[str, float] = {}
    for item in price_list:
        product = json.loads(item)
        attributes = product.get("product", {}).get("attributes", {})
        kind = attributes.get("instanceName") or str(attributes.get("usagetype", "")).partition("Host:")[2]
        if product.get("product", {}).get("productFamily") != "ML Instance" or attributes.get("component") != "Hosting":
            continue
        if not str(kind).startswith("ml."):
            continue
        for term in (product.get("terms", {}).get("OnDemand") or {}).values():
            for dimension in (term.get("priceDimensions") or {}).values():
                usd = (dimension.get("pricePerUnit") or {}).get("USD")
                if dimension.get("unit") in ("Hrs", "Hours") and usd is not None and float(usd) > 0:
                    prices[str(kind)] = float(usd)
    return dict(sorted(prices.items()))


def markdown(result: CapacityReport) -> tuple[str, str]:
    """(the warning that opens plan.md, the capacity section): what the summary template takes."""
    return warning_markdown(result), section_markdown(result)
