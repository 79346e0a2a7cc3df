"""`python -m generator summary PLAN_JSON`: the pull-request review summary of a Terraform plan.

Reads `terraform show -json` output through a read-only view keyed by resource address, groups
the changes by catalog endpoint (the root module calls `module.endpoint["<name>"]`; resources
elsewhere are recognised by their `sagemaker-gitops:endpoint` tag), puts what can hurt first
(downtime, IAM, security-group rules, the VPC endpoint) and renders markdown with a jinja2
template. A value with any part Terraform marks sensitive, on either side of the change, is
never printed. Every value from the plan is untrusted text (the pull request's author chose it)
and is shown through `markdown.code`, which keeps it inside its code span and on its line. The
text always fits one GitHub comment: when it would not, whole resource entries are cut from the
end and a note says so.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
import orjson

from generator.common.errors import UsageError
from generator.review.markdown import code

# GitHub refuses longer comment bodies (it counts characters, not bytes).
COMMENT_LIMIT = 65_535
ENDPOINT_TAG = "sagemaker-gitops:endpoint"
ACTIONS = ("create", "update", "replace", "delete", "no-op")
MAX_VALUE_CHARS = 160
MAX_ATTRIBUTES = 12
# Warnings of one kind listed in full; more are counted and folded into a <details> block.
WARNINGS_LISTED_PER_KIND = 5

_ENDPOINT_ADDRESS = re.compile(r'^module\.endpoint\["(?P<name>[^"]+)"\]\.(?P<rest>.+)$')
_DIGEST_REF = re.compile(r"^(?P<repository>[^@]+)@(?P<digest>sha256:[0-9a-f]{64})$")
_IAM_TYPE = re.compile(r"^aws_iam_")
_SG_RULE_TYPES = frozenset(
    {"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"}
)
_VPC_ENDPOINT_TYPE = re.compile(r"^aws_vpc_endpoint")
_PAST = {"create": "created", "update": "updated in place", "replace": "replaced", "delete": "deleted"}
_MISSING = object()
SENSITIVE = "(sensitive)"
UNKNOWN = "(known after apply)"


@dataclass(frozen=True)
class AttributeChange:
    path: str
    before: str  # already rendered for display: sensitive and unknown values are placeholders
    after: str
    forces_replacement: bool = False


@dataclass(frozen=True)
class ImageChange:
    """An image reference before and after; either side is None when the model is new or gone."""

    before: str | None
    after: str | None

    @property
    def repository(self) -> str | None:
        """The repository both sides share, so that only the digests need showing."""
        sides = [_DIGEST_REF.match(ref) for ref in (self.before, self.after) if ref]
        repositories = {m.group("repository") for m in sides if m}
        return repositories.pop() if len(repositories) == 1 and len(sides) == 2 else None

    def short(self, ref: str | None) -> str | None:
        match = _DIGEST_REF.match(ref or "")
        return match.group("digest") if match and self.repository else ref


@dataclass(frozen=True)
class ResourceChange:
    address: str
    label: str  # address inside its group: `aws_sagemaker_model.this` under an endpoint
    type: str
    action: str
    create_first: bool  # replace order: create before destroy, or destroy first
    attributes: tuple[AttributeChange, ...] = ()
    hidden_attributes: int = 0


@dataclass(frozen=True)
class ReviewWarning:
    kind: str
    message: str  # markdown: every value in it is already a `markdown.code` span


@dataclass
class Group:
    """The changes of one catalog endpoint, or of the environment-wide resources (name None)."""

    name: str | None
    resources: list[ResourceChange] = field(default_factory=list)
    images: list[ImageChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(r.action for r in self.resources)
        return {a: tally[a] for a in ACTIONS if a != "no-op" and tally[a]}


@dataclass
class Summary:
    environment: str
    counts: dict[str, int]
    warnings: list[ReviewWarning]
    endpoints: list[Group]  # endpoints with changes, by name
    unchanged_endpoints: list[str]
    shared: Group


@dataclass(frozen=True)
class View:
    """What the template shows: the summary, cut to `budget` entries when it must be."""

    summary: Summary
    warnings: list[ReviewWarning]
    endpoints: list[Group]
    shared: Group | None
    total_entries: int
    shown_entries: int
    hidden_endpoints: int
    full_plan_hint: str

    @property
    def cut(self) -> bool:
        return self.shown_entries < self.total_entries

    @property
    def warnings_by_kind(self) -> list[tuple[str, list[ReviewWarning]]]:
        """The warnings shown, grouped by kind in their order: at the scale of an environment's
        first plan, a kind with many warnings gets one counted line and the rest folded away."""
        kinds: dict[str, list[ReviewWarning]] = {}
        for warning in self.warnings:
            kinds.setdefault(warning.kind, []).append(warning)
        return list(kinds.items())


# --- reading the plan -------------------------------------------------------------------------


def load_plan(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"fix: run `make plan` first (it writes build/<env>/plan.json) — {path} does not exist") from None
    try:
        # orjson: a 10,000-resource plan is tens of MiB, and the standard library's parser took
        # most of the summary's time (measured by `make bench`). Same values, same types.
        plan = orjson.loads(data)
    except orjson.JSONDecodeError:
        # What orjson refuses and the standard library reads (integers over 64 bits) is still a
        # plan; otherwise the standard library's message names the line of the error.
        try:
            plan = json.loads(data.decode("utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            raise UsageError(f"fix: pass the output of `terraform show -json PLANFILE` — {path} is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(plan, dict) or not str(plan.get("format_version", "")).startswith("1."):
        raise UsageError(f"fix: pass the output of `terraform show -json PLANFILE` — {path} is not a Terraform JSON plan (format_version 1.x)")
    return plan


def environment_of(plan: Mapping[str, Any]) -> str:
    value = plan.get("variables", {}).get("environment", {}).get("value")
    if not isinstance(value, str) or not value:
        raise UsageError("fix: summarize a plan of this repository's terraform/ root module — the plan has no `environment` variable")
    return value


def action_of(actions: Sequence[str]) -> str | None:
    """Terraform's action list as one word; None for reads of data sources."""
    match list(actions):
        case ["no-op"]:
            return "no-op"
        case ["create"]:
            return "create"
        case ["update"]:
            return "update"
        case ["delete"]:
            return "delete"
        case ["create", "delete"] | ["delete", "create"]:
            return "replace"
        case ["forget"]:
            return "forget"
        case _:
            return None


