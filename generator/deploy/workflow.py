"""`make plan` / `make apply` / `make destroy`: render, package, initialise and run Terraform for
every state of one environment (or one state of it).

An environment is a `base` state and one state per endpoint group (`generator.catalog.states`).
Plans of several states run side by side, at most `parallelism` at once (default: the number of
cores), each with its output in build/<env>/<state>/terraform.log; one state alone streams to the
terminal. A whole environment leaves out a group with no endpoint in it and nothing in its state
(`_idle`); a state named on the command line is always planned. Applies go base first, then the
groups; destroys the groups first, then base. The same path serves the embedded emulator and real
AWS; only where the AWS endpoint and credentials come from differs.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from generator.catalog import quotas
from generator.catalog.loader import (
    Environment,
    Repository,
    ResolvedEndpoint,
    load_repository,
    resolve,
)
from generator.catalog.states import BASE, State, find, occupied_groups
from generator.common.background import in_background
from generator.common.errors import GeneratorError, UsageError
from generator.common.files import write_all_atomically, write_atomically
from generator.common.layout import build_dir
from generator.deploy import lambda_package
from generator.deploy.aws_credentials import assume_role, check_credentials
from generator.deploy.terraform import TerraformRunner, check_toolchain, start_toolchain_check
from generator.emulator import launcher as emulator
from generator.render.tfvars import obsolete_files, render_files

if TYPE_CHECKING:
    from generator.deploy.capacity import AccountReader

T = TypeVar("T")
# How long the review's prefetch waits for the first plans to start before it starts anyway.
PREFETCH_WAIT_SECONDS = 5.0
# What a plan leaves in build/<env>/<state>/ (the review of a whole environment: build/<env>/).
PLAN_FILE, PLAN_JSON, REVIEW = "plan.tfplan", "plan.json", "plan.md"
Role = Literal["plan", "apply"]


@dataclass(frozen=True)
class PlanResult:
    state: State
    plan_file: Path | None  # None: not planned, a group with nothing to plan (`_idle`)
    plan_json: Path | None  # None also when only applied: `apply` does not `show -json` its plan
    has_changes: bool

    @property
    def environment(self) -> str:
        return self.state.environment

    @property
    def planned(self) -> bool:
        return self.plan_file is not None


@dataclass(frozen=True)
class EnvironmentPlan:
    environment: str
    states: list[PlanResult]
    review: Path  # build/<env>/plan.md, every state's changes in one summary

    @property
    def has_changes(self) -> bool:
        return any(s.has_changes for s in self.states)


# The generator runs one command per process, so time since import is time since the command began.
_STARTED = time.monotonic()


def say(message: str) -> None:
    """One progress line on stderr; the elapsed time shows which step is slow without a profiler."""
    print(f"==> {message} [{time.monotonic() - _STARTED:.1f}s]", file=sys.stderr, flush=True)


def state_dir(root: Path, state: State) -> Path:
    return build_dir(root, state.environment) / state.name


@dataclass(frozen=True)
class Prepared:
    repo: Repository  # the catalog as validated and rendered
    env: Environment
    states: list[State]  # the chosen ones
    endpoints: dict[str, ResolvedEndpoint]  # every endpoint of the environment, resolved (the capacity review)
    occupied_groups: frozenset[str]  # groups with at least one endpoint in the environment


def prepare(root: Path, env_name: str, state_name: str | None) -> Prepared:
    """Validate, render and package the environment; the states chosen (every state, or the one
    named) and what the plans need to know about the catalog.

    The Terraform toolchain is checked (`terraform version`) in a thread meanwhile: neither waits
    for the other, and a missing tool is reported once the catalog is known to be valid."""
    toolchain = start_toolchain_check(root)
    repo = load_repository(root)
    if env_name not in repo.environments:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(f"fix: use ENV=<one of {known}> — environment {env_name!r} has no environments/{env_name}/environment.yaml")
    chosen = find(repo, env_name, state_name)
    if not chosen:
        known = ", ".join(s.name for s in find(repo, env_name, None))
        raise UsageError(f"fix: use GROUP=<one of {known}> — {state_name!r} is neither base nor a group of the catalog")
    resolved = resolve(repo, [env_name])
    quotas.report(repo, resolved)
    files = render_files(repo, resolved)
    changed = write_all_atomically(files)
    for path in obsolete_files(repo, [env_name], files):
        path.unlink()
        changed.append(path)
    for path in changed:
        say(f"rendered {path.relative_to(root).as_posix()}")
    lambda_package.package(root)
    endpoints = resolved.get(env_name, {})
    toolchain.result()  # raises what check_toolchain found missing
    return Prepared(repo, repo.environments[env_name], chosen, endpoints, occupied_groups(endpoints))


@contextmanager
def aws_for(root: Path, env: Environment, *, keep_emulator: bool = False, role: Role | None = None) -> Iterator[dict[str, str]]:
    """Environment variables pointing Terraform at the environment's AWS for the block's duration:
    on real AWS the loaded credentials, or the environment's plan or apply role assumed with them."""
    if not env.settings.emulator:
        environ: dict[str, str] = {}
        if role is not None:
            say(f"assuming the {role} role of environment {env.name}")
            environ = assume_role(env.name, env.settings, role)
        say(f"checking AWS credentials for account {env.settings.aws.account_id}")
        caller = check_credentials(env.name, env.settings, environ)
        say(f"using {caller}")
        yield environ
        return
    existing = emulator.running(root)
    if existing:
        say(f"using the running AWS emulator at {existing.url}")
        yield existing.environ(env.settings.aws.region)
        return
    say("starting the embedded AWS emulator (moto) on 127.0.0.1")
    started = emulator.start(root)
    try:
        emulator.seed(started, env.settings)
        yield started.environ(env.settings.aws.region)
    finally:
        if keep_emulator:
            say(f"the AWS emulator keeps running at {started.url}; `make local-down` stops it")
        else:
            emulator.stop(root)
            say("stopped the AWS emulator")


