"""`make bench`: what the glue costs next to bare Terraform and YAML parsing, and how it scales.

Every figure is the median of several runs; each comparison is measured in the same loop, its
two sides alternating, so that load from elsewhere on the machine hits both. `--quick` runs every
code path once on tiny inputs (used by the test suite) and writes its table elsewhere.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench import synthetic, terraform_cases
from bench.measure import CommandFailed, command, compare, peak_rss, quiet
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
files = sorted(root.glob("environments/*/environment.yaml")) + sorted(root.glob("catalog/*.yaml"))
documents = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in files]
"""
LOAD_JSON_SCRIPT = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"

RENDER_TARGET_SIZE = 1000
RENDER_TARGET = Target(max_ratio=3.0, max_value=0.5)
MODULE_TARGET = Target(max_ratio=1.10)
MODULE_TARGET_SIZES = (50, 200)
MAKE_PLAN_TARGET = Target(max_ratio=1.3)
SUMMARY_TARGET = Target(max_value=1.0)


@dataclass(frozen=True)
class Settings:
    render_sizes: tuple[int, ...]
    plan_sizes: tuple[int, ...]
    rss_size: int
    summary_resources: int
    runs: int  # generator and parsing
    big_runs: int  # generator at the largest size
    plan_runs: int  # anything that runs terraform plan

    @classmethod
    def full(cls) -> Settings:
        return cls((10, 100, 1000, 5000), (10, 50, 200), 5000, SUMMARY_RESOURCES, runs=5, big_runs=3, plan_runs=3)

    @classmethod
    def quick(cls) -> Settings:
        return cls((5,), (2,), 5, 200, runs=1, big_runs=1, plan_runs=1)


def _python() -> str:
    return sys.executable


def _cli_env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def _remove_generated(root: Path) -> None:
    for env in ENVIRONMENTS:
        for name in ("endpoints.tfvars.json", "environment.tfvars.json", "backend.hcl"):
            (root / "environments" / env / name).unlink(missing_ok=True)


def render_section(settings: Settings, work: Path) -> list[Row]:
    """1. validate and render --all, in-process and as CLI processes, next to parsing the same files."""
    rows: list[Row] = []
    for size in settings.render_sizes:
        runs = settings.big_runs if size > RENDER_TARGET_SIZE else settings.runs
        say(f"   {size:,} endpoints × {len(ENVIRONMENTS)} environments, {runs} runs")
        rows += _render_rows(synthetic.make_repository(REPO_ROOT, work / f"catalog-{size}", size, ENVIRONMENTS), size, runs)
    return rows


def _parse_all(files: Sequence[Path]) -> None:
    import yaml

    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def _render_rows(root: Path, size: int, runs: int) -> list[Row]:
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
    target = RENDER_TARGET if size == RENDER_TARGET_SIZE else None
    rows.append(Row("1", f"`render --all`, in-process | {floor}", label, pair.project.median, pair.baseline.median, target=target))

    env, py = _cli_env(), _python()
    validate_cli = command([py, "-m", "generator", "validate", "--root", str(root)], REPO_ROOT, env)
    render_cli = command([py, "-m", "generator", "render", "--all", "--root", str(root)], REPO_ROOT, env)
    floor_cli = command([py, "-c", PARSE_SCRIPT, str(root)], REPO_ROOT, env)
    pair = compare(lambda: (validate_cli(), render_cli()), lambda: (floor_cli(), floor_cli()), runs, setup=fresh)
    what = "`validate` + `render --all`, 2 CLI processes | YAML parse, 2 `python -c` processes"
    rows.append(Row("1", what, label, pair.project.median, pair.baseline.median))
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
        synthetic.make_repository(REPO_ROOT, root, size, ENVIRONMENTS)
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
    """2. and 3.: Terraform against the emulator in a private repository copy."""
    rows: list[Row] = []
    real_plan = None
    make_plan_what = "`make plan` warm | the `terraform plan` it runs"
    module_what = "`terraform plan`: root module | flat configuration of the same resources"
    with terraform_cases.workspace(work / "repo") as ws:
        say(f"   make plan and the bare terraform plan, {settings.plan_runs} runs")
        try:
            made = terraform_cases.make_plan_vs_bare(ws, settings.plan_runs)
        except CommandFailed as exc:
            rows.append(Row("3", make_plan_what, "real catalog", None, note=_first_error(exc)))
        else:
            label = f"real catalog, {made.resources} resources"
            rows.append(Row("3", make_plan_what, label, made.pair.project.median, made.pair.baseline.median, target=MAKE_PLAN_TARGET))
            rows.append(Row("3", "… of which `terraform show -json` (plan.json for the review summary)", label, made.show.median))

        # After make plan, whose data dir is initialised: it knows the selected provider version.
        versions = terraform_versions(ws.root / "terraform", ws.tf_env(ws.root / "build" / "local" / ".terraform"))
        for index, size in enumerate(settings.plan_sizes):
            say(f"   terraform plan, {size} endpoints: root module and flat configuration, {settings.plan_runs} runs")
            try:
                result = terraform_cases.module_vs_flat(ws, REPO_ROOT, size, settings.plan_runs, warm_up=index == 0)
            except CommandFailed as exc:
                rows.append(Row("2", module_what, f"{size} endpoints", None, note=_first_error(exc)))
                continue
            target = MODULE_TARGET if size in MODULE_TARGET_SIZES else None
            note = "" if not result.differences else "plans differ: " + "; ".join(result.differences[:3])
            rows.append(Row(
                "2", module_what,
                f"{size} endpoints, {result.resources} resources", result.pair.project.median, result.pair.baseline.median,
                target=target if not result.differences else None, note=note,
            ))
            if real_plan is None:
                real_plan = result.module_plan
    return rows, real_plan, versions


