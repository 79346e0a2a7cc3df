"""`make bench`: what the glue costs next to bare Terraform and YAML parsing, and how it scales.

Every figure is the median of several runs; each comparison is measured in the same loop, its
two sides alternating, so that load from elsewhere on the machine hits both. `--quick` runs every
code path once on tiny inputs (used by the test suite) and writes its table elsewhere.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench import synthetic, terraform_cases
from bench.measure import CommandFailed, command, compare, peak_rss, quiet, repeat, run
from bench.report import (
    Row,
    Target,
    describe_machine,
    load_average,
    machine_lines,
    table,
    terraform_versions,
)
from generator.cli import main as generator_main
from generator.common.errors import GeneratorError

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "RESULTS.md"
ENVIRONMENTS = ["dev", "staging", "prod"]  # the three hand-written real-account environments
SUMMARY_RESOURCES = 10_000

# Reads and parses every input file as the generator does (libyaml), nothing else: the floor.
PARSE_SCRIPT = """\
import sys
from pathlib import Path
import yaml
root = Path(sys.argv[1])
files = sorted(root.glob("environments/*/environment.yaml")) + sorted(root.glob("catalog/*.yaml")) + sorted(root.glob("catalog/*/*.yaml"))
documents = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in files]
"""
LOAD_JSON_SCRIPT = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"

RENDER_TARGET = Target(max_ratio=3.0)
CHANGE_TARGET = Target(max_ratio=1.5)
STATE_TARGET = Target(max_ratio=1.10)
FULL_TARGET = Target(max_ratio=1.0)
GLUE_TARGET = Target(max_value=0.5)
SUMMARY_TARGET = Target(max_ratio=1.5)


@dataclass(frozen=True)
class Settings:
    render_sizes: tuple[int, ...]
    group_size: int  # endpoints per group folder of the synthetic catalogs
    small_env: int  # section 2: the environment a one-endpoint change is compared with
    large_env: int  # section 2: the large environment (change and full plan)
    state_size: int  # section 2: one state next to its flat configuration
    rss_size: int
    summary_resources: int
    runs: int  # generator and parsing
    big_runs: int  # generator at the largest size
    plan_runs: int  # anything that runs terraform plan
    state_runs: int  # one state next to its flat configuration: a 10% target, about the machine's run-to-run spread
    full_runs: int  # the full plan of the large environment and its flat configuration

    @classmethod
    def full(cls) -> Settings:
        return cls((10, 100, 1000, 5000), 100, 10, 1000, 200, 5000, SUMMARY_RESOURCES, runs=5, big_runs=3, plan_runs=5, state_runs=9, full_runs=3)

    @classmethod
    def quick(cls) -> Settings:
        return cls((5,), 2, 2, 4, 2, 5, 200, runs=1, big_runs=1, plan_runs=1, state_runs=1, full_runs=1)


def _python() -> str:
    return sys.executable


def _cli_env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def _remove_generated(root: Path) -> None:
    for env in ENVIRONMENTS:
        folder = root / "environments" / env
        for name in ("environment.tfvars.json", "backend.hcl"):
            (folder / name).unlink(missing_ok=True)
        for path in (folder / "groups").glob("*.tfvars.json"):
            path.unlink()


def quota_figures(settings: Settings, work: Path) -> list[str]:
    """`validate --quotas` of the largest synthetic catalog, as printed."""
    size = max(settings.render_sizes)
    root = work / f"catalog-{size}"
    result = run([_python(), "-m", "generator", "validate", "--quotas", "--root", str(root)], REPO_ROOT, _cli_env())
    return [f"`python -m generator validate --quotas` of the {size:,}-endpoint catalog (groups of {settings.group_size}, "
            f"{len(ENVIRONMENTS)} environments):", "", "```", *result.stdout.rstrip().splitlines(), "```"]


def render_section(settings: Settings, work: Path) -> list[Row]:
    """1. validate and render --all, in-process and as CLI processes, next to parsing the same files."""
    rows: list[Row] = []
    for size in settings.render_sizes:
        runs = settings.big_runs if size > 1000 else settings.runs
        say(f"   {size:,} endpoints × {len(ENVIRONMENTS)} environments, {runs} runs")
        root = synthetic.make_repository(REPO_ROOT, work / f"catalog-{size}", size, ENVIRONMENTS, settings.group_size)
        rows += _render_rows(root, size, runs, target=RENDER_TARGET if size == max(settings.render_sizes) else None)
    return rows


def _parse_all(files: Sequence[Path]) -> None:
    import yaml

    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def _render_rows(root: Path, size: int, runs: int, target: Target | None) -> list[Row]:
    files = synthetic.input_files(root)
    label = f"{size:,} × {len(ENVIRONMENTS)}"
    parse = partial(_parse_all, files)

    def validate() -> None:
        with quiet():
            generator_main(["validate", "--root", str(root)])

    def render() -> None:
        with quiet():
            generator_main(["render", "--all", "--root", str(root)])

    def fresh() -> None:  # every render starts without generated files, so it writes all of them
        _remove_generated(root)

    floor = "YAML parse of the same files"
    rows = []
    pair = compare(validate, parse, runs)
    rows.append(Row("1", f"`validate`, in-process | {floor}", label, pair.project.median, pair.baseline.median))
    pair = compare(render, parse, runs, setup=fresh)
    rows.append(Row("1", f"`render --all`, in-process | {floor}", label, pair.project.median, pair.baseline.median))

    env, py = _cli_env(), _python()
    validate_cli = command([py, "-m", "generator", "validate", "--root", str(root)], REPO_ROOT, env)
    render_cli = command([py, "-m", "generator", "render", "--all", "--root", str(root)], REPO_ROOT, env)
    floor_cli = command([py, "-c", PARSE_SCRIPT, str(root)], REPO_ROOT, env)
    pair = compare(lambda: (validate_cli(), render_cli()), lambda: (floor_cli(), floor_cli()), runs, setup=fresh)
    what = "`validate` + `render --all`, 2 CLI processes | YAML parse, 2 `python -c` processes"
    rows.append(Row("1", what, label, pair.project.median, pair.baseline.median, target=target))
    return rows


def startup_row(settings: Settings) -> Row:
    """What every CLI row pays before any work: the interpreter and the generator's imports."""
    env, py = _cli_env(), _python()
    generator_help = command([py, "-m", "generator", "--help"], REPO_ROOT, env)
    bare = command([py, "-c", "pass"], REPO_ROOT, env)
    pair = compare(generator_help, bare, settings.runs)
    return Row("1", "CLI start-up: `python -m generator --help` | `python -c pass`", "—", pair.project.median, pair.baseline.median)


