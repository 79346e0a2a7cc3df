"""`make plan` / `make apply` / `make destroy`: render, package, initialise and run Terraform for one environment.

The same path serves the embedded emulator and real AWS; only where the AWS endpoint and
credentials come from differs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.catalog import quotas
from generator.catalog.loader import Environment, load_repository, resolve
from generator.common.errors import UsageError
from generator.common.files import write_all_atomically, write_atomically
from generator.common.layout import build_dir
from generator.deploy import capacity as capacity_check
from generator.deploy import lambda_package
from generator.deploy.aws_credentials import check_credentials
from generator.deploy.terraform import TerraformRunner, check_toolchain
from generator.emulator import launcher as emulator
from generator.render.tfvars import render_files
from generator.review import capacity, summary


@dataclass(frozen=True)
class PlanResult:
    environment: str
    plan_file: Path
    plan_json: Path
    has_changes: bool


# The generator runs one command per process, so time since import is time since the command began.
_STARTED = time.monotonic()


def say(message: str) -> None:
    """One progress line on stderr; the elapsed time shows which step is slow without a profiler."""
    print(f"==> {message} [{time.monotonic() - _STARTED:.1f}s]", file=sys.stderr, flush=True)


def _prepare(root: Path, env_name: str) -> Environment:
    repo = load_repository(root)
    if env_name not in repo.environments:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(f"fix: use ENV=<one of {known}> — environment {env_name!r} has no environments/{env_name}/environment.yaml")
    resolved = resolve(repo, [env_name])
    quotas.report(repo.environments, resolved)
    changed = write_all_atomically(render_files(repo, resolved))
    for path in changed:
        say(f"rendered {path.relative_to(root).as_posix()}")
    lambda_package.package(root)
    return repo.environments[env_name]


@contextmanager
def aws_for(root: Path, env: Environment, *, keep_emulator: bool = False) -> Iterator[dict[str, str]]:
    """Environment variables pointing Terraform at the environment's AWS for the block's duration."""
    if not env.settings.emulator:
        say(f"checking AWS credentials for account {env.settings.aws.account_id}")
        caller = check_credentials(env.name, env.settings)
        say(f"using {caller}")
        yield {}
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


def runner_for(root: Path, env_name: str, aws_env: dict[str, str], capture: bool = False) -> TerraformRunner:
    return TerraformRunner(root=root, environment=env_name, binary=check_toolchain(root), extra_env=aws_env, capture=capture)


def plan(root: Path, env_name: str, *, destroy: bool = False, capture: bool = False) -> PlanResult:
    env = _prepare(root, env_name)
    out = build_dir(root, env_name)
    out.mkdir(parents=True, exist_ok=True)
    plan_file, plan_json = out / "plan.tfplan", out / "plan.json"
    with aws_for(root, env) as aws_env:
        tf = runner_for(root, env_name, aws_env, capture)
        say(f"terraform init ({env_name})")
        tf.init()
        say(f"terraform plan ({env_name}){' -destroy' if destroy else ''}")
        changes = tf.plan(plan_file, destroy=destroy)
        write_atomically(plan_json, tf.show_json(plan_file))
        # Capacity hook: quotas and running instances are read while the AWS of the plan is at hand.
        say("checking SageMaker capacity against the account's quotas")
        capacity_report = capacity_check.review(root, env, [plan_json], capacity_check.reader_for(env, aws_env))
    for shortfall in capacity_report.shortfalls:
        say(f"capacity shortfall: {shortfall.message}")
    review = summary.summary_markdown(plan_json, capacity=capacity.markdown(capacity_report))
    write_atomically(out / "plan.md", review)
    say(f"plan written to {plan_file.relative_to(root)} and {plan_json.relative_to(root)}; review summary in {(out / 'plan.md').relative_to(root)}:")
    sys.stdout.write(review)
    sys.stdout.flush()
    return PlanResult(env_name, plan_file, plan_json, changes)


def apply(root: Path, env_name: str, *, destroy: bool = False, capture: bool = False) -> PlanResult:
    """Plan and apply that exact plan. Locally the emulator keeps running so the state survives."""
    env = _prepare(root, env_name)
    out = build_dir(root, env_name)
    out.mkdir(parents=True, exist_ok=True)
    plan_file, plan_json = out / "plan.tfplan", out / "plan.json"
    with aws_for(root, env, keep_emulator=True) as aws_env:
        tf = runner_for(root, env_name, aws_env, capture)
        say(f"terraform init ({env_name})")
        tf.init()
        say(f"terraform plan ({env_name}){' -destroy' if destroy else ''}")
        changes = tf.plan(plan_file, destroy=destroy)
        write_atomically(plan_json, tf.show_json(plan_file))
        if changes:
            say(f"terraform apply ({env_name})")
            tf.apply(plan_file)
        else:
            say("no changes to apply")
    return PlanResult(env_name, plan_file, plan_json, changes)
