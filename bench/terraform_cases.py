"""Benchmarks that run Terraform against the embedded AWS emulator, in a private repository copy.

- `module_vs_flat`: `terraform plan` of the root module next to a flat configuration of the same
  resources, same provider, emulator, backend and init (section 2).
- `make_plan_vs_bare`: `make plan` warm next to the exact `terraform plan` command it runs (section 3).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged

from bench import flat, synthetic
from bench.measure import Pair, Samples, command, compare, quiet, repeat, run
from generator.catalog.loader import load_repository
from generator.deploy import lambda_package
from generator.deploy.terraform import TerraformRunner, build_command, wants_color
from generator.emulator import launcher as emulator
from generator.render.tfvars import render_environments

ENV = "local"  # the environment whose AWS is the emulator


@dataclass
class Workspace:
    """A repository copy with a seeded emulator, and the environment Terraform needs to reach it."""

    root: Path
    aws_env: dict[str, str]

    def tf_env(self, data_dir: Path) -> dict[str, str]:
        env = {**os.environ, **self.aws_env}
        env.update(
            TF_CLI_CONFIG_FILE=str(self.root / "terraform.rc"),
            TF_DATA_DIR=str(data_dir),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
        )
        return {k: v for k, v in env.items() if v != ""}

    @property
    def backend_config(self) -> Path:
        return self.root / "environments" / ENV / "backend.hcl"

    def var_files(self) -> list[Path]:
        folder = self.root / "environments" / ENV
        return [folder / "environment.tfvars.json", folder / "endpoints.tfvars.json"]


@contextmanager
def workspace(target: Path) -> Iterator[Workspace]:
    """Copy the repository to `target`, start and seed its own emulator; always stop it."""
    from tests.helpers import copy_repository

    root = copy_repository(target)
    settings = load_repository(root).environments[ENV].settings
    server = emulator.start(root)
    try:
        emulator.seed(server, settings)
        yield Workspace(root=root, aws_env=server.environ(settings.aws.region))
    finally:
        emulator.stop(root)


def init(ws: Workspace, config_dir: Path, data_dir: Path) -> None:
    """The init the project's runner does (same flags), for any configuration directory."""
    run(
        ["terraform", "init", "-input=false", "-reconfigure", "-no-color", "-lockfile=readonly",
         f"-backend-config={ws.backend_config}"],
        config_dir, ws.tf_env(data_dir),
    )


def plan_argv(ws: Workspace, out: Path, var_files: list[Path]) -> list[str]:
    return ["terraform", "plan", "-input=false", "-no-color", f"-out={out}", *(f"-var-file={f}" for f in var_files)]


def show_json(ws: Workspace, config_dir: Path, data_dir: Path, plan_file: Path) -> dict[str, Any]:
    result = run(["terraform", "show", "-json", str(plan_file)], config_dir, ws.tf_env(data_dir))
    return json.loads(result.stdout)


def render_synthetic(ws: Workspace, source_root: Path, count: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Replace the copy's catalog with `count` synthetic endpoints and render the environment."""
    synthetic.write_catalog(source_root, ws.root, count, [ENV], shape=flat.restrict)
    with quiet():
        render_environments(ws.root, ENV, all_envs=False, check=False)
    lambda_package.package(ws.root)
    environment, endpoints = (json.loads(p.read_text()) for p in ws.var_files())
    return environment, endpoints["endpoints"]


@dataclass(frozen=True)
class ModuleVsFlat:
    count: int
    resources: int
    pair: Pair
    differences: list[str]
    module_plan: dict[str, Any]


def module_vs_flat(ws: Workspace, source_root: Path, count: int, runs: int, warm_up: bool) -> ModuleVsFlat:
    environment, endpoints = render_synthetic(ws, source_root, count)
    flat_dir = ws.root / "flat"
    flat_dir.mkdir(exist_ok=True)
    shutil.copy2(ws.root / "terraform" / ".terraform.lock.hcl", flat_dir / ".terraform.lock.hcl")
    lambda_hash = flat.package_hash(ws.root / lambda_package.PACKAGE_PATH)
    (flat_dir / "main.tf").write_text(flat.configuration(environment, endpoints, lambda_hash), encoding="utf-8")
    run(["terraform", "fmt", "-no-color", "main.tf"], flat_dir, ws.tf_env(ws.root / "build" / "bench-flat"))

    module_dir, module_data = ws.root / "terraform", ws.root / "build" / "bench-module" / ".terraform"
    flat_data = ws.root / "build" / "bench-flat" / ".terraform"
    out = ws.root / "build" / "bench-plans"
    out.mkdir(parents=True, exist_ok=True)
    module_plan, flat_plan = out / f"module-{count}.tfplan", out / f"flat-{count}.tfplan"
    # Both are initialised the same way; init is not part of what is measured.
    init(ws, module_dir, module_data)
    init(ws, flat_dir, flat_data)
    var_files = ws.var_files()
    module_run = command(plan_argv(ws, module_plan, var_files), module_dir, ws.tf_env(module_data))
    flat_run = command(plan_argv(ws, flat_plan, []), flat_dir, ws.tf_env(flat_data))
    if warm_up:  # the first plan after init also loads the provider binary from disk
        module_run()
        flat_run()
    pair = compare(module_run, flat_run, runs)

    module_json = show_json(ws, module_dir, module_data, module_plan)
    flat_json = show_json(ws, flat_dir, flat_data, flat_plan)
    differences = flat.same_resources(module_json, flat_json)
    managed = sum(1 for c in module_json.get("resource_changes", []) if c.get("mode") == "managed")
    return ModuleVsFlat(count, managed, pair, differences, module_json)


@dataclass(frozen=True)
class MakePlanVsBare:
    pair: Pair
    show: Samples  # `terraform show -json` of the plan, which make plan runs to write plan.json
    resources: int


def make_plan_vs_bare(ws: Workspace, runs: int) -> MakePlanVsBare:
    """`make plan` with venv, init and emulator already up, next to the plan command it runs."""
    make_env = {**os.environ, "NO_COLOR": "1"}
    # The copy's .venv is a symlink to the repository's: `-o` keeps make from ever reinstalling
    # it from here (`make bench` itself depends on the venv being current).
    make_plan = command(["make", "--no-print-directory", "-o", ".venv/.installed", "plan", f"ENV={ENV}"], ws.root, make_env)
    make_plan()  # warm: init done, lambda packaged, generated files current

    runner = TerraformRunner(root=ws.root, environment=ENV, binary="terraform", extra_env=ws.aws_env, capture=True)
    plan_file = ws.root / "build" / ENV / "bare.tfplan"
    options: dict[str, object] = {"no_color": IsFlagged} if not wants_color() else {}
    bare_argv = build_command(
        "terraform", "plan", var_file=runner.var_files(), out=str(plan_file), input=False,
        detailed_exitcode=IsFlagged, **options,
    )
    tf_env = {**runner.environ(), "NO_COLOR": "1"}
    bare = command(bare_argv, runner.working_dir, tf_env, ok=(0, 2))
    pair = compare(make_plan, bare, runs)

    show_samples = repeat(lambda: runner.show_json(ws.root / "build" / ENV / "plan.tfplan"), runs)
    plan_json = json.loads((ws.root / "build" / ENV / "plan.json").read_text())
    managed = sum(1 for c in plan_json.get("resource_changes", []) if c.get("mode") == "managed")
    return MakePlanVsBare(pair, show_samples, managed)