def rss_section(settings: Settings, work: Path) -> list[Row]:
    """5. Peak RSS of the generator's processes at the largest catalog."""
    size = settings.rss_size
    root = work / f"catalog-{size}"
    if not root.exists():
        synthetic.make_repository(REPO_ROOT, root, size, ENVIRONMENTS, settings.group_size)
    env, py = _cli_env(), _python()
    _remove_generated(root)
    floor = peak_rss([py, "-c", PARSE_SCRIPT, str(root)], REPO_ROOT, env)
    label = f"{size:,} × {len(ENVIRONMENTS)}"
    rows = []
    for name, argv in (("validate", ["validate"]), ("render --all", ["render", "--all"])):
        rss = peak_rss([py, "-m", "generator", *argv, "--root", str(root)], REPO_ROOT, env)
        rows.append(Row("5", f"peak RSS of `{name}` | `python -c` YAML parse, all documents kept", label, rss, floor, unit="B"))
    imports = peak_rss([py, "-m", "generator", "--help"], REPO_ROOT, env)
    rows.append(Row("5", "… of which the interpreter and the generator's imports (`--help`)", "—", imports, unit="B"))
    return rows


def terraform_section(settings: Settings, work: Path) -> tuple[list[Row], dict | None, tuple[str, str]]:
    """2. and 3.: Terraform against the emulator, each workspace a repository copy with its own."""
    rows: list[Row] = []
    versions = ("unknown", "unknown")
    say("   warm make plan of the sample catalog, the Terraform commands it runs timed by a shim")
    with terraform_cases.workspace(work / "sample", REPO_ROOT) as ws:
        try:
            glue = terraform_cases.make_plan_glue(ws, settings.plan_runs)
        except CommandFailed as exc:
            rows.append(Row("3", "warm `make plan`: glue | Terraform commands it runs", "sample catalog", None, note=_first_error(exc)))
        else:
            label = f"sample catalog, {len(ws.states())} states, {glue.resources} resources"
            rows.append(Row("3", "warm `make plan`: what no Terraform command overlaps | the time Terraform commands run", label,
                            glue.glue.median, glue.terraform.median, target=GLUE_TARGET,
                            note="" if glue.commands else "no Terraform command was seen"))
            rows.append(Row("3", f"… `make plan` wall clock ({len(glue.commands)} Terraform commands: {_command_counts(glue.commands)})", label, glue.total.median))
            versions = terraform_versions(ws.root / "terraform" / "group", ws.runner(ws.states()[-1]).environ())

    real_plan = None
    with terraform_cases.workspace(work / "small", REPO_ROOT) as small, terraform_cases.workspace(work / "large", REPO_ROOT) as large:
        say(f"   {settings.small_env} endpoints: render, apply base and its group")
        small.write_catalog(settings.small_env, settings.group_size)
        _apply(small, ["base", synthetic.group_name(0)])
        schemas = terraform_cases.provider_schemas(large, work)

        n = settings.state_size
        say(f"   one state of {n} endpoints next to its flat configuration, {settings.state_runs} runs")
        large.write_catalog(n, n)
        group = [s for s in large.states() if s.name == synthetic.group_name(0)]
        what = "`terraform plan` of one group state | flat configuration of its resources"
        try:
            result = terraform_cases.modules_vs_flat(large, group, schemas, settings.state_runs, "flat-state")
            rows.append(_flat_row(what, f"{n} endpoints, {result.resources} resources", result, STATE_TARGET))
            real_plan = result.plans[0]
        except (CommandFailed, GeneratorError) as exc:
            rows.append(Row("2", what, f"{n} endpoints", None, note=_first_error(exc)))

        n, g = settings.large_env, settings.group_size
        say(f"   every state of {n} endpoints (groups of {g}) next to one flat configuration, {settings.full_runs} runs")
        large.write_catalog(n, g)
        every = large.states_to_plan()
        what = f"`terraform plan` of every state `make plan` plans, {terraform_cases.default_parallelism()} at once | one flat configuration of all their resources"
        try:
            result = terraform_cases.modules_vs_flat(large, every, schemas, settings.full_runs, "flat-all")
            rows.append(_flat_row(what, f"{n} endpoints, {len(every)} states, {result.resources} resources", result, FULL_TARGET))
            rows.append(Row("2", FULL_CPU, f"{len(every)} states vs 1, {terraform_cases.default_parallelism()} cores",
                            result.cpu.project.median, result.cpu.baseline.median))
        except (CommandFailed, GeneratorError) as exc:
            rows.append(Row("2", what, f"{n} endpoints", None, note=_first_error(exc)))
        rows += _fixed_cost_rows(settings, large)

        rows += _change_rows(settings, small, large)
    return rows, real_plan, versions


