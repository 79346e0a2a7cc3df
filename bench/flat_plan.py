"""A flat Terraform configuration generated from real plans of the root modules.

One resource block per managed resource the plans create, its attribute values copied from the
plan's `planned_values` as literals: no modules, variables, locals, `for_each` or data sources,
only the provider block. Nothing here knows the modules, so the baseline follows them as they
change (the hand-written mirror it replaces had drifted).

What a plan cannot know yet (an ID, an ARN or a name made from them) cannot be a literal. A
person writing the configuration by hand would reference the resource that makes it; here every
such argument references one `terraform_data.unknown`, so it stays unknown at plan time as in the
modules' plan, for the price of one reference per unknown argument. Attributes the provider
computes (and that the modules leave unset) are left out, as a hand-written file would leave them.
The file is Terraform's JSON syntax, which needs no HCL formatting and keeps every value exact.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

UNKNOWN_LABEL = "unknown"
UNKNOWN_REF = "${terraform_data." + UNKNOWN_LABEL + ".id}"
# The built-in provider of terraform_data, which `terraform providers schema` does not list.
TERRAFORM_DATA = {
    "attributes": {
        "id": {"type": "string", "computed": True},
        "input": {"type": "dynamic", "optional": True},
        "output": {"type": "dynamic", "computed": True},
        "triggers_replace": {"type": "dynamic", "optional": True},
    }
}


def label(address: str) -> str:
    """A resource label from a resource address, e.g. module.endpoint["a"].aws_x.this[0]."""
    return "r_" + re.sub(r"[^A-Za-z0-9_-]+", "_", address).strip("_")


def _escape(value: Any) -> Any:
    """A literal for Terraform's JSON syntax, where every string is a template."""
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def _placeholder(type_: Any) -> Any:
    """An unknown value of the attribute's type (a collection of one unknown string)."""
    if isinstance(type_, list) and type_[0] in ("list", "set"):
        return [UNKNOWN_REF]
    if isinstance(type_, list) and type_[0] in ("map", "object"):
        return None
    return UNKNOWN_REF


def _with_unknowns(value: Any, mask: Any) -> Any:
    """`value` as a literal, every part the plan marks unknown replaced by an unknown reference."""
    if mask is True:
        return UNKNOWN_REF
    if isinstance(mask, dict) and isinstance(value, dict | None):
        merged = {k: _escape(v) for k, v in (value or {}).items()}
        for key, inner in mask.items():
            if inner:
                merged[key] = _with_unknowns((value or {}).get(key), inner)
        return merged
    if isinstance(mask, list) and isinstance(value, list):
        return [_with_unknowns(v, mask[i]) if i < len(mask) and mask[i] else _escape(v) for i, v in enumerate(value)]
    return _escape(value)


def block_body(values: Mapping[str, Any], unknown: Any, schema: Mapping[str, Any], base_dir: str) -> dict[str, Any]:
    """The arguments and nested blocks of one block, from its planned values and unknown mask."""
    unknown = unknown if isinstance(unknown, dict) else {}
    body: dict[str, Any] = {}
    for name, attribute in schema.get("attributes", {}).items():
        if name in ("id", "tags_all") or not (attribute.get("required") or attribute.get("optional")):
            continue  # computed by the provider (tags_all from default_tags), never configured
        mask = unknown.get(name)
        if mask is True:
            if attribute.get("computed") and not attribute.get("required"):
                continue  # unknown and optional-computed: the provider fills it in
            placeholder = _placeholder(attribute.get("type"))
            if placeholder is not None:
                body[name] = placeholder
            continue
        value = values.get(name)
        if value is None:
            continue
        if name == "filename" and isinstance(value, str) and not posixpath.isabs(value):
            value = posixpath.normpath(posixpath.join(base_dir, value))
        body[name] = _with_unknowns(value, mask) if mask else _escape(value)
    for name, nested in schema.get("block_types", {}).items():
        value, mask = values.get(name), unknown.get(name)
        if not value or mask is True:
            continue
        items = value if isinstance(value, list) else [value]
        masks = mask if isinstance(mask, list) else [mask] * len(items)
        masks = list(masks) + [None] * (len(items) - len(masks))
        body[name] = [block_body(item, m, nested["block"], base_dir) for item, m in zip(items, masks, strict=True)]
    return body


