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
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.catalog.loader import load_repository
from generator.catalog.states import State
from generator.common.errors import UsageError
from generator.deploy import workflow


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


def move_endpoint(root: Path, env_name: str, endpoint: str, *, yes: bool = False) -> Move:
    """Move `endpoint` into the state of the group the catalog now puts it in, then apply both."""
    env, states = workflow.prepare(root, env_name, None)
    repo = load_repository(root)
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
        with tempfile.TemporaryDirectory(prefix="sagemaker-gitops-move-") as scratch:
            source_file, target_file = Path(scratch) / "source.tfstate", Path(scratch) / "target.tfstate"
            source_file.write_text(pulled[source])
            if pulled[target].strip():
                target_file.write_text(pulled[target])
            prefix = f'module.endpoint["{endpoint}"]'
            runners[target].state_command("mv", f"-state={source_file}", f"-state-out={target_file}", prefix, prefix)
            # The new home first: should the second push fail, the endpoint is in both states
            # (a plan shows it twice and nothing is destroyed), never in neither.
            runners[target].state_command("push", str(target_file))
            runners[source].state_command("push", str(source_file))
    for state in (target, source):
        workflow.apply(root, env_name, state=state.name, capture=False)
    return Move(endpoint, source, target, moved)