def endpoint_of(change: Mapping[str, Any]) -> tuple[str | None, str]:
    """(endpoint name or None, label inside the group)."""
    address = change["address"]
    match = _ENDPOINT_ADDRESS.match(address)
    if match:
        return match.group("name"), match.group("rest")
    values = change.get("change", {})
    for side in ("after", "before"):
        for key in ("tags", "tags_all"):
            tags = (values.get(side) or {}).get(key)
            if isinstance(tags, dict) and isinstance(tags.get(ENDPOINT_TAG), str):
                return tags[ENDPOINT_TAG], address
    return None, address


# --- attribute diffs --------------------------------------------------------------------------


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(key, _MISSING)
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return node[key]
    return _MISSING


def _mask(mask: Any, key: str | int) -> Any:
    """A sensitivity or unknown mask below `key`; `True` above applies to everything below."""
    if mask is True:
        return True
    child = _child(mask, key)
    return False if child is _MISSING else child


def _blank(value: Any) -> bool:
    # The provider reports "not set" as null on one side and as ""/0/false/[] on the other.
    return value is _MISSING or value is None or value in ("", 0, False) or value == [] or value == {}


def _display(value: Any) -> str:
    if value is _MISSING or value is None:
        return "null"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def diff(
    before: Any, after: Any, before_sensitive: Any, after_sensitive: Any, after_unknown: Any, path: str = ""
) -> Iterator[tuple[str, str, str]]:
    """Leaf changes as (path, before, after) display strings; sensitive values never leave here."""
    hidden = _contains_true(before_sensitive) or _contains_true(after_sensitive)
    if after_unknown is True:
        if not _blank(before):
            yield path, SENSITIVE if hidden else _display(before), UNKNOWN
        return
    if before_sensitive is True or after_sensitive is True:
        if before != after and not (_blank(before) and _blank(after)):
            yield path, SENSITIVE, SENSITIVE
        return
    if isinstance(before, dict) or isinstance(after, dict):
        b = before if isinstance(before, dict) else {}
        a = after if isinstance(after, dict) else {}
        for key in sorted(set(b) | set(a)):
            yield from diff(
                b.get(key, _MISSING), a.get(key, _MISSING),
                _mask(before_sensitive, key), _mask(after_sensitive, key), _mask(after_unknown, key),
                _join(path, key),
            )
        return
    if isinstance(before, list) or isinstance(after, list):
        b = before if isinstance(before, list) else []
        a = after if isinstance(after, list) else []
        for index in range(max(len(b), len(a))):
            yield from diff(
                _child(b, index), _child(a, index),
                _mask(before_sensitive, index), _mask(after_sensitive, index), _mask(after_unknown, index),
                _join(path, index),
            )
        return
    if before != after and not (_blank(before) and _blank(after)):
        yield (path, SENSITIVE, SENSITIVE) if hidden else (path, _display(before), _display(after))


