"""Synthetic inputs of realistic shape: catalogs of N endpoints and large plan JSON documents.

The catalog entries are the repository's own `catalog/*.yaml` files used as templates (so a new
catalog field shows up in the benchmark without touching it), renamed and given their own image
digest. Every endpoint is deployed to every requested environment; the template's own
per-environment overrides (e.g. prod's bigger instances) are kept where the environment exists.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.catalog.models import image_host

HEADER = "# Synthetic benchmark endpoint {index} of {count}, shaped like catalog/{template}.yaml.\n"


def digest_of(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def endpoint_name(index: int) -> str:
    return f"bench-ep-{index:05d}"


def load_templates(source_root: Path) -> list[tuple[str, dict[str, Any]]]:
    """(file stem, parsed entry) of every catalog file, sorted, as the shapes to copy."""
    files = sorted((source_root / "catalog").glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"no catalog/*.yaml under {source_root} to use as templates")
    return [(path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]


def _retarget_image(image: str, hosts: dict[str, str], name: str) -> str:
    """The template's image, renamed and re-pinned; its host kept when the environments know it."""
    host = image_host(image)
    if host not in hosts.values():
        host = sorted(hosts.values())[0]
    repository = image.split("/", 1)[1].split("@", 1)[0].rsplit("/", 1)[0]
    return f"{host}/{repository}/{name}@{digest_of(name)}"


def synthetic_entry(
    template: dict[str, Any], name: str, environments: list[str], hosts: dict[str, str]
) -> dict[str, Any]:
    entry = json.loads(json.dumps(template))  # deep copy of plain data
    entry["name"] = name
    entry["image"] = _retarget_image(entry["image"], hosts, name)
    if "container_environment" in entry and "MODEL_NAME" in entry["container_environment"]:
        entry["container_environment"]["MODEL_NAME"] = name
    overrides = entry.get("environments") or {}
    entry["environments"] = {env: overrides.get(env) or {} for env in environments}
    for override in entry["environments"].values():
        if "image" in override:
            override["image"] = _retarget_image(override["image"], hosts, name)
    return entry


def registry_hosts(environment_files: list[Path]) -> dict[str, str]:
    """Logical registry name -> host, common to the given environment files."""
    hosts: dict[str, str] | None = None
    for path in environment_files:
        registries = yaml.safe_load(path.read_text(encoding="utf-8"))["registries"]
        mine = {name: r["host"] for name, r in registries.items()}
        hosts = mine if hosts is None else {n: h for n, h in hosts.items() if mine.get(n) == h}
    if not hosts:
        raise ValueError("the environments share no registry host for synthetic images")
    return hosts


def group_name(index: int) -> str:
    return f"g{index:03d}"


