"""`python -m generator capacity --env ENV [--update-prices]`: the capacity review on its own.

Reads the environment's plan JSON (one per Terraform state: build/<env>/plan.json and
build/<env>/<state>/plan.json), compares its peaks with the account's quotas, writes
build/<env>/capacity.md and prints it. Without credentials for a real account it reviews the
plan alone and says so in one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.catalog.loader import Environment, ResolvedEndpoint, load_repository, resolve
from generator.common.errors import UsageError
from generator.common.files import write_atomically
from generator.common.layout import build_dir, capacity_file
from generator.deploy import capacity as capacity_check
from generator.deploy.aws_credentials import CredentialsMissing
from generator.deploy.workflow import PLAN_JSON, aws_for
from generator.review import capacity


def plan_files(root: Path, env_name: str) -> list[Path]:
    """The plan JSON of every state of the environment, the environment-wide one first."""
    out = build_dir(root, env_name)
    found = [out / PLAN_JSON] if (out / PLAN_JSON).is_file() else []
    found += sorted(p for p in out.glob(f"*/{PLAN_JSON}") if p.is_file())
    if not found:
        raise UsageError(f"fix: run `make plan ENV={env_name}` first — there is no plan JSON under {out.relative_to(root).as_posix()}/")
    return found


def _environment(root: Path, env_name: str) -> tuple[Environment, dict[str, ResolvedEndpoint]]:
    """The environment and its resolved endpoints (the catalog is loaded once)."""
    repo = load_repository(root)
    if env_name not in repo.environments:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(f"fix: use --env <one of {known}> — environment {env_name!r} has no environments/{env_name}/environment.yaml")
    return repo.environments[env_name], resolve(repo, [env_name])[env_name]


def update_prices(root: Path, env: Environment, aws_env: dict[str, str]) -> Path:
    import botocore.exceptions as bx

    region = env.settings.aws.region
    try:
        return capacity_check.update_prices(root, region, capacity_check.pricing_client(aws_env))
    except (bx.BotoCoreError, bx.ClientError) as exc:
        raise capacity_check.CapacityError(
            "fix: run it where AWS is reachable, with credentials of any account (Price List data is public) "
            f"— the Price List API answered no prices for {region}: {exc}"
        ) from None


def run(root: Path, env_name: str, *, plans: list[Path] | None = None, with_prices: bool = False) -> capacity.CapacityReport:
    env, endpoints = _environment(root, env_name)
    paths = plans or plan_files(root, env_name)
    if with_prices:
        print(f"prices written to {update_prices(root, env, {}).relative_to(root).as_posix()}", file=sys.stderr)
    try:
        with aws_for(root, env) as aws_env:
            reader = capacity_check.reader_for(env, aws_env, endpoints)
            result = capacity_check.review(root, env, paths, reader, endpoints)
    except CredentialsMissing:
        # No usable credentials for a real account: review the plan alone, and say so once.
        note = f"no usable AWS credentials for account {env.settings.aws.account_id} (a plan-only review)."
        print(f"capacity: quotas not checked — {note}", file=sys.stderr)
        result = capacity_check.review(root, env, paths, None, endpoints, account_note=note)
    warning, section = capacity.markdown(result)
    write_atomically(capacity_file(root, env_name), warning + section)
    return result