FIXED_COST = "… not a target: `terraform plan` of a state with nothing in it, what every state costs before its first resource"
FULL_CPU = "… not a target: CPU time of those plans (Terraform and provider processes, user + system) | of the flat plan"


def _fixed_cost_rows(settings: Settings, ws: terraform_cases.Workspace) -> list[Row]:
    """What one more state costs however small it is: the `default` group, which the synthetic
    catalog leaves empty (no endpoints, empty state), planned alone with the runner's command line."""
    say(f"   the fixed cost of a state: plan of the empty default group, {settings.plan_runs} runs")
    empty = [s for s in ws.states() if s.name == "default"]
    if not empty:
        return []
    runner = ws.runner(empty[0])
    runner.init()
    plan_file = ws.root / "build" / "bench-plans" / "empty.tfplan"
    plan_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        samples = repeat(lambda: runner.plan(plan_file), settings.plan_runs)
    except (CommandFailed, GeneratorError) as exc:
        return [Row("2", FIXED_COST, "the default group, no endpoints", None, note=_first_error(exc))]
    return [Row("2", FIXED_COST, "the default group, no endpoints", samples.median)]


def _apply(ws: terraform_cases.Workspace, state_names: Sequence[str]) -> None:
    for name in state_names:
        ws.generator("apply", "--env", terraform_cases.ENV, "--state", name, "--yes")