def _replace_prefixes(replace_paths: Sequence[Sequence[str | int]]) -> list[str]:
    prefixes = []
    for steps in replace_paths:
        path = ""
        for step in steps:
            path = _join(path, step)
        prefixes.append(path)
    return prefixes


def attribute_changes(change: Mapping[str, Any], action: str) -> list[AttributeChange]:
    values = change["change"]
    found = list(
        diff(
            values.get("before"), values.get("after"),
            values.get("before_sensitive", False), values.get("after_sensitive", False),
            values.get("after_unknown", False),
        )
    )
    # tags_all repeats tags plus the provider's default tags: show it only when tags did not change.
    if any(p.startswith("tags.") or p == "tags" for p, _, _ in found):
        found = [f for f in found if not (f[0] == "tags_all" or f[0].startswith("tags_all."))]
    forced = _replace_prefixes(values.get("replace_paths") or [])
    changes = [
        AttributeChange(p, b, a, any(p == f or p.startswith(f + ".") or p.startswith(f + "[") for f in forced))
        for p, b, a in found
    ]
    if action == "replace":
        # A new object gets a new id and ARN anyway; listing them would bury the real cause.
        changes = [c for c in changes if c.forces_replacement or c.after != UNKNOWN]
        # A cause whose leaves all look blank (e.g. `[{}]` → `[]`) still has to be named.
        for steps, prefix in zip(values.get("replace_paths") or [], forced, strict=True):
            if not any(c.forces_replacement and (c.path == prefix or c.path.startswith(prefix)) for c in changes):
                changes.append(AttributeChange(prefix, _display_at(values, "before", steps), _display_at(values, "after", steps), True))
    # The causes of a replacement first: they are what the reviewer has to judge.
    return sorted(changes, key=lambda c: not c.forces_replacement)


def _display_at(values: Mapping[str, Any], side: str, steps: Sequence[str | int]) -> str:
    node, mask = values.get(side), values.get(f"{side}_sensitive", False)
    for step in steps:
        node, mask = _child(node, step), _mask(mask, step)
    if mask is True or (isinstance(mask, dict | list) and _contains_true(mask)):
        return SENSITIVE
    if side == "after" and _unknown_at(values.get("after_unknown", False), steps):
        return UNKNOWN
    return _display(node)


def _contains_true(mask: Any) -> bool:
    if mask is True:
        return True
    children = mask.values() if isinstance(mask, dict) else mask if isinstance(mask, list) else ()
    return any(_contains_true(c) for c in children)


def _unknown_at(mask: Any, steps: Sequence[str | int]) -> bool:
    for step in steps:
        mask = _mask(mask, step)
    return mask is True