def write_catalog(
    source_root: Path,
    target_root: Path,
    count: int,
    environments: list[str],
    group_size: int | None = None,
    shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    start: int = 0,
) -> list[Path]:
    """Write `count` catalog files into target_root/catalog (replacing what is there).

    Without `group_size` every file lies directly in catalog/ (the `default` group); with it,
    endpoint i goes to the group folder catalog/g<i // group_size>/ (with its group.yaml), as an
    organisation with one folder per team would have them. `shape` may change each entry;
    `start` numbers the endpoints from there (more of the same catalog, written elsewhere).
    """
    templates = load_templates(source_root)
    env_files = [target_root / "environments" / env / "environment.yaml" for env in environments]
    hosts = registry_hosts(env_files)
    catalog = target_root / "catalog"
    if catalog.exists():
        shutil.rmtree(catalog)
    catalog.mkdir(parents=True)
    written = []
    for index in range(start, start + count):
        stem, template = templates[index % len(templates)]
        name = endpoint_name(index)
        entry = synthetic_entry(template, name, environments, hosts)
        if shape is not None:
            entry = shape(entry)
        text = HEADER.format(index=index + 1, count=count, template=stem)
        text += yaml.safe_dump(entry, sort_keys=False, default_flow_style=False, width=200)
        folder = catalog
        if group_size is not None:
            folder = catalog / group_name(index // group_size)
            if not folder.is_dir():
                folder.mkdir()
                (folder / "group.yaml").write_text(f"owner: team-{folder.name}\n", encoding="utf-8")
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def make_repository(
    source_root: Path, target_root: Path, count: int, environments: list[str], group_size: int | None = None
) -> Path:
    """A minimal input tree (environments + synthetic catalog) the generator can validate and render."""
    for env in environments:
        source = source_root / "environments" / env / "environment.yaml"
        target = target_root / "environments" / env / "environment.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    write_catalog(source_root, target_root, count, environments, group_size)
    return target_root


def input_files(root: Path) -> list[Path]:
    """Every hand-written input the generator reads: environment files, then catalog files."""
    catalog = root / "catalog"
    return sorted((root / "environments").glob("*/environment.yaml")) + sorted(catalog.glob("*.yaml")) + sorted(catalog.glob("*/*.yaml"))


# --- a large plan -------------------------------------------------------------------------------

_ENDPOINT_MODULE = re.compile(r'^module\.endpoint\["(?P<name>[^"]+)"\]')


def _known(after: Any, unknown: Any, seed: str) -> Any:
    """`after` with every value unknown at plan time filled in, as the prior state would hold it."""
    if unknown is True:
        return f"{seed}-known"
    if isinstance(after, dict) and isinstance(unknown, dict):
        merged = dict(after)
        for key, mask in unknown.items():
            merged[key] = _known(after.get(key), mask, f"{seed}.{key}")
        return merged
    if isinstance(after, list) and isinstance(unknown, list):
        return [_known(a, m, seed) for a, m in zip(after, unknown, strict=False)] + after[len(unknown) :]
    return after


def _retarget(change: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return json.loads(json.dumps(change).replace(f'"{old}"', f'"{new}"').replace(f'\\"{old}\\"', f'\\"{new}\\"').replace(f"{old}-", f"{new}-"))


def large_plan(real_plan: dict[str, Any], resources: int) -> dict[str, Any]:
    """A `terraform show -json` document with `resources` resource changes, cloned from a real plan.

    The real plan's per-endpoint resources (module.endpoint["..."]) are repeated under new endpoint
    names with a realistic mix of actions: mostly no-op, some in-place updates (tags), model
    replacements (new image digest, the endpoint updated to the new configuration), creations
    and deletions.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    shared: list[dict[str, Any]] = []
    for change in real_plan["resource_changes"]:
        match = _ENDPOINT_MODULE.match(change["address"])
        if match:
            groups.setdefault(match.group("name"), []).append(change)
        else:
            shared.append(change)
    if not groups:
        raise ValueError("the plan has no module.endpoint resources to clone")
    template_name, template = max(groups.items(), key=lambda item: len(item[1]))

    changes: list[dict[str, Any]] = [_as_no_op(c) for c in shared]
    index = 0
    while len(changes) < resources:
        name = endpoint_name(100_000 + index)
        kind = ("replace", "update", "create", "delete")[index % 4] if index % 10 < 2 else "no-op"
        for change in template:
            clone = _retarget(change, template_name, name)
            changes.append(_with_action(clone, kind, name))
        index += 1
    changes = changes[:resources]

    plan = {k: v for k, v in real_plan.items() if k not in ("resource_changes", "planned_values", "prior_state")}
    plan["resource_changes"] = changes
    plan["planned_values"] = {"root_module": {"resources": [_planned(c) for c in changes if c["change"]["after"] is not None]}}
    return plan


def _as_no_op(change: dict[str, Any]) -> dict[str, Any]:
    return _with_action(json.loads(json.dumps(change)), "no-op", change["address"])


def _with_action(change: dict[str, Any], kind: str, seed: str) -> dict[str, Any]:
    body = change["change"]
    after = body.get("after")
    known = _known(after, body.get("after_unknown", {}), seed)
    if kind == "create":
        return change
    if kind == "delete":
        body.update(actions=["delete"], before=known, after=None, after_unknown={})
        return change
    body["before"] = known
    body["before_sensitive"] = body.get("after_sensitive", {})
    if kind == "no-op":
        body.update(actions=["no-op"], after=known, after_unknown={})
    elif kind == "update":
        tags = dict((known or {}).get("tags") or {})
        body["before"] = {**known, "tags": {**tags, "owner": "previous-team"}}
        body.update(actions=["update"], after=known, after_unknown={})
    elif kind == "replace":
        # The live model still runs the previous image digest.
        before = json.loads(re.sub(r"sha256:[0-9a-f]{64}", digest_of(f"{seed}-previous"), json.dumps(known)))
        body.update(before=before)
        if change["type"] in ("aws_sagemaker_model", "aws_sagemaker_endpoint_configuration"):
            body["actions"] = ["create", "delete"]
            change["action_reason"] = "replace_because_cannot_update"
            body["replace_paths"] = [["name"]]
        elif change["type"] == "aws_sagemaker_endpoint":
            body["actions"] = ["update"]
            body["after_unknown"] = {"endpoint_config_name": True}
        else:
            body.update(actions=["no-op"], before=known, after=known, after_unknown={})
    return change


def _planned(change: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": change["address"],
        "mode": change["mode"],
        "type": change["type"],
        "name": change["name"],
        "provider_name": change.get("provider_name"),
        "values": change["change"]["after"],
    }
