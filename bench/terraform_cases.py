"""Benchmarks that run Terraform against the embedded AWS emulator, in private repository copies.

- `change_plan`: the plan a one-endpoint change triggers (the Atlantis projects it autoplans,
  from `projects_for_changes`), against an applied environment (section 2).
- `modules_vs_flat`: `terraform plan` of every state of an environment (at most as many at once
  as there are cores) next to one flat configuration of the same resources, generated from those
  plans (`bench.flat_plan`), both against an empty state (section 2).
- `make_plan_glue`: warm `make plan`, and how much of its time no Terraform command runs (section 3).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import flat_plan, synthetic
from bench.measure import Pair, Samples, compare, counting_cpu, repeat, run
from generator.catalog.loader import load_repository, resolve
from generator.catalog.states import State, occupied_groups, states
from generator.deploy import lambda_package
from generator.deploy.terraform import TerraformRunner, base_environ
from generator.deploy.workflow import default_parallelism, nothing_to_plan
from generator.emulator import launcher as emulator
from generator.render import atlantis

ENV = "local"  # the environment whose AWS is the emulator
FLAT_KEY = "bench/flat.tfstate"


@dataclass
class Workspace:
    """A repository copy with its own running, seeded emulator."""

    root: Path
    source_root: Path

    def generator(self, *args: str, ok: Sequence[int] = (0,)) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(self.root), "NO_COLOR": "1"}
        return run([sys.executable, "-m", "generator", *args], self.root, env, ok)

    @property
    def aws_env(self) -> dict[str, str]:
        server = emulator.running(self.root)
        if server is None:
            raise RuntimeError(f"the emulator of {self.root} is not running")
        return server.environ(load_repository(self.root).environments[ENV].settings.aws.region)

    def states(self) -> list[State]:
        return states(load_repository(self.root), ENV)

    def states_to_plan(self) -> list[State]:
        """The states `make plan` of the whole environment plans: every state but a group with
        no endpoint in the environment and nothing in its state (`workflow.nothing_to_plan`)."""
        repo = load_repository(self.root)
        env, occupied, aws_env = repo.environments[ENV], occupied_groups(resolve(repo, [ENV])[ENV]), self.aws_env
        return [s for s in states(repo, ENV) if not nothing_to_plan(env, s, aws_env, occupied)]

    def runner(self, state: State) -> TerraformRunner:
        settings = load_repository(self.root).environments[ENV].settings
        return TerraformRunner(
            root=self.root, state=state, backend_key=state.backend_key(settings.backend.key),
            binary="terraform", extra_env=self.aws_env, capture=True,
        )

    def write_catalog(self, count: int, group_size: int | None) -> None:
        """Replace the catalog with `count` synthetic endpoints and render the environment."""
        synthetic.write_catalog(self.source_root, self.root, count, [ENV], group_size)
        for stale in (self.root / "environments" / ENV / "groups").glob("*.tfvars.json"):
            stale.unlink()
        self.generator("render", "--env", ENV)


def raise_rule_quota(ws: Workspace, quota: int) -> None:
    """Set `network.security_group_rule_quota` (a raised AWS quota) in the environment file:
    `validate` refuses more groups than the default quota of inbound rules allows. It is not
    rendered into any tfvars, so no state sees it."""
    path = ws.root / "environments" / ENV / "environment.yaml"
    text = path.read_text(encoding="utf-8")
    if "\nnetwork:\n" not in text:
        raise RuntimeError(f"{path} has no network: section to raise the quota in")
    path.write_text(text.replace("\nnetwork:\n", f"\nnetwork:\n  security_group_rule_quota: {quota}\n", 1), encoding="utf-8")
    ws.generator("render", "--env", ENV)


@contextmanager
def workspace(target: Path, source_root: Path) -> Iterator[Workspace]:
    """Copy the repository to `target` and start its own emulator; always stop it."""
    from tests.helpers import copy_repository

    ws = Workspace(copy_repository(target), source_root)
    ws.generator("local", "up")
    try:
        yield ws
    finally:
        ws.generator("local", "down", ok=(0, 1, 2))


def in_parallel(actions: Sequence[Callable[[], object]], parallelism: int) -> None:
    """Run the actions, at most `parallelism` at once; the first failure is raised."""
    if len(actions) == 1:
        actions[0]()
        return
    with ThreadPoolExecutor(max_workers=parallelism) as pool:
        for future in [pool.submit(a) for a in actions]:
            future.result()


# --- the plan a one-endpoint change triggers --------------------------------------------------------


@dataclass
class Change:
    """A one-endpoint change applied to a workspace's catalog, and the states it plans."""

    path: Path
    changed_paths: list[str]
    projects: list[str]
    states: list[str]