def _images(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    containers = (value.get("primary_container") or []) + (value.get("container") or [])
    return [c["image"] for c in containers if isinstance(c, dict) and isinstance(c.get("image"), str)]


def _sensitive_images(mask: Any) -> bool:
    """Whether the mask hides any container's image, or a container block as a whole."""
    for key in ("primary_container", "container"):
        node = _mask(mask, key)
        entries = node if isinstance(node, list) else [node]
        if any(_contains_true(_mask(entry, "image")) for entry in entries):
            return True
    return False


def image_change(change: Mapping[str, Any], action: str) -> ImageChange | None:
    """The model's image before → after, unless Terraform marks it sensitive."""
    if change["type"] != "aws_sagemaker_model":
        return None
    values = change["change"]
    if any(_sensitive_images(values.get(k, False)) for k in ("before_sensitive", "after_sensitive")):
        return None
    before = _images(values.get("before")) if action != "create" else []
    after = _images(values.get("after")) if action != "delete" else []
    if before == after:
        return None
    return ImageChange(", ".join(before) or None, ", ".join(after) or None)


# --- warnings ---------------------------------------------------------------------------------


def warnings_for(change: Mapping[str, Any], action: str, endpoint: str | None) -> list[ReviewWarning]:
    if action in ("no-op", "forget"):
        return []
    kind = change["type"]
    address = change["address"]
    verb = _PAST[action]
    found: list[ReviewWarning] = []
    if kind == "aws_sagemaker_endpoint" and action in ("delete", "replace"):
        values = change["change"]
        hidden = _contains_true(_mask(values.get("before_sensitive", False), "name"))
        name = (None if hidden else (values.get("before") or {}).get("name")) or endpoint or address
        effect = "it stops serving requests" if action == "delete" else "requests fail until the new endpoint is InService"
        found.append(ReviewWarning("downtime", f"SageMaker endpoint {code(str(name))} will be {verb}: {effect}"))
    if _IAM_TYPE.match(kind):
        found.append(ReviewWarning("IAM", f"{code(address)} will be {verb}"))
    if kind in _SG_RULE_TYPES or (kind == "aws_security_group" and _inline_rules_change(change)):
        found.append(ReviewWarning("security-group rule", f"{code(address)} will be {verb}"))
    if _VPC_ENDPOINT_TYPE.match(kind):
        found.append(ReviewWarning("VPC endpoint", f"{code(address)} will be {verb}"))
    return found


def _inline_rules_change(change: Mapping[str, Any]) -> bool:
    values = change["change"]
    before, after = values.get("before") or {}, values.get("after") or {}
    return any(before.get(k) != after.get(k) and not (_blank(before.get(k)) and _blank(after.get(k))) for k in ("ingress", "egress"))


# --- the summary ------------------------------------------------------------------------------


def summarize(plan: Mapping[str, Any]) -> Summary:
    return summarize_states([(None, plan)])


def summarize_states(plans: Sequence[tuple[str | None, Mapping[str, Any]]]) -> Summary:
    """One summary of several states of one environment (base and groups): endpoints by name
    whatever their state, environment-wide resources labelled with their state."""
    environment = environment_of(plans[0][1])
    counts = Counter[str]()
    warnings: list[ReviewWarning] = []
    groups: dict[str | None, Group] = {}
    changes = [(state, c) for state, plan in plans for c in sorted(plan.get("resource_changes", []), key=lambda c: c["address"])]
    for state, change in changes:
        if change.get("mode") == "data":
            continue
        action = action_of(change["change"]["actions"])
        if action is None:
            continue
        counts[action] += 1
        name, label = endpoint_of(change)
        if name is None and state is not None:
            label = f"{state}: {label}"
        group = groups.setdefault(name, Group(name))
        warnings.extend(warnings_for(change, action, name))
        if action == "no-op":
            group.unchanged += 1
            continue
        image = image_change(change, action)
        if image:
            group.images.append(image)
        attributes = attribute_changes(change, action) if action in ("update", "replace") else []
        group.resources.append(
            ResourceChange(
                address=change["address"],
                label=label,
                type=change["type"],
                action=action,
                create_first=change["change"]["actions"][0] == "create",
                attributes=tuple(attributes[:MAX_ATTRIBUTES]),
                hidden_attributes=max(0, len(attributes) - MAX_ATTRIBUTES),
            )
        )
    order = {kind: i for i, kind in enumerate(("downtime", "IAM", "security-group rule", "VPC endpoint"))}
    warnings.sort(key=lambda w: order[w.kind])  # stable: within a kind, by address
    shared = groups.pop(None, Group(None))
    named = [groups[n] for n in sorted(groups)]  # type: ignore[type-var]
    return Summary(
        environment=environment,
        counts={a: counts[a] for a in ACTIONS} | ({"forget": counts["forget"]} if counts["forget"] else {}),
        warnings=warnings,
        endpoints=[g for g in named if g.resources],
        unchanged_endpoints=[g.name for g in named if not g.resources and g.name],
        shared=shared,
    )


def _entries(summary: Summary) -> int:
    return len(summary.warnings) + sum(len(g.resources) for g in [*summary.endpoints, summary.shared])


def view(summary: Summary, budget: int | None, full_plan_hint: str) -> View:
    """Keep the first `budget` entries (warnings, then resources in document order)."""
    total = _entries(summary)
    left = total if budget is None else max(0, budget)
    warnings = summary.warnings[:left]
    left -= len(warnings)
    endpoints: list[Group] = []
    hidden_endpoints = 0
    for group in summary.endpoints:
        if left <= 0:
            hidden_endpoints += 1
            continue
        endpoints.append(replace(group, resources=group.resources[:left]))
        left -= len(endpoints[-1].resources)
    shared = replace(summary.shared, resources=summary.shared.resources[:left]) if left > 0 and summary.shared.resources else None
    shown = len(warnings) + sum(len(g.resources) for g in endpoints) + (len(shared.resources) if shared else 0)
    return View(summary, warnings, endpoints, shared, total, shown, hidden_endpoints, full_plan_hint)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.review", "templates"),
        # Markdown, not HTML: HTML escaping would show `&lt;` inside code spans and protect
        # nothing. Every value from the plan goes through the `code` filter instead.
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = code
    return env


@functools.cache
def _template() -> jinja2.Template:
    return _environment().get_template("summary.md.j2")


def prepare() -> None:
    """Compile the template now (e.g. while Terraform plans) rather than when rendering."""
    _template()


def render(
    summary: Summary,
    *,
    limit: int = COMMENT_LIMIT,
    full_plan_hint: str = "the full plan output",
    capacity: tuple[str, str] = ("", ""),
    unplanned: Sequence[str] = (),
) -> str:
    """Markdown under `limit` characters: everything when it fits, else the longest prefix that does.

    `capacity` is (shortfall warning, capacity section) from `generator.review.capacity`: the
    warning opens the text, the section follows the warnings. `unplanned` names the states left
    out because they had nothing to plan.
    """
    template = _template()

    def text(budget: int | None) -> str:
        return template.render(
            v=view(summary, budget, full_plan_hint), actions=ACTIONS, listed_per_kind=WARNINGS_LISTED_PER_KIND, capacity=capacity, unplanned=list(unplanned)
        )

    full = text(None)
    if len(full) <= limit:
        return full
    low, high = 0, _entries(summary) - 1  # invariant: budget `low` fits (checked below), `high + 1` does not
    while low < high:
        middle = (low + high + 1) // 2
        if len(text(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    result = text(low)
    if len(result) > limit:
        raise UsageError(f"fix: raise the limit — even the header of the summary is longer than {limit} characters")
    return result


def summary_markdown(plan_json: Path, *, limit: int = COMMENT_LIMIT, capacity: tuple[str, str] = ("", "")) -> str:
    plan = load_plan(plan_json)
    hint = f"`terraform show` of the plan file beside {code(plan_json.name)}"
    return render(summarize(plan), limit=limit, full_plan_hint=hint, capacity=capacity)


def summary_markdown_of_states(
    plan_jsons: Sequence[tuple[str, Path]],
    *,
    limit: int = COMMENT_LIMIT,
    capacity: tuple[str, str] = ("", ""),
    unplanned: Sequence[str] = (),
) -> str:
    """The review of a whole environment: every state's plan (label, build/<env>/<state>/plan.json),
    and the labels of the states not planned because they had nothing to plan."""
    plans = [(label, load_plan(path)) for label, path in plan_jsons]
    hint = "`terraform show` of each state's plan file under build/<env>/<state>/"
    return render(summarize_states(plans), limit=limit, full_plan_hint=hint, capacity=capacity, unplanned=unplanned)
