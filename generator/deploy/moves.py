"""`python -m generator move`: carry an endpoint's resources from one group's state to another's
without destroying or re-creating anything.

A team reorganisation moves `catalog/<old>/<name>.yaml` to `catalog/<new>/<name>.yaml`. Planned
as it is, the old group's state would destroy the endpoint and the new one create it again (a new
endpoint ARN, minutes without service). Instead, after that change is merged:

1. both states are pulled, and `terraform state mv` moves every resource under
   `module.endpoint["<name>"]` from the old state file into the new one (Terraform's own state
   surgery: same objects, same IDs);
2. the new state is pushed first, then the old one, each under its state lock, so an interruption
   leaves the endpoint in at most both states, never in none;
3. the new group is applied: its model joins the new group's security group and role, so
   SageMaker gets a new model and endpoint configuration and updates the endpoint in place
   (UpdateEndpoint, the same ARN and creation time); then the old group is applied, which only
   shrinks its role's policy. Both states then plan empty.

`python -m generator migrate` uses the same surgery for an environment applied before endpoint
groups existed, as one state under environment.yaml's `backend.key`: the shared resources go to
`base`, each endpoint to its group's state, the execution role to the default group (where the
apply replaces it by the group's own role); then every state is applied, base first.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.catalog.loader import Repository
from generator.catalog.states import BASE, State
from generator.common.errors import UsageError
from generator.common.layout import DEFAULT_GROUP
from generator.deploy import workflow
from generator.deploy.terraform import TerraformRunner, check_toolchain


@dataclass(frozen=True)
class Move:
    endpoint: str
    source: State
    target: State
    resources: list[str]  # addresses moved


def _addresses(state_json: str, endpoint: str) -> list[str]:
    if not state_json.strip():
        return []
    prefix = f'module.endpoint["{endpoint}"]'
    found = []
    for resource in json.loads(state_json).get("resources", []):
        module = resource.get("module", "")
        if module == prefix or module.startswith(prefix + "."):
            address = f"{module}.{resource['type']}.{resource['name']}" if resource.get("mode") == "managed" else f"{module}.data.{resource['type']}.{resource['name']}"
            found.append(address)
    return sorted(set(found))


def _transfer(
    scratch: Path,
    source: TerraformRunner,
    source_json: str,
    targets: dict[State, tuple[TerraformRunner, str, list[tuple[str, str]]]],
) -> None:
    """`terraform state mv` each (from, to) address out of the source state into its target
    state, then push every target before the source: an interruption can leave a resource in
    two states (a plan would show it twice, nothing is destroyed), never in none."""
    source_file = scratch / "source.tfstate"
    source_file.write_text(source_json)
    files: dict[State, Path] = {}
    for state, (runner, target_json, addresses) in targets.items():
        files[state] = scratch / f"{state.name}.tfstate"
        if target_json.strip():
            files[state].write_text(target_json)
        for old, new in addresses:
            runner.state_command("mv", f"-state={source_file}", f"-state-out={files[state]}", old, new)
    for state, (runner, _, _) in targets.items():
        runner.state_command("push", str(files[state]))
    source.state_command("push", str(source_file))


def move_endpoint(root: Path, env_name: str, endpoint: str) -> Move:
    """Move `endpoint` into the state of the group the catalog now puts it in, then apply both."""
    prepared = workflow.prepare(root, env_name, None)
    repo, env, states = prepared.repo, prepared.env, prepared.states
    if endpoint not in repo.endpoints:
        raise UsageError(f"fix: pass the name of a catalog endpoint — {endpoint!r} is not in the catalog")
    target = State(env_name, repo.endpoints[endpoint].group)
    groups = [s for s in states if s.kind == "group"]
    with workflow.aws_for(root, env, keep_emulator=True) as aws_env:
        runners = {s: workflow.runner_for(root, env, s, aws_env, capture=True) for s in groups}
        pulled: dict[State, str] = {}
        for state, runner in runners.items():
            runner.init()
            pulled[state] = runner.state_command("pull")
        holders = [s for s in groups if _addresses(pulled[s], endpoint)]
        sources = [s for s in holders if s != target]
        if not sources:
            where = holders[0].project if holders else "no state"
            raise UsageError(f"fix: nothing to move — endpoint {endpoint!r} is in {where}, where the catalog puts it ({target.project})")
        if target in holders:
            raise UsageError(
                f"fix: apply {sources[0].project} and {target.project} by hand — endpoint {endpoint!r} is in both states already"
            )
        source = sources[0]
        moved = _addresses(pulled[source], endpoint)
        workflow.say(f"moving {len(moved)} resources of {endpoint} from {source.project} to {target.project}")
        prefix = f'module.endpoint["{endpoint}"]'
        with tempfile.TemporaryDirectory(prefix="sagemaker-gitops-move-") as scratch:
            _transfer(Path(scratch), runners[source], pulled[source], {target: (runners[target], pulled[target], [(prefix, prefix)])})
    for state in (target, source):
        workflow.apply(root, env_name, state=state.name, capture=False)
    return Move(endpoint, source, target, moved)


SINGLE_STATE = "_single-state"
_TOP_MODULE = re.compile(r'^module\.(?P<name>[a-z_]+)(?:\["(?P<key>[^"]+)"\]|\[[0-9]+\])?')


def legacy_destinations(state_json: str, repo: Repository, env_name: str) -> dict[State, list[tuple[str, str]]]:
    """Where each top-level module of a single-state environment goes in the sharded layout."""
    found: dict[State, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for resource in json.loads(state_json).get("resources", []) if state_json.strip() else []:
        match = _TOP_MODULE.match(resource.get("module", ""))
        if match is None or match.group(0) in seen:
            continue
        address = match.group(0)
        seen.add(address)
        name, key = match.group("name"), match.group("key") or ""
        if name in ("vpc_endpoints", "registry_credentials"):
            found.setdefault(State(env_name, BASE), []).append((address, address))
        elif name == "endpoint" and key in repo.endpoints:
            found.setdefault(State(env_name, repo.endpoints[key].group), []).append((address, address))
        elif name == "iam":
            found.setdefault(State(env_name, DEFAULT_GROUP), []).append((address, "module.iam[0]"))
        elif name == "registry_clients":
            found.setdefault(State(env_name, DEFAULT_GROUP), []).append((address, address))
        else:
            raise UsageError(f"fix: remove {address} from the catalog's history by hand — the single state holds it and no state of the new layout has a place for it")
    return found


def migrate_single_state(root: Path, env_name: str) -> dict[State, list[tuple[str, str]]]:
    """Move a single-state environment into its base and group states, then apply them all."""
    prepared = workflow.prepare(root, env_name, None)
    repo, env, states = prepared.repo, prepared.env, prepared.states
    legacy_key = env.settings.backend.key
    with workflow.aws_for(root, env, keep_emulator=True) as aws_env:
        # The single state gets a data dir of its own (build/<env>/_single-state/, a name no group
        # can have): pull and push need only the backend, which both root modules declare alike.
        legacy = TerraformRunner(
            root=root, state=State(env_name, SINGLE_STATE), backend_key=legacy_key, binary=check_toolchain(root), extra_env=aws_env, capture=True
        )
        legacy.init()
        legacy_json = legacy.state_command("pull")
        moves = legacy_destinations(legacy_json, repo, env_name)
        if not moves:
            raise UsageError(f"fix: nothing to migrate — the single state {legacy_key} holds no resources")
        targets: dict[State, tuple[TerraformRunner, str, list[tuple[str, str]]]] = {}
        for state in states:
            if state in moves:
                runner = workflow.runner_for(root, env, state, aws_env, capture=True)
                runner.init()
                targets[state] = (runner, runner.state_command("pull"), moves[state])
        busy = [s.project for s, (_, pulled, _) in targets.items() if _has_managed(pulled)]
        if busy:
            raise UsageError(f"fix: migrate before the first apply of the new states — {', '.join(busy)} already hold resources")
        count = sum(len(m) for m in moves.values())
        workflow.say(f"moving {count} modules from {legacy_key} into {', '.join(s.project for s in targets)}")
        with tempfile.TemporaryDirectory(prefix="sagemaker-gitops-migrate-") as scratch:
            _transfer(Path(scratch), legacy, legacy_json, targets)
    workflow.apply(root, env_name, capture=False)
    return moves


def _has_managed(state_json: str) -> bool:
    return state_json.strip() != "" and any(r.get("mode") == "managed" for r in json.loads(state_json).get("resources", []))