def _first_error(exc: CommandFailed) -> str:
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


def write_results(path: Path, rows: Sequence[Row], machine_text: list[str], settings: Settings, elapsed: float, quick: bool) -> None:
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
        f"{settings.plan_runs} for anything that runs `terraform plan`); project and baseline alternate within the same loop. "
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
    for section in sorted({r.section for r in failed}):
        missed = "; ".join(_fmt_row(r) for r in failed if r.section == section)
        lines.append(f"- **Section {section}** — {missed}. {_explanation(section, rows)}")
    if unavailable:
        lines += ["", "## Not measured in this run", ""]
        lines += [f"- {r.measurement} ({r.size}): {r.note or 'not available'}" for r in unavailable]
    lines += ["", *_FINDINGS]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def _fmt_row(row: Row) -> str:
    ratio = f" = {row.ratio:.2f}× the baseline" if row.ratio is not None else ""
    target = row.target.describe(row.unit) if row.target else ""
    return f"{row.measurement.split(' | ')[0]} ({row.size}): {row.project:.3f} s{ratio}, target {target}"


def _explanation(section: str, rows: Sequence[Row]) -> str:
    """The standing explanation of a section, with this run's own figures where they tell more."""
    text = _EXPLANATIONS.get(section, "")
    if section == "3":
        make, show = (next((r for r in rows if r.section == "3" and r.measurement.startswith(p)), None) for p in ("`make plan`", "…"))
        if make and show and make.project is not None and make.baseline is not None and show.project is not None:
            text += (f" In this run `make plan` took {make.project - make.baseline:.1f} s longer than the bare plan, "
                     f"and `terraform show -json` alone took {show.project:.1f} s of that.")
    if section == "4":
        startup = next((r for r in rows if r.measurement.startswith("CLI start-up")), None)
        inside = next((r for r in rows if r.section == "4" and r.measurement.startswith("…")), None)
        if startup and inside and startup.project is not None and inside.project is not None and inside.baseline is not None:
            text += (f" In this run: start-up and imports {startup.project:.2f} s, parsing the plan {inside.baseline:.2f} s "
                     f"(in-process), summarising and rendering {inside.project:.2f} s.")
    return text


def _method() -> list[str]:
    return [
        "How each section is measured:",
        "",
        "1. Synthetic catalogs are generated into a temporary directory from the shapes of `catalog/*.yaml` "
        "(renamed, each with its own image digest), every endpoint deployed to dev, staging and prod with the real "
        "`environments/*/environment.yaml` files. *In-process* rows call `python -m generator validate` / `render --all` through `generator.cli.main` "
        "inside the benchmark's Python process (no interpreter start-up or imports; output discarded) and compare "
        "with reading and parsing the same files with PyYAML's libyaml loader in the same process. Every render "
        "starts with no generated files, so it writes all nine. *CLI* rows run `python -m generator validate` and "
        "`render --all` as two processes, next to two `python -c` processes that only parse the files.",
        "2. In a private copy of the repository with its own seeded emulator (moto), the synthetic catalog is "
        "rendered for the `local` environment and planned (empty state, S3 backend on the emulator) twice: with "
        "the root module, and with a flat configuration the benchmark writes for exactly the same resources "
        "(`bench/flat.py`: literal resources, no modules or variables). Same provider, emulator, backend and "
        "`terraform init` flags; init is not timed. Both plans are checked to create the same resources (type, "
        "action and tags of each) before the row counts.",
        "3. `make plan` in the copy with the venv, `terraform init` and the emulator already up, next to the exact "
        "`terraform plan` command line the project's runner executes (same flags, var files, data dir and "
        "environment). `show -json` of the same plan is then timed on its own to show where the difference goes.",
        "4. A 10,000-resource plan is cloned from the root module's real plan JSON of section 2 (mix of no-op, "
        "update, replace, create and delete) and summarised with `python -m generator summary PLAN --out FILE` "
        "as a process, next to a process that only `json.load`s the same file.",
        "5. Peak resident memory of one `python -m generator` process, from its own `wait4` rusage, next to a "
        "process that parses and keeps every document.",
    ]