def runner_for(root: Path, env: Environment, state: State, aws_env: dict[str, str], *, capture: bool = False, log: Path | None = None) -> TerraformRunner:
    return TerraformRunner(
        root=root,
        state=state,
        backend_key=state.backend_key(env.settings.backend.key),
        binary=check_toolchain(root),
        extra_env=aws_env,
        capture=capture,
        log=log,
    )


def default_parallelism() -> int:
    return max(1, os.cpu_count() or 1)


def _each(root: Path, states: Sequence[State], parallelism: int, work: Callable[[State, Path | None], T]) -> list[T]:
    """Run `work` for every state, at most `parallelism` at once, results in the order given.

    A single state streams Terraform's output to the terminal; several log to their own files.
    Every state runs to its end before the first failure is raised, so one broken group does not
    leave another half-planned.
    """
    if len(states) == 1:
        return [work(states[0], None)]

    def logged(state: State) -> T:
        log = state_dir(root, state) / "terraform.log"
        log.unlink(missing_ok=True)
        try:
            return work(state, log)
        except GeneratorError as exc:
            raise StateFailed(state, log, exc) from exc

    with ThreadPoolExecutor(max_workers=max(1, parallelism), thread_name_prefix="state") as pool:
        futures = [pool.submit(logged, s) for s in states]
        errors = [f.exception() for f in futures]
    failed = [e for e in errors if e is not None]
    if failed:
        raise failed[0]
    return [f.result() for f in futures]


class StateFailed(GeneratorError):
    """Terraform failed for one state while several ran side by side; names its log."""

    def __init__(self, state: State, log: Path, cause: GeneratorError):
        self.exit_code = cause.exit_code
        super().__init__(f"{state.project}: {cause} (Terraform's output: {log})")


def _plan_state(
    root: Path,
    env: Environment,
    state: State,
    aws_env: dict[str, str],
    *,
    destroy: bool,
    capture: bool,
    log: Path | None,
    planning: threading.Semaphore | None = None,
    for_review: bool = True,
) -> PlanResult:
    """Init (when needed), plan and, `for_review`, `show -json` one state; `planning` is released
    as its `terraform plan` starts.

    Without `for_review` (an apply of what it plans) there is no JSON: nothing reads it, and
    `show -json` is a Terraform process of its own that loads the provider schema again (2-3 s
    per state). The state's earlier plan JSON and review are removed with it: they described
    another plan."""
    out = state_dir(root, state)
    out.mkdir(parents=True, exist_ok=True)
    plan_file, plan_json = out / PLAN_FILE, out / PLAN_JSON
    tf = runner_for(root, env, state, aws_env, capture=capture, log=log)
    say(f"terraform init ({state.project})")
    tf.init()
    say(f"terraform plan ({state.project}){' -destroy' if destroy else ''}")
    if planning is not None:
        planning.release()
    if not for_review:
        for name in (PLAN_JSON, REVIEW):
            (out / name).unlink(missing_ok=True)
        return PlanResult(state, plan_file, None, tf.plan(plan_file, destroy=destroy))
    changes = tf.plan(plan_file, destroy=destroy)
    write_atomically(plan_json, tf.show_json(plan_file))
    return PlanResult(state, plan_file, plan_json, changes)


