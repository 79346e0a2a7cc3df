"""The generated atlantis.yaml: shape, determinism, schema, the server-side example, --check."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.catalog.loader import load_repository
from generator.render import atlantis
from tests.helpers import REPO_ROOT, run_generator

SCHEMA = json.loads((REPO_ROOT / "schemas" / "atlantis-repo-config.schema.json").read_text())


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return yaml.safe_load(atlantis.render(REPO_ROOT))


@pytest.fixture
def with_atlantis(repo_copy: Path) -> Path:
    """The repository copy with the committed atlantis.yaml (the copy leaves it out)."""
    shutil.copy2(REPO_ROOT / atlantis.ATLANTIS_FILE, repo_copy / atlantis.ATLANTIS_FILE)
    return repo_copy


def environments(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / "environments").glob("*/environment.yaml"))


def test_atlantis_committed_file_is_current():
    assert (REPO_ROOT / "atlantis.yaml").read_text() == atlantis.render(REPO_ROOT)


def test_atlantis_config_validates_against_the_repo_config_schema(generated):
    jsonschema.validate(generated, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_atlantis_config_is_version_3_with_flags_before_projects_and_workflows(generated):
    assert list(generated) == ["version", "automerge", "parallel_plan", "parallel_apply", "projects", "workflows"]
    assert generated["version"] == 3


def test_atlantis_config_has_one_project_per_environment_folder(generated):
    assert [(p["name"], p["dir"]) for p in generated["projects"]] == [(e, f"environments/{e}") for e in environments(REPO_ROOT)]


def test_atlantis_project_plans_on_catalog_env_folder_modules_and_root_module(generated):
    dev = next(p for p in generated["projects"] if p["name"] == "dev")

    assert dev["autoplan"] == {"enabled": True, "when_modified": ["../../catalog/**", "**", "../../modules/**", "../../terraform/**"]}


def test_atlantis_projects_require_approval_and_mergeable_before_apply(generated):
    assert {tuple(p["apply_requirements"]) for p in generated["projects"]} == {("approved", "mergeable")}


def test_atlantis_emulator_environment_uses_the_emulator_workflow(generated):
    emulated = {name for name, env in load_repository(REPO_ROOT).environments.items() if env.settings.emulator}
    workflows = {p["name"]: p["workflow"] for p in generated["projects"]}

    assert emulated == {"local"}
    assert workflows == {name: "sagemaker-gitops-emulator" if name in emulated else "sagemaker-gitops" for name in workflows}


def commands(stage: dict[str, Any]) -> list[str]:
    return [step["run"]["command"] for step in stage["steps"] if "run" in step]


def test_atlantis_workflow_checks_inits_plans_runs_policy_and_posts_summary_in_order(generated):
    plan = commands(generated["workflows"]["sagemaker-gitops"]["plan"])

    order = ["make check-generated", " init ", " plan ", " show -json ", "make policy", "generator summary"]
    positions = [next(i for i, c in enumerate(plan) if needle in c) for needle in order]
    assert positions == sorted(positions)


def test_atlantis_workflow_inits_with_the_environment_backend_and_data_dir(generated):
    steps = generated["workflows"]["sagemaker-gitops"]["plan"]["steps"]
    env = {s["env"]["name"]: s["env"].get("command", s["env"].get("value")) for s in steps if "env" in s}
    init = next(c for c in commands(generated["workflows"]["sagemaker-gitops"]["plan"]) if " init " in c)

    assert env["TF_DATA_DIR"] == 'echo "$REPO_ROOT/build/$PROJECT_NAME/.terraform"'
    assert '-backend-config="$REPO_ROOT/environments/$PROJECT_NAME/backend.hcl"' in init


def test_atlantis_workflow_plans_with_both_var_files_into_the_atlantis_plan_file(generated):
    plan = next(c for c in commands(generated["workflows"]["sagemaker-gitops"]["plan"]) if " plan " in c)

    assert '-var-file="$REPO_ROOT/environments/$PROJECT_NAME/environment.tfvars.json"' in plan
    assert '-var-file="$REPO_ROOT/environments/$PROJECT_NAME/groups/default.tfvars.json"' in plan
    assert plan.endswith('-out="$PLANFILE"')


def test_atlantis_workflow_calls_only_make_targets_that_exist(generated):
    targets = {line.split(":")[0] for line in (REPO_ROOT / "Makefile").read_text().splitlines() if line and not line[0].isspace() and ":" in line}
    called = [
        target
        for workflow in generated["workflows"].values()
        for stage in workflow.values()
        for command in commands(stage)
        for target in re.findall(r"\bmake ([a-z][a-z0-9-]*)", command)
    ]

    assert called
    assert set(called) <= targets


def test_atlantis_render_is_byte_for_byte_deterministic_without_anchors(repo_copy):
    first, second = atlantis.render(repo_copy), atlantis.render(repo_copy)

    assert first == second
    assert first.endswith("\n")
    assert [e for e in yaml.parse(first) if getattr(e, "anchor", None)] == []


def test_atlantis_server_example_allows_exactly_the_generated_workflows_and_keys(generated):
    server = yaml.safe_load((REPO_ROOT / "docs" / "atlantis" / "repos.yaml").read_text())
    (repo,) = server["repos"]
    used_keys = sorted({key for p in generated["projects"] for key in ("workflow", "apply_requirements") if key in p})

    assert sorted(repo["allowed_workflows"]) == sorted(generated["workflows"])
    assert sorted(repo["allowed_overrides"]) == used_keys
    assert repo["allow_custom_workflows"] is True
    assert repo["apply_requirements"] == atlantis.APPLY_REQUIREMENTS


def test_atlantis_check_passes_on_the_committed_file(with_atlantis):
    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: atlantis.yaml is current ({len(environments(REPO_ROOT))} projects)\n"


def test_atlantis_check_fails_when_an_environment_folder_has_no_project(with_atlantis):
    shutil.copytree(with_atlantis / "environments" / "dev", with_atlantis / "environments" / "qa")

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert result.stderr == (
        "error: fix: run `python -m generator atlantis` and commit atlantis.yaml — it does not match the repository:\n"
        "  environments/qa/ has no project in atlantis.yaml\n"
    )


def test_atlantis_check_fails_when_a_project_has_no_folder(with_atlantis):
    shutil.rmtree(with_atlantis / "environments" / "staging")

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert result.stderr.endswith("  project 'staging' has no folder: environments/staging/environment.yaml does not exist\n")


def test_atlantis_check_fails_when_the_file_is_stale(with_atlantis):
    path = with_atlantis / "atlantis.yaml"
    path.write_text(path.read_text().replace("- approved\n", "", 1))

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert result.stderr.endswith("these generated files are stale:\n  atlantis.yaml\n")


def test_atlantis_check_fails_when_the_file_is_missing(repo_copy):
    result = run_generator("atlantis", "--check", cwd=repo_copy)

    assert result.returncode == 1
    assert result.stderr.endswith("  atlantis.yaml is missing\n")


def test_atlantis_writes_the_file_and_check_then_passes(repo_copy):
    written = run_generator("atlantis", cwd=repo_copy)
    checked = run_generator("atlantis", "--check", cwd=repo_copy)

    assert (written.returncode, written.stderr) == (0, "wrote atlantis.yaml\n")
    assert checked.returncode == 0, checked.stderr
    assert (repo_copy / "atlantis.yaml").read_text() == (REPO_ROOT / "atlantis.yaml").read_text()