def _command_counts(commands: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for name in commands:
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{n}× {name}" for name, n in counts.items())


def _flat_row(what: str, size: str, result: terraform_cases.ModulesVsFlat, target: Target) -> Row:
    note = "" if not result.differences else "plans differ: " + "; ".join(result.differences[:3])
    return Row("2", what, size, result.pair.project.median, result.pair.baseline.median,
               target=None if result.differences else target, note=note)


def _change_rows(settings: Settings, small: terraform_cases.Workspace, large: terraform_cases.Workspace) -> list[Row]:
    """A one-endpoint change in the large environment next to the same change in the small one,
    each planning the states the change autoplans in Atlantis, against applied states."""
    rows: list[Row] = []
    n, g = settings.large_env, settings.group_size
    group = synthetic.group_name(0)
    say(f"   {n} endpoints: apply base and the group {group} of {g} endpoints")
    started = time.monotonic()
    _apply(large, ["base", group])
    rows.append(Row("2", f"… setup, not a target: `generator apply` of base and the group of {g} endpoints (the other groups stay unapplied)",
                    f"{n} endpoints", time.monotonic() - started))
    small_change = terraform_cases.change_one_endpoint(small, group, 0)
    large_change = terraform_cases.change_one_endpoint(large, group, 0)
    what = "one-endpoint change: plan of the projects it autoplans | the same change in the small environment"
    for change in (small_change, large_change):
        if not change.states:
            return [Row("2", what, f"{n} endpoints", None, note=f"the change {change.changed_paths} autoplans no project")]
    say(f"   one-endpoint change, {n} vs {settings.small_env} endpoints: {large_change.projects} vs {small_change.projects}, {settings.plan_runs} runs")
    pair = compare(terraform_cases.plan_states(large, large_change.states), terraform_cases.plan_states(small, small_change.states), settings.plan_runs)
    note = _only_the_change(large, large_change) or _only_the_change(small, small_change)
    size = f"{n} vs {settings.small_env} endpoints, groups of {g}; plans {', '.join(large_change.projects)}"
    rows.append(Row("2", what, size, pair.project.median, pair.baseline.median, target=None if note else CHANGE_TARGET, note=note))

    # The same change with the large environment cut into groups the size of the small one: the
    # small workspace gets the other endpoints as more groups, moved in and out between runs.
    extra = n - settings.small_env
    say(f"   the same change with {extra} more endpoints in groups of {settings.small_env}, {settings.plan_runs} runs")
    # More groups than AWS's default of 60 inbound rules per security group allows: as an
    # organisation with that many teams would, the environment states a raised quota.
    terraform_cases.raise_rule_quota(small, n // settings.small_env + 10)
    parked = small.root / "parked-groups"
    environment = parked / "environments" / terraform_cases.ENV / "environment.yaml"
    environment.parent.mkdir(parents=True)
    shutil.copy2(small.root / "environments" / terraform_cases.ENV / "environment.yaml", environment)
    synthetic.write_catalog(small.source_root, parked, extra, [terraform_cases.ENV], settings.small_env, start=settings.small_env)

    def move(into_catalog: bool) -> None:
        source, target = (parked / "catalog", small.root / "catalog") if into_catalog else (small.root / "catalog", parked / "catalog")
        for folder in sorted(p for p in source.iterdir() if p.is_dir() and p.name != group):
            folder.rename(target / folder.name)
        small.generator("render", "--env", terraform_cases.ENV)

    plan = terraform_cases.plan_states(small, small_change.states)
    pair = compare(lambda: plan(), lambda: plan(), settings.plan_runs, project_setup=lambda: move(True), baseline_setup=lambda: move(False))
    move(False)
    size = f"{n} vs {settings.small_env} endpoints, groups of {settings.small_env}; plans {', '.join(small_change.projects)}"
    rows.append(Row("2", what, size, pair.project.median, pair.baseline.median, target=CHANGE_TARGET))
    return rows


def _only_the_change(ws: terraform_cases.Workspace, change: terraform_cases.Change) -> str:
    """Empty when the plans change exactly the changed endpoint's resources; else what differs."""
    name = change.path.stem
    others = [a for s in change.states for a in terraform_cases.planned_changes(ws, s) if f'module.endpoint["{name}"]' not in a]
    mine = [a for s in change.states for a in terraform_cases.planned_changes(ws, s) if f'module.endpoint["{name}"]' in a]
    if not mine:
        return f"the plan does not change {name}"
    return f"the plan also changes {others[:3]}" if others else ""


def _first_error(exc: Exception) -> str:
    """The first `Error:` line of a failed Terraform command (or its first line)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    return (errors or lines or ["failed"])[0]


def summary_section(settings: Settings, work: Path, real_plan: dict | None) -> list[Row]:
    """4. `generator summary` of a large plan, as a CLI process, next to loading its JSON."""
    label = f"{settings.summary_resources:,} resources"
    what = "`summary` CLI | `python -c` json.load of the same plan"
    if real_plan is None:
        return [Row("4", what, label, None, note="no real plan to build the large plan from")]
    plan_path = work / "large-plan.json"
    plan_path.write_text(json.dumps(synthetic.large_plan(real_plan, settings.summary_resources)), encoding="utf-8")
    env, py = _cli_env(), _python()
    probe = command([py, "-m", "generator", "summary", "--help"], REPO_ROOT, env)
    try:
        probe()
    except CommandFailed:
        return [Row("4", what, label, None, note="`python -m generator summary` does not exist in this checkout")]
    summary_cli = command([py, "-m", "generator", "summary", str(plan_path), "--out", str(work / "summary.md")], REPO_ROOT, env)
    floor = command([py, "-c", LOAD_JSON_SCRIPT, str(plan_path)], REPO_ROOT, env)
    pair = compare(summary_cli, floor, settings.runs)
    label = f"{label} ({plan_path.stat().st_size / 1024 / 1024:.0f} MiB)"
    rows = [Row("4", what, label, pair.project.median, pair.baseline.median, target=SUMMARY_TARGET)]

    # The same work in-process, the plan already parsed: what the summarizer itself costs.
    from generator.review import summary

    text = plan_path.read_text(encoding="utf-8")
    plan = json.loads(text)
    pair = compare(lambda: summary.render(summary.summarize(plan)), lambda: json.loads(text), settings.runs)
    rows.append(Row("4", "… `summarize` + `render`, in-process, plan already parsed | `json.loads` of the plan", label, pair.project.median, pair.baseline.median))
    return rows


def write_results(
    path: Path, rows: Sequence[Row], machine_text: list[str], settings: Settings, elapsed: float, quick: bool, quotas: Sequence[str]
) -> None:
    failed = [r for r in rows if r.passed is False]
    unavailable = [r for r in rows if r.project is None or r.note]
    lines = [
        "# Benchmark results",
        "",
        "Produced by `make bench` (`python -m bench`); do not edit by hand — re-run it." if not quick else "Quick smoke run (`python -m bench --quick`): tiny inputs, one run each; not results.",
        "",
        "## Machine",
        "",
        *machine_text,
        f"- Wall time of this run: {elapsed / 60:.1f} min",
        "",
        "## Results",
        "",
        f"Each figure is the median of {settings.runs} runs ({settings.big_runs} for catalogs over 1,000 endpoints, "
        f"{settings.plan_runs} for anything that runs `terraform plan`, {settings.state_runs} for one state next to its flat configuration, "
        f"whose target of 10% is about this machine's spread between single runs, {settings.full_runs} for the full plan of the largest environment, "
        "each of whose runs takes minutes); project and baseline alternate within the same loop. "
        "The project side is left of `|`, the baseline right of it; the ratio is project / baseline.",
        "",
        table(rows).rstrip("\n"),
        "",
        *_method(),
        "",
        "## Targets missed and what remains",
        "",
    ]
    if not failed:
        lines.append("Every target is met in this run.")
    for row in failed:
        lines.append(f"- **Section {row.section}** — {_fmt_row(row)}. {_explanation(row, rows)}")
    if unavailable:
        lines += ["", "## Not measured in this run", ""]
        lines += [f"- {r.measurement} ({r.size}): {r.note or 'not available'}" for r in unavailable]
    lines += ["", "## Quota figures", "", *quotas]
    lines += ["", *_FINDINGS]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def _fmt_row(row: Row) -> str:
    ratio = f" = {row.ratio:.2f}× the baseline" if row.ratio is not None else ""
    target = row.target.describe(row.unit) if row.target else ""
    return f"{row.measurement.split(' | ')[0]} ({row.size}): {row.project:.3f} s{ratio}, target {target}"


def _explanation(row: Row, rows: Sequence[Row]) -> str:
    """The standing explanation of a missed target, with this run's own figures where they tell more."""
    text = next((why for key, why in _EXPLANATIONS if key in row.measurement and (key != "one-endpoint" or "groups of 100" in row.size or "groups of 2;" in row.size)), "")
    if "every state" in row.measurement:
        fixed = next((r for r in rows if r.measurement == FIXED_COST), None)
        states = re.search(r"(\d+) states", row.size)
        if fixed is not None and fixed.project is not None and states and row.baseline is not None:
            count = int(states.group(1))
            text += (f" In this run one empty state plans in {fixed.project:.1f} s: {count} states spend "
                     f"{count * fixed.project:.0f} s of Terraform runs on that alone, as much as "
                     f"{count * fixed.project / row.baseline:.2f}× the whole flat plan ({row.baseline:.1f} s), before any endpoint is planned.")
        cpu = next((r for r in rows if r.measurement == FULL_CPU), None)
        cores = terraform_cases.default_parallelism()
        if cpu is not None and cpu.project is not None and cpu.baseline is not None and row.baseline is not None:
            text += (f" The CPU row bounds what any schedule could do here: the states' Terraform processes used "
                     f"{cpu.project:.0f} s of CPU, the flat plan's {cpu.baseline:.0f} s, so on {cores} cores the states "
                     f"cannot finish in less than {cpu.project / cores:.0f} s, {cpu.project / cores / row.baseline:.2f}× "
                     "the flat plan's wall time, before the emulator's own CPU is counted.")
    if row.section == "4":
        startup = next((r for r in rows if r.measurement.startswith("CLI start-up")), None)
        inside = next((r for r in rows if r.section == "4" and r.measurement.startswith("…")), None)
        if startup and inside and startup.project is not None and inside.project is not None and inside.baseline is not None:
            text += (f" In this run: start-up and imports {startup.project:.2f} s, parsing the plan {inside.baseline:.2f} s "
                     f"(standard library, in-process), summarising and rendering {inside.project:.2f} s.")
    return text


def _method() -> list[str]:
    return [
        "How each section is measured:",
        "",
        "1. Synthetic catalogs are generated into a temporary directory from the shapes of `catalog/*.yaml` "
        "(renamed, each with its own image digest) in group folders `catalog/g000/`… of 100 endpoints, every "
        "endpoint deployed to dev, staging and prod with the real `environments/*/environment.yaml` files. "
        "*In-process* rows call `validate` / `render --all` through `generator.cli.main` inside the benchmark's "
        "Python process (no interpreter start-up or imports; output discarded) and compare with reading and "
        "parsing the same files with PyYAML's libyaml loader in the same process. Every render starts with no "
        "generated files. *CLI* rows run `python -m generator validate` and `render --all` as two processes, next "
        "to two `python -c` processes that only parse the files; the target is on that row at the largest size.",
        "2. Each case runs in a private copy of the repository with its own seeded emulator (moto), the "
        "synthetic catalog rendered for the `local` environment. *One-endpoint change*: one endpoint's image is "
        "re-pinned and rendered; the changed paths (the catalog file and every generated file whose bytes "
        "changed) go through `generator.render.atlantis.projects_for_changes` with one project per state as "
        "`atlantis.yaml` has for a real-account environment (the emulator environment is a single project), and "
        "each project it returns is planned as Atlantis's workflow does, `python -m generator plan --env local "
        "--state S` (render check, init check, plan, `show -json`, capacity check, review summary), against "
        "states applied on the emulator; the plans are checked to change that endpoint's resources and nothing "
        "else. Base and the changed endpoint's group are applied; the other groups are rendered but not applied, "
        "because the change does not plan them and their state is never read by the plans measured; applying "
        "all of them was tried first and is too slow here: the setup row shows what one group costs (most of it "
        "the per-endpoint rollout wait of `modules/sagemaker_endpoint` and the emulator), ten groups would take "
        "ten times that, longer than the whole benchmark should. The second change row keeps the small environment's group and "
        "adds the other endpoints as groups of the same size, moved in and out of `catalog/` between runs. "
        "*States vs flat*: `terraform plan` of the states with the exact command line of the project's runner, at "
        "most as many at once as there are cores, against empty states (the full plan: the states `make plan` plans, "
        "which leaves out a group with no endpoint and nothing in its state, here the synthetic catalog's empty "
        "`default` group), next to one `terraform plan` of a flat "
        "configuration in one state (its own S3 key on the same emulator). The flat configuration is generated "
        "by `bench/flat_plan.py` from those very plans: one resource block per planned managed resource, its "
        "`planned_values` as literals, what the plan cannot know yet referencing one `terraform_data`, provider "
        "settings from the plan's variables; no modules, variables, locals, `for_each` or data sources. Both "
        "sides are checked to plan the same resources (type and actions, counted). Init is not timed.",
        "3. `make plan` on the sample catalog with the venv, `terraform init` and the emulator already up "
        "(`make local-up`). `terraform` is reached through a shim on `PATH` that logs when each command starts "
        "and ends; the glue is the wall clock of `make plan` minus the time during which at least one Terraform "
        "command ran (states plan side by side, so overlapping commands count once).",
        "4. A 10,000-resource plan is cloned from a group state's real plan JSON of section 2 (mix of no-op, "
        "update, replace, create and delete) and summarised with `python -m generator summary PLAN --out FILE` "
        "as a process, next to a process that only `json.load`s the same file with the standard library.",
        "5. Peak resident memory of one `python -m generator` process, from its own `wait4` rusage, next to a "
        "process that parses and keeps every document.",
    ]


# (words of the measurement, why its target can be missed), first match wins.
_EXPLANATIONS = [
    ("one-endpoint", "The change plans one state in both environments, and that state is the changed endpoint's group: "
     "100 endpoints in the large environment, 10 in the small one. Planning against an applied state refreshes "
     "every resource of the state, so the cost follows the size of the group, not of the environment; the "
     "second change row (groups of 10 in both) shows what the other 990 endpoints add: rendering and checking a "
     "larger catalog, nothing in Terraform. A one-endpoint change in a 1,000-endpoint environment costs what it "
     "costs in an environment made only of its own group."),
    ("one group state", "Per endpoint, the flat file has four resource blocks of literals; the group state has "
     "one instance of `modules/sagemaker_endpoint`, and Terraform evaluates every variable (with its "
     "validations), local and output of every instance as a graph node of its own "
     "([hashicorp/terraform#28170](https://github.com/hashicorp/terraform/issues/28170)). That cost was cut "
     "where it grew: the module takes two object inputs instead of fifteen variables, keeps one output "
     "object, folds the hashed content into the name expressions, and its resources reach each other "
     "through `live_*` locals, because a direct reference between resources of a module called with "
     "`for_each` joins every instance to every instance in the apply graph that each plan builds to check "
     "([#31072](https://github.com/hashicorp/terraform/issues/31072); 4.5 s of a 200-endpoint plan); its "
     "inputs are validated once per state by `terraform/group`, not per instance. What remains per endpoint "
     "is the module's variables, derived names and the rollout wait's `local-exec` provisioner, which the "
     "flat file (planned values only) does not have; the spread between runs on this shared machine is "
     "about ±10%."),
    ("every state", "Each state is its own Terraform process, and a process pays a fixed cost before its first "
     "resource: hashing the 700 MB provider binary to verify it against the lock file (0.6 s, every command), "
     "starting the provider three times and decoding its schema (1.3 s of Terraform's CPU for hashicorp/aws), "
     "reading and locking its state in S3 and writing a plan file; the row *a state with nothing in it* "
     "measures that cost (Terraform's trace log of that plan shows where it goes). Two processes at once do not "
     "halve it on two cores: one Terraform process already uses more than one core (its graph walk runs ten "
     "nodes at once), the flat configuration's too, so both sides do the same work per resource on the same "
     "cores and the states add their fixed costs on top. Fewer, larger groups would pay it fewer times, at the "
     "price of the one-endpoint change row, whose cost follows the size of the changed group."),
    ("no Terraform command overlaps", "What remains is starting Python and importing the generator (pydantic and the catalog models "
     "are most of it), loading and validating the catalog, rendering and packaging before the first plan, then the "
     "review summary and the capacity table after the last `show`; `terraform version`, the account look-ups and the "
     "template compile overlap Terraform or each other."),
    ("`summary` CLI", "The summary process starts Python, imports jinja2 and the summarizer, parses the plan with "
     "orjson, summarises it and renders the markdown; see the in-process row for the summarising part."),
    ("`validate` + `render --all`", "Parsing is libyaml's C parser plus PyYAML's Python constructor. The generator "
     "parses everything once, validates every entry with pydantic, resolves it per environment and writes JSON "
     "for every group of every environment; the CLI rows also pay Python start-up and imports twice."),
]

_FINDINGS = [
    "## What profiling found and fixed",
    "",
    "- Loading was quadratic: the case-insensitive name-clash check scanned every endpoint already loaded "
    "(5,000 endpoints: ~40 s). Now one dictionary lookup.",
    "- `Path.relative_to` for each file's message path cost as much as parsing the file; a string prefix "
    "test does the same for paths under the root.",
    "- Every file's YAML node graph was kept alive for line numbers in messages that are almost never "
    "shown; the loader now keeps the text and composes the nodes again only when a message needs a line.",
    "- A warm `make plan` re-ran `terraform init` every time; the Terraform runner keeps a fingerprint of "
    "what init reads in the data dir and skips init while it matches.",
    "- Every CLI process compiled all pydantic models at import; the models build their validators on first "
    "use (`defer_build`), and each command imports only what it needs (`generator/cli/handlers.py`).",
    "- The review summary parsed plan JSON with the standard library, most of the time of a large summary; "
    "`generator/review/summary.py` `load_plan` now uses orjson (pinned in `pyproject.toml`), with the "
    "standard library's message for a file that is not JSON.",
    "- A group state of 200 endpoints planned in 1.65× its flat configuration. Terraform's debug log showed "
    "4.5 s of that plan spent building the apply graph it checks at the end of a plan: each direct reference "
    "between two resources of `modules/sagemaker_endpoint` (configuration → model, endpoint → configuration, "
    "…) became an edge from every instance to every instance across the 200 module instances. The resources "
    "now pass values through `live_*` locals (one node between them), the module takes two object inputs "
    "instead of fifteen variables and returns one output object (every variable, validation, local and output "
    "is a node per instance), and the hashed content of the model and configuration names is spelled inside "
    "the name expressions. Resource addresses did not change; the table shows the ratio now. "
    "`for_each` over the resources inside one module instance was tried and was slower (every instance's "
    "evaluation costs in proportion to the whole map).",
    "- `make plan` imported the capacity review and the summary (jinja2, orjson) before its first Terraform "
    "command; the thread that waits for Terraform imports them now.",
    "- That thread then delayed the plans it was meant to overlap: importing boto3 holds the interpreter lock "
    "for long stretches, and each short step of the states' threads (checking init, starting Terraform) waited "
    "for it, 0.1-0.2 s in all. It starts once the first plans have. `terraform version` runs while the "
    "workflow imports (the Terraform runner no longer imports pydantic), and the process leaves without "
    "tearing the interpreter down (0.1-0.17 s of freeing objects after the review was written). Glue of a "
    "warm `make plan`: 0.65 s → below 0.4 s on a quiet machine.",
    "- `modules/sagemaker_endpoint` validated its inputs in 20 validation blocks, each a graph node per "
    "endpoint; `terraform/group` validates the same settings once for the whole map (the rules-parity test "
    "holds its verdicts to the catalog models'), about 7% of a 200-endpoint plan.",
    "",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one run each: checks the code paths, not speed")
    parser.add_argument("--out", type=Path, help=f"where to write the results (default {RESULTS.relative_to(REPO_ROOT)}; --quick writes none unless given)")
    parser.add_argument("--skip-terraform", action="store_true", help="leave out sections 2 and 3 (no emulator, no Terraform)")
    args = parser.parse_args(argv)
    settings = Settings.quick() if args.quick else Settings.full()
    out = args.out if args.out else (None if args.quick else RESULTS)

    started = time.monotonic()
    machine = describe_machine()
    work = Path(tempfile.mkdtemp(prefix="sagemaker-gitops-bench-"))
    rows: list[Row] = []
    quotas: list[str] = []
    try:
        say("1. validate and render --all vs YAML parsing")
        rows += render_section(settings, work)
        rows.append(startup_row(settings))
        quotas = quota_figures(settings, work)
        real_plan = None
        if not args.skip_terraform:
            say("2./3. terraform plan on the emulator: make plan's glue, one-endpoint changes, states vs flat configurations")
            tf_rows, real_plan, (tf_version, aws_version) = terraform_section(settings, work)
            machine.versions = {"terraform": tf_version, "hashicorp/aws": aws_version, **machine.versions}
            rows += tf_rows
        say("4. summary of a large plan")
        rows += summary_section(settings, work, real_plan)
        say("5. peak memory")
        rows += rss_section(settings, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine.load_after = load_average()
    rows.sort(key=lambda r: r.section)
    elapsed = time.monotonic() - started
    print(table(rows), end="")
    for row in rows:
        if row.note:
            print(f"note ({row.section}, {row.size}): {row.note}")
    print(f"{elapsed / 60:.1f} min; load average before {machine.load_before}, after {machine.load_after}")
    if out is not None:
        write_results(out, rows, machine_lines(machine), settings, elapsed, args.quick, quotas)
        print(f"wrote {out}")
    return 0


_STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr, with the time since the benchmark started."""
    minutes, seconds = divmod(int(time.monotonic() - _STARTED), 60)
    print(f"==> [{minutes:02d}:{seconds:02d}] {message}", file=sys.stderr, flush=True)