_EXPLANATIONS = {
    "1": "Parsing is libyaml's C parser plus PyYAML's Python constructor. `render` parses everything once, "
    "validates every entry with pydantic, resolves it per environment and writes JSON with the standard "
    "library's pure-Python indenting encoder (an exact faster encoder saved only ~35 ms at 1,000 endpoints "
    "and was not worth the risk to byte-identical output). Wall-clock figures also carry the machine's load "
    "(see the load average above).",
    "2": "Terraform builds dependencies between static declarations, not instances "
    "([hashicorp/terraform#31072](https://github.com/hashicorp/terraform/issues/31072)): inside a `for_each` "
    "module, every reference from one resource to another is first connected to that resource in *every* "
    "instance and then discarded as an inter-module-instance dependency. A `TF_LOG=trace` run of the "
    "200-endpoint plan, taken while profiling for this benchmark, logged 823,064 such discarded edges, and the apply-graph check Terraform runs after the plan walk took "
    "as long as the walk itself; per-instance module variables and their validations add more graph nodes "
    "([#28170](https://github.com/hashicorp/terraform/issues/28170)). That work grows with the number of "
    "endpoints times the references inside the module, on top of the per-resource work the flat file also "
    "has. What remains is Terraform's core, not the generator; the project could cut it by fewer references, variables and outputs inside "
    "`modules/sagemaker_endpoint`, by `for_each` resources in the root module instead of one module call per "
    "endpoint, or by splitting a large catalog over several states. None of these is done here: each changes "
    "the modules' structure and state addresses and needs its own change and review.",
    "3": "The warm `make plan` no longer re-runs `terraform init` (it now runs only when a file init reads "
    "has changed). What remains is mostly `terraform show -json`, which loads the provider's schema a second "
    "time to write plan.json for the review summary, plus starting Python, rendering and the summary; see "
    "the breakdown row. For a small catalog `show -json` costs nearly as much as the plan itself, so 1.3× "
    "cannot be reached while `make plan` writes plan.json and plan.md for the review; that is kept.",
    "4": "Most of it is not the summarizer: the process parses the whole plan JSON (the baseline column), "
    "and the CLI imports every subcommand's module before dispatching (see the start-up row); the in-process "
    "row shows what summarising and rendering cost on their own, including re-rendering to fit the "
    "65,535-character comment limit.",
}

_FINDINGS = [
    "## What profiling found and fixed",
    "",
    "- Loading was quadratic: the case-insensitive name-clash check scanned every endpoint already loaded "
    "(5,000 endpoints: ~40 s). Now one dictionary lookup.",
    "- `Path.relative_to` for each file's message path cost as much as parsing the file; a string prefix "
    "test does the same for paths under the root.",
    "- Every file's YAML node graph was kept alive for line numbers in messages that are almost never "
    "shown: several times the memory of the data, and the cyclic garbage collector re-scanned those graphs "
    "(~45% of loading 1,000 files). The loader now keeps the text and composes the nodes again only when a "
    "message needs a line; peak RSS of `render --all` at 5,000 endpoints went from 199 MiB to 142 MiB.",
    "- A warm `make plan` re-ran `terraform init` every time; the Terraform runner now keeps a fingerprint "
    "of what init reads (backend.hcl, terraform.rc, the lock file, every `.tf` file, the binary) in the "
    "data dir and skips init while it matches.",
    "- Every CLI process compiled all pydantic models at import, also for commands that never validate "
    "(summary, atlantis, --help); the models now build their validators on first use (`defer_build`).",
    "",
    "The catalog and YAML changes are in `generator/catalog.py` and `generator/yamlio.py` and leave "
    "outputs, messages and line numbers byte-for-byte unchanged (tests/test_render.py, "
    "tests/test_validate.py); the init fingerprint is in "
    "`generator/terraform.py` (tests/test_terraform_init.py); `defer_build` is in `generator/models.py`.",
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
    try:
        say("1. validate and render --all vs YAML parsing")
        rows += render_section(settings, work)
        rows.append(startup_row(settings))
        real_plan = None
        if not args.skip_terraform:
            say("2./3. terraform plan: make plan vs bare plan, root module vs flat configuration (emulator)")
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
        write_results(out, rows, machine_lines(machine), settings, elapsed, args.quick)
        print(f"wrote {out}")
    return 0


_STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr, with the time since the benchmark started."""
    minutes, seconds = divmod(int(time.monotonic() - _STARTED), 60)
    print(f"==> [{minutes:02d}:{seconds:02d}] {message}", file=sys.stderr, flush=True)