def nothing_to_plan(env: Environment, state: State, aws_env: Mapping[str, str], occupied: frozenset[str]) -> bool:
    """True for a group with no endpoint in the environment (not in `occupied`) and no resource in
    its state; False for base, a group with endpoints, a state that holds resources (emptying a
    group destroys them) or whose state cannot be read."""
    from generator.deploy import remote_state

    if state.kind != "group" or state.name in occupied:
        return False
    return remote_state.holds_resources(env.settings.backend, state.backend_key(env.settings.backend.key), aws_env) is False


def _idle(root: Path, env: Environment, state: State, aws_env: dict[str, str], occupied: frozenset[str]) -> PlanResult | None:
    """The result of a state with nothing to plan: not planned, its earlier plan files removed
    (no review or capacity check reads them). None when the state must be planned."""
    if not nothing_to_plan(env, state, aws_env, occupied):
        return None
    out = state_dir(root, state)
    for name in (PLAN_FILE, PLAN_JSON, REVIEW):
        (out / name).unlink(missing_ok=True)
    say(f"not planned ({state.project}): no endpoint of {env.name} in the group and no resource in its state")
    return PlanResult(state, None, None, False)


def _prefetch_review(
    prepared: Prepared, aws_env: dict[str, str], planning: threading.Semaphore, first_plans: int
) -> AccountReader | None:
    """What the review needs, done while Terraform plans: the review's modules and boto3 are
    imported here, not when the command starts, so a plan's start waits for none of them.
    None when the account reader cannot be made yet: it is made again after the plans, where
    its error is reported.

    It starts once the first `first_plans` states have started `terraform plan` (or after a few
    seconds, should one fail before): importing holds the interpreter's lock for a few hundred
    milliseconds at a time, and a state's thread needs the lock for many short moments (checking
    its init, starting Terraform), each of which would otherwise wait for the import's switch
    interval (measured by `make bench`: the plans started 0.1-0.2 s later)."""
    deadline = time.monotonic() + PREFETCH_WAIT_SECONDS
    for _ in range(first_plans):
        if not planning.acquire(timeout=max(0.0, deadline - time.monotonic())):
            break
    from generator.deploy import capacity as capacity_check
    from generator.review import summary

    summary.prepare()
    try:
        reader = capacity_check.reader_for(prepared.env, aws_env, prepared.endpoints)
    except Exception:  # noqa: BLE001 - botocore's own errors too: made again, and reported, after the plans
        return None
    capacity_check.prefetch(reader)
    return reader