def change_one_endpoint(ws: Workspace, group: str, index: int) -> Change:
    """Re-pin one endpoint's image (the most common change), render, and find the Atlantis
    projects that change autoplans. The local environment is one project in atlantis.yaml (its
    states share a short-lived emulator), so the projects are those of the same states in a
    real-account environment: one per state, with the same `when_modified`."""
    folder = ws.root / "catalog" / group
    path = sorted(p for p in folder.glob("*.yaml") if p.name != "group.yaml")[index]
    generated = {p: p.read_bytes() for p in (ws.root / "environments").rglob("*") if p.is_file()}
    text = path.read_text(encoding="utf-8")
    name = path.stem
    old_digest = synthetic.digest_of(name)
    if old_digest not in text:
        raise RuntimeError(f"{path} does not hold the digest the benchmark gave it")
    path.write_text(text.replace(old_digest, synthetic.digest_of(f"{name}-v2")), encoding="utf-8")
    ws.generator("render", "--env", ENV)
    after = {p for p in (ws.root / "environments").rglob("*") if p.is_file()}
    changed = [path] + sorted(p for p in after if generated.get(p) != p.read_bytes())
    changed_paths = [p.relative_to(ws.root).as_posix() for p in changed]
    document = {"projects": [atlantis.project(s) for s in ws.states()]}
    projects = atlantis.projects_for_changes(document, changed_paths)
    prefix = f"{ENV}-"
    return Change(path, changed_paths, projects, [p.removeprefix(prefix) for p in projects])


def plan_states(ws: Workspace, state_names: Sequence[str]) -> Callable[[], object]:
    """What Atlantis runs for these projects, at most as many at once as there are cores:
    `python -m generator plan --state S` each (render, init check, plan, show -json, summary)."""
    actions = [(lambda s=s: ws.generator("plan", "--env", ENV, "--state", s)) for s in state_names]
    return lambda: in_parallel(actions, default_parallelism())


def planned_changes(ws: Workspace, state: str) -> list[str]:
    plan = json.loads((ws.root / "build" / ENV / state / "plan.json").read_text())
    return [c["address"] for c in plan["resource_changes"] if c["change"]["actions"] not in (["no-op"], ["read"])]


# --- every state's plan next to one flat configuration ----------------------------------------------


def init_flat(ws: Workspace, flat_dir: Path) -> dict[str, str]:
    """Initialise the flat configuration like a state (same backend bucket, its own key)."""
    # The environment of the project's runner (its Go runtime settings included): the comparison
    # is of layouts, not of how Terraform is started.
    env = {**base_environ(ws.root), **ws.aws_env, "TF_DATA_DIR": str(flat_dir / ".terraform")}
    shutil.copy2(ws.root / "terraform" / "group" / ".terraform.lock.hcl", flat_dir / ".terraform.lock.hcl")
    backend = ws.root / "environments" / ENV / "backend.hcl"
    run(["terraform", "init", "-input=false", "-reconfigure", "-no-color", "-lockfile=readonly",
         f"-backend-config={backend}", f"-backend-config=key={FLAT_KEY}"], flat_dir, env)
    return env


def provider_schemas(ws: Workspace, work: Path) -> dict[str, Any]:
    """The aws provider's resource schemas, from a configuration that only requires it."""
    folder = work / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf.json").write_text(json.dumps({"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.100"}}}}))
    shutil.copy2(ws.root / "terraform" / "group" / ".terraform.lock.hcl", folder / ".terraform.lock.hcl")
    env = {**base_environ(ws.root), "TF_DATA_DIR": str(folder / ".terraform")}
    run(["terraform", "init", "-input=false", "-no-color", "-lockfile=readonly", "-backend=false"], folder, env)
    result = subprocess.run(["terraform", "providers", "schema", "-json"], cwd=folder, env=env, capture_output=True, check=True)
    return flat_plan.resource_schemas(json.loads(result.stdout))


@dataclass(frozen=True)
class ModulesVsFlat:
    resources: int
    pair: Pair
    cpu: Pair  # CPU seconds of the Terraform and provider processes of each run, same sides
    differences: list[str]
    plans: list[dict[str, Any]]