def _resources(module: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def provider_block(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The root modules' provider configuration (terraform/shared/providers.tf), its variables
    replaced by the plan's values."""
    variables = {k: v.get("value") for k, v in plan.get("variables", {}).items()}
    block: dict[str, Any] = {"region": variables["aws_region"], "allowed_account_ids": [variables["aws_account_id"]]}
    if variables.get("aws_max_retries") is not None:
        block["max_retries"] = variables["aws_max_retries"]
    tags = {**(variables.get("tags") or {}), "sagemaker-gitops:environment": variables["environment"], "managed-by": "sagemaker-gitops"}
    block["default_tags"] = [{"tags": _escape(tags)}]
    return block


def configuration(plans: Iterable[tuple[str, Mapping[str, Any], str]], schemas: Mapping[str, Any]) -> dict[str, Any]:
    """One flat configuration (a main.tf.json document) of every managed resource in `plans`:
    (the state's name, its plan JSON, the root module's directory that relative file names in it
    are relative to). The state's name keeps equal addresses of different states apart."""
    resources: dict[str, dict[str, Any]] = {}
    provider: dict[str, Any] | None = None
    labels: set[str] = set()
    for state, plan, base_dir in plans:
        provider = provider or provider_block(plan)
        unknown_of = {c["address"]: c["change"].get("after_unknown", {}) for c in plan.get("resource_changes", [])}
        for resource in _resources(plan.get("planned_values", {}).get("root_module", {})):
            if resource.get("mode") != "managed":
                continue
            type_ = resource["type"]
            schema = TERRAFORM_DATA if type_ == "terraform_data" else schemas[type_]["block"]
            name = label(f"{state}.{resource['address']}")
            if name in labels:
                raise ValueError(f"two resources map to the label {name}")
            labels.add(name)
            body = block_body(resource.get("values") or {}, unknown_of.get(resource["address"]), schema, base_dir)
            resources.setdefault(type_, {})[name] = body
    if provider is None:
        raise ValueError("no plan to build the flat configuration from")
    resources.setdefault("terraform_data", {})[UNKNOWN_LABEL] = {}
    return {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.100"}},
            "backend": {"s3": {}},
        },
        "provider": {"aws": provider},
        "resource": resources,
    }


def resource_schemas(providers_schema: Mapping[str, Any]) -> dict[str, Any]:
    """resource type -> schema, from `terraform providers schema -json`."""
    found: dict[str, Any] = {}
    for provider in providers_schema.get("provider_schemas", {}).values():
        found.update(provider.get("resource_schemas", {}))
    return found


def write(path: Path, document: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _kinds(plans: Iterable[Mapping[str, Any]]) -> Counter[str]:
    return Counter(
        f"{c['type']} {c['change']['actions']}"
        for plan in plans
        for c in plan.get("resource_changes", [])
        if c.get("mode") == "managed" and not (c["type"] == "terraform_data" and c["name"] == UNKNOWN_LABEL and c["address"].count(".") == 1)
    )


def same_resources(module_plans: Iterable[Mapping[str, Any]], flat_plan: Mapping[str, Any]) -> list[str]:
    """What differs between the modules' plans and the flat plan (type and actions of every
    managed resource, counted); empty when they plan the same resources."""
    mine, flat = _kinds(module_plans), _kinds([flat_plan])
    return [f"only in the modules' plans: {k} (x{n})" for k, n in (mine - flat).items()] + [
        f"only in the flat plan: {k} (x{n})" for k, n in (flat - mine).items()
    ]