def plan(
    root: Path,
    env_name: str,
    *,
    state: str | None = None,
    destroy: bool = False,
    capture: bool = False,
    parallelism: int | None = None,
    role: Role | None = None,
    out: Path | None = None,
) -> EnvironmentPlan:
    """Plan every state (or `state`); the review of all of them goes to build/<env>/plan.md, of
    one state to build/<env>/<state>/plan.md. `out` gets a copy of the one state's plan file."""
    prepared = prepare(root, env_name, state)
    env, chosen = prepared.env, prepared.states
    if out is not None and len(chosen) != 1:
        raise UsageError("fix: pass --state NAME with --out — a plan file holds the plan of one state")
    with aws_for(root, env, role=role) as aws_env:
        # While Terraform plans, this process only waits: the account's quotas and running
        # endpoints are read (boto3 imported) and the summary's template compiled meanwhile, so
        # the review does not add them after the last plan (measured by `make bench`).
        at_once = parallelism or default_parallelism()
        planning = threading.Semaphore(0)
        first_plans = min(at_once, len(chosen))
        prefetched = in_background("prefetch", lambda: _prefetch_review(prepared, aws_env, planning, first_plans))

        def plan_one(s: State, log: Path | None) -> PlanResult:
            # Only a whole environment leaves out an idle group: a state named on the command
            # line (Atlantis's project) is always planned, and its plan file is what gets applied.
            idle = _idle(root, env, s, aws_env, prepared.occupied_groups) if state is None else None
            if idle is not None:
                planning.release()
                return idle
            return _plan_state(root, env, s, aws_env, destroy=destroy, capture=capture, log=log, planning=planning)

        results = _each(root, chosen, at_once, plan_one)
        planned = [(r.state.project, r.plan_json) for r in results if r.plan_json is not None]
        prefetched_reader = prefetched.result()
        from generator.deploy import capacity as capacity_check  # imported by the prefetch already
        from generator.review import capacity, summary
        # Quotas and running instances are read while the AWS of the plan is at hand.
        say("checking SageMaker capacity against the account's quotas")
        reader = prefetched_reader or capacity_check.reader_for(env, aws_env, prepared.endpoints)
        capacity_report = capacity_check.review(root, env, [path for _, path in planned], reader, prepared.endpoints)
    for shortfall in capacity_report.shortfalls:
        say(f"capacity shortfall: {shortfall.message}")
    if out is not None and results[0].plan_file is not None:
        shutil.copyfile(results[0].plan_file, out)
    review = (build_dir(root, env_name) if state is None else state_dir(root, chosen[0])) / REVIEW
    text = summary.summary_markdown_of_states(
        planned, capacity=capacity.markdown(capacity_report), unplanned=[r.state.project for r in results if not r.planned]
    )
    write_atomically(review, text)
    say(f"plans written to {', '.join(path.relative_to(root).as_posix() for _, path in planned)}; review summary in {review.relative_to(root)}:")
    sys.stdout.write(text)
    sys.stdout.flush()
    return EnvironmentPlan(env_name, results, review)


def apply(
    root: Path,
    env_name: str,
    *,
    state: str | None = None,
    destroy: bool = False,
    capture: bool = False,
    parallelism: int | None = None,
    role: Role | None = None,
    plan_file: Path | None = None,
) -> list[PlanResult]:
    """Plan and apply that exact plan, base first and then the groups (the reverse to destroy).
    With `plan_file`, apply that reviewed plan of one state instead of planning again.
    Locally the emulator keeps running so the state survives."""
    prepared = prepare(root, env_name, state)
    env, chosen = prepared.env, prepared.states
    if plan_file is not None:
        if len(chosen) != 1:
            raise UsageError("fix: pass --state NAME with --plan-file — a plan file holds the plan of one state")
        with aws_for(root, env, keep_emulator=True, role=role) as aws_env:
            tf = runner_for(root, env, chosen[0], aws_env, capture=capture)
            tf.init()
            say(f"terraform apply ({chosen[0].project}) of {plan_file}")
            tf.apply(plan_file)
        return []
    base = [s for s in chosen if s.name == BASE]
    group_states = [s for s in chosen if s.name != BASE]
    waves = [group_states, base] if destroy else [base, group_states]

    def apply_state(s: State, log: Path | None, aws_env: dict[str, str]) -> PlanResult:
        idle = _idle(root, env, s, aws_env, prepared.occupied_groups) if state is None else None
        if idle is not None:
            return idle
        result = _plan_state(root, env, s, aws_env, destroy=destroy, capture=capture, log=log, for_review=False)
        tf = runner_for(root, env, s, aws_env, capture=capture, log=log)
        if result.has_changes and result.plan_file is not None:
            say(f"terraform apply ({s.project})")
            tf.apply(result.plan_file)
        else:
            say(f"no changes to apply ({s.project})")
        return result

    results: list[PlanResult] = []
    # The environment's review summary describes plans that this apply replaces (each state's
    # plan JSON goes with them, `_plan_state`): `make policy-plan` then plans again.
    (build_dir(root, env_name) / REVIEW).unlink(missing_ok=True)
    with aws_for(root, env, keep_emulator=True, role=role) as aws_env:
        for wave in waves:
            if wave:
                results += _each(root, wave, parallelism or default_parallelism(), lambda s, log: apply_state(s, log, aws_env))
    return results