def modules_vs_flat(ws: Workspace, chosen: Sequence[State], schemas: dict[str, Any], runs: int, flat_name: str) -> ModulesVsFlat:
    """`terraform plan` of the chosen states (empty state), at most as many at once as there are
    cores, with the exact command line of the project's runner, next to one `terraform plan` of a
    flat configuration of every resource those plans create. Init is not timed."""
    lambda_package.package(ws.root)  # what `generator plan` does before Terraform runs
    runners = [ws.runner(s) for s in chosen]
    out = ws.root / "build" / "bench-plans"
    out.mkdir(parents=True, exist_ok=True)
    in_parallel([tf.init for tf in runners], default_parallelism())
    plan_files = [out / f"{tf.state.name}.tfplan" for tf in runners]
    module_actions = [(lambda tf=tf, f=f: tf.plan(f)) for tf, f in zip(runners, plan_files, strict=True)]
    modules_cpu: list[float] = []
    modules_run = counting_cpu(lambda: in_parallel(module_actions, default_parallelism()), modules_cpu)
    # The provider binary is in the page cache already (earlier cases ran it), so the first run,
    # whose plans the flat configuration is made from, counts as the first sample.
    first = repeat(modules_run, 1)
    plans = [json.loads(tf.show_json(f)) for tf, f in zip(runners, plan_files, strict=True)]

    flat_dir = ws.root / "build" / flat_name
    if flat_dir.exists():
        shutil.rmtree(flat_dir)
    flat_dir.mkdir(parents=True)
    document = flat_plan.configuration([(tf.state.name, p, str(ws.root / tf.state.root_module)) for p, tf in zip(plans, runners, strict=True)], schemas)
    flat_plan.write(flat_dir / "main.tf.json", document)
    env = init_flat(ws, flat_dir)
    flat_file = flat_dir / "flat.tfplan"
    flat_argv = ["terraform", "plan", "-input=false", "-no-color", "-detailed-exitcode", f"-out={flat_file}"]
    flat_cpu: list[float] = []
    flat_run = counting_cpu(lambda: run(flat_argv, flat_dir, env, ok=(0, 2)), flat_cpu)
    first_flat = repeat(flat_run, 1)
    # The remaining runs alternate, the flat configuration first, so each side goes first as often.
    rest = compare(flat_run, modules_run, runs - 1)
    pair = Pair(Samples(first.seconds + rest.baseline.seconds), Samples(first_flat.seconds + rest.project.seconds))
    flat_json = json.loads(run(["terraform", "show", "-json", str(flat_file)], flat_dir, env).stdout)
    differences = flat_plan.same_resources(plans, flat_json)
    managed = sum(1 for p in plans for c in p.get("resource_changes", []) if c.get("mode") == "managed")
    cpu = Pair(Samples(tuple(modules_cpu)), Samples(tuple(flat_cpu)))
    return ModulesVsFlat(managed, pair, cpu, differences, plans)


# --- warm make plan: the glue around the Terraform commands -----------------------------------------

SHIM = """#!/bin/sh
start=$(date +%s%N)
"{real}" "$@"
status=$?
echo "$start $(date +%s%N) $1" >> "{log}"
exit $status
"""


@dataclass(frozen=True)
class Glue:
    total: Samples  # make plan, wall clock
    terraform: Samples  # time during which at least one Terraform command ran
    commands: list[str]  # the Terraform commands of one run
    resources: int

    @property
    def glue(self) -> Samples:
        return Samples(tuple(t - tf for t, tf in zip(self.total.seconds, self.terraform.seconds, strict=True)))


def _busy(intervals: list[tuple[int, int]]) -> float:
    """Seconds covered by at least one of the (start, end) nanosecond intervals."""
    total, end = 0, None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total / 1e9


def make_plan_glue(ws: Workspace, runs: int) -> Glue:
    """`make plan` with venv, init and emulator already up. Terraform is reached through a shim
    that logs when each command starts and ends; what is left of the wall clock is the glue."""
    real = shutil.which("terraform")
    if real is None:
        raise RuntimeError("terraform is not on PATH")
    shim_dir = ws.root / "build" / "bench-shim"
    shim_dir.mkdir(parents=True, exist_ok=True)
    log = shim_dir / "terraform-times.log"
    shim = shim_dir / "terraform"
    shim.write_text(SHIM.format(real=real, log=log))
    shim.chmod(0o755)
    env = {**os.environ, "NO_COLOR": "1", "PATH": f"{shim_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    # The copy's .venv is a symlink to the repository's: `-o` keeps make from ever reinstalling
    # it from here (`make bench` itself depends on the venv being current).
    argv = ["make", "--no-print-directory", "-o", ".venv/.installed", "plan", f"ENV={ENV}"]
    run(argv, ws.root, env)  # warm: init done with the shim, lambda packaged, generated files current

    def once() -> None:
        log.unlink(missing_ok=True)
        run(argv, ws.root, env)

    totals, busy = [], []
    commands: list[str] = []
    for _ in range(runs):
        total = repeat(once, 1).seconds[0]
        entries = [line.split() for line in log.read_text().splitlines()]
        totals.append(total)
        busy.append(_busy([(int(e[0]), int(e[1])) for e in entries]))
        commands = [e[2] if len(e) > 2 else "?" for e in entries]
    resources = 0
    for state in ws.states():
        plan_json = ws.root / "build" / ENV / state.name / "plan.json"
        if plan_json.is_file():
            resources += sum(1 for c in json.loads(plan_json.read_text()).get("resource_changes", []) if c.get("mode") == "managed")
    return Glue(Samples(tuple(totals)), Samples(tuple(busy)), commands, resources)
