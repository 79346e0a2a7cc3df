"""The generated Atlantis files: atlantis.yaml names one project per Terraform state and a server
workflow, nothing else; the server's repo config holds the workflows and cannot be talked out of
review; --check guards both."""

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
from generator.catalog.states import State
from generator.render import atlantis
from tests.helpers import REPO_ROOT, catalog_yaml, declare_groups, make_repo, run_generator

SCHEMA = json.loads((REPO_ROOT / "schemas" / "atlantis-repo-config.schema.json").read_text())
SERVER = "docs/atlantis/repos.yaml"


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return yaml.safe_load(atlantis.render(REPO_ROOT))


@pytest.fixture(scope="module")
def server() -> dict[str, Any]:
    return yaml.safe_load(atlantis.render_server())


@pytest.fixture
def with_atlantis(repo_copy: Path) -> Path:
    """The repository copy with the committed Atlantis files (the copy leaves them out)."""
    shutil.copy2(REPO_ROOT / atlantis.ATLANTIS_FILE, repo_copy / atlantis.ATLANTIS_FILE)
    (repo_copy / SERVER).parent.mkdir(parents=True)
    shutil.copy2(REPO_ROOT / SERVER, repo_copy / SERVER)
    return repo_copy


def commands(stage: dict[str, Any]) -> list[str]:
    return [step["run"]["command"] for step in stage["steps"] if "run" in step]


def test_atlantis_committed_files_are_current():
    assert (REPO_ROOT / "atlantis.yaml").read_text() == atlantis.render(REPO_ROOT)
    assert (REPO_ROOT / SERVER).read_text() == atlantis.render_server()


def test_atlantis_config_validates_against_the_repo_config_schema(generated):
    jsonschema.validate(generated, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_atlantis_config_names_projects_only_with_parallel_plans_and_applies(generated):
    assert list(generated) == ["version", "automerge", "parallel_plan", "parallel_apply", "projects"]
    assert (generated["version"], generated["parallel_plan"], generated["parallel_apply"]) == (3, True, True)


def test_atlantis_projects_never_set_apply_requirements_or_workflows_of_their_own(generated):
    keys = {k for p in generated["projects"] for k in p}
    assert "apply_requirements" not in keys and "workflows" not in generated
    assert {p["workflow"] for p in generated["projects"]} <= set(atlantis.WORKFLOWS)


def test_atlantis_has_one_project_per_state_of_every_real_environment(generated):
    repo = load_repository(REPO_ROOT)
    names = [p["name"] for p in generated["projects"]]

    assert "prod-base" in names and "prod-default" in names
    assert [n for n in names if n.startswith("prod-")] == ["prod-base", *(f"prod-{g}" for g in ["default", *sorted(g for g in repo.groups if g != "default")])]


def test_atlantis_projects_of_one_environment_share_its_folder_and_differ_by_workspace(generated):
    prod = [p for p in generated["projects"] if p["name"].startswith("prod-")]

    assert {p["dir"] for p in prod} == {"environments/prod"}
    assert [p["workspace"] for p in prod] == [p["name"].removeprefix("prod-") for p in prod]


def test_atlantis_applies_base_before_the_groups(generated):
    base = next(p for p in generated["projects"] if p["name"] == "prod-base")
    group = next(p for p in generated["projects"] if p["name"] == "prod-default")

    assert (base["execution_order_group"], group["execution_order_group"]) == (0, 1)
    assert group["depends_on"] == ["prod-base"] and "depends_on" not in base


def test_a_group_project_plans_only_on_its_own_generated_inputs_and_shared_ones():
    assert atlantis.when_modified(State("prod", "fraud")) == [
        "environment.yaml",
        "environment.tfvars.json",
        "backend.hcl",
        "../../modules/**",
        "../../terraform/shared/**",
        "groups/fraud.tfvars.json",
        "../../terraform/group/**",
    ]


def test_the_base_project_plans_on_no_catalog_or_group_file():
    assert [p for p in atlantis.when_modified(State("prod", "base")) if "catalog" in p or "groups/" in p] == []


def with_roles(root: Path) -> Path:
    """Real environments need their plan and apply roles before Atlantis gets projects for them."""
    for path in (root / "environments").glob("*/environment.yaml"):
        roles = '  plan_role_arn: arn:aws:iam::111111111111:role/plan\n  apply_role_arn: arn:aws:iam::111111111111:role/apply\n'
        path.write_text(path.read_text().replace('  account_id: "111111111111"\n', '  account_id: "111111111111"\n' + roles))
    return root


def test_a_one_endpoint_change_plans_one_project_per_environment_it_is_deployed_to(tmp_path):
    root = with_roles(declare_groups(make_repo(tmp_path, envs=("dev", "prod"), catalog={
        "fraud/scorer": catalog_yaml("scorer", environments="\n  dev: {}\n  prod: {}"),
        "fraud/other": catalog_yaml("other", environments="\n  dev: {}\n  prod: {}"),
        "search/ranker": catalog_yaml("ranker", environments="\n  dev: {}\n  prod: {}"),
    })))
    rendered = yaml.safe_load(atlantis.render(root))
    changed = ["catalog/fraud/scorer.yaml", "environments/dev/groups/fraud.tfvars.json", "environments/prod/groups/fraud.tfvars.json"]

    assert atlantis.projects_for_changes(rendered, changed) == ["dev-fraud", "prod-fraud"]


def test_an_endpoint_deployed_to_one_environment_plans_only_there(tmp_path):
    root = with_roles(declare_groups(make_repo(tmp_path, envs=("dev", "prod"), catalog={"fraud/scorer": catalog_yaml("scorer")})))
    rendered = yaml.safe_load(atlantis.render(root))

    assert atlantis.projects_for_changes(rendered, ["catalog/fraud/scorer.yaml", "environments/dev/groups/fraud.tfvars.json"]) == ["dev-fraud"]


def test_a_module_change_plans_every_state(tmp_path):
    root = with_roles(declare_groups(make_repo(tmp_path, envs=("dev",), catalog={"fraud/scorer": catalog_yaml("scorer")})))
    rendered = yaml.safe_load(atlantis.render(root))

    assert atlantis.projects_for_changes(rendered, ["modules/iam/main.tf"]) == ["dev-base", "dev-default", "dev-fraud"]


def test_atlantis_emulator_environment_is_one_project_on_the_emulator_workflow(generated):
    local = [p for p in generated["projects"] if p["dir"] == "environments/local"]

    assert [(p["name"], p["workflow"]) for p in local] == [("local", "sagemaker-gitops-emulator")]


def test_server_config_requires_approval_mergeable_and_undiverged(server):
    (repo,) = server["repos"]

    assert repo["apply_requirements"] == ["approved", "mergeable", "undiverged"]
    assert repo["allow_custom_workflows"] is False
    assert repo["allowed_overrides"] == ["workflow"]
    assert sorted(repo["allowed_workflows"]) == sorted(server["workflows"])


def test_server_workflow_plans_and_applies_through_the_generator_with_the_environment_roles(server):
    workflow = server["workflows"]["sagemaker-gitops"]
    plan, apply = commands(workflow["plan"]), commands(workflow["apply"])

    assert [c for c in plan if "terraform" in c] == []
    assert any('-m generator plan --env "$SAGEMAKER_GITOPS_ENV" --state "$WORKSPACE" --role plan --out "$PLANFILE"' in c for c in plan)
    assert apply == ['cd "$REPO_ROOT" && .venv/bin/python -m generator apply --env "$SAGEMAKER_GITOPS_ENV" --state "$WORKSPACE" --role apply --plan-file "$PLANFILE" --yes']


def test_server_workflow_checks_generated_files_plans_scans_and_posts_the_summary_in_order(server):
    plan = commands(server["workflows"]["sagemaker-gitops"]["plan"])

    order = ["make check-generated", "generator plan", "make policy", "plan.md"]
    positions = [next(i for i, c in enumerate(plan) if needle in c) for needle in order]
    assert positions == sorted(positions)


def test_server_workflows_call_only_make_targets_that_exist(server):
    targets = {line.split(":")[0] for line in (REPO_ROOT / "Makefile").read_text().splitlines() if line and not line[0].isspace() and ":" in line}
    called = [
        target
        for workflow in server["workflows"].values()
        for stage in workflow.values()
        for command in commands(stage)
        for target in re.findall(r"\bmake ([a-z][a-z0-9-]*)", command)
    ]

    assert called
    assert set(called) <= targets


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ({"allow_custom_workflows": True}, "allow_custom_workflows must be false"),
        ({"allowed_overrides": ["workflow", "apply_requirements"]}, "allowed_overrides may hold only ['workflow'], not ['apply_requirements']"),
        ({"apply_requirements": ["approved", "mergeable"]}, "apply_requirements must include ['undiverged']"),
        ({"allowed_workflows": ["custom"]}, "allowed_workflows must name only workflows defined in this file, not ['custom']"),
    ],
)
def test_review_gaps_names_every_way_a_server_config_would_weaken_review(server, change, gap):
    weakened = {**server, "repos": [{**server["repos"][0], **change}]}

    assert [g for g in atlantis.review_gaps(weakened) if gap in g] != []


def test_the_generated_server_config_has_no_review_gap(server):
    assert atlantis.review_gaps(server) == []


def test_atlantis_render_is_byte_for_byte_deterministic_without_anchors(repo_copy):
    first, second = atlantis.render(repo_copy), atlantis.render(repo_copy)

    assert first == second
    assert first.endswith("\n")
    assert [e for e in yaml.parse(first) if getattr(e, "anchor", None)] == []


def test_atlantis_check_passes_on_the_committed_files(with_atlantis):
    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 0, result.stderr
    projects = len(yaml.safe_load((REPO_ROOT / "atlantis.yaml").read_text())["projects"])
    assert result.stdout == f"ok: atlantis.yaml is current ({projects} projects)\n"


def test_atlantis_check_fails_when_an_environment_folder_has_no_project(with_atlantis):
    shutil.copytree(with_atlantis / "environments" / "dev", with_atlantis / "environments" / "qa")

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert result.stderr == (
        "error: fix: run `python -m generator atlantis` and commit the result — the Atlantis config does not match the repository:\n"
        "  environments/qa/ has no project in atlantis.yaml\n"
    )


def test_atlantis_check_fails_when_the_server_config_was_weakened(with_atlantis):
    path = with_atlantis / SERVER
    path.write_text(path.read_text().replace("allow_custom_workflows: false", "allow_custom_workflows: true"))

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert result.stderr.endswith(f"these generated files are stale:\n  {SERVER}\n")


def test_atlantis_refuses_a_real_environment_without_plan_and_apply_roles(with_atlantis):
    path = with_atlantis / "environments" / "prod" / "environment.yaml"
    path.write_text(re.sub(r"  apply_role_arn: .*\n", "", path.read_text()))

    result = run_generator("atlantis", "--check", cwd=with_atlantis)

    assert result.returncode == 1
    assert "  environments/prod/environment.yaml: aws.apply_role_arn: fix: set it to the environment's deploy role" in result.stderr


def test_atlantis_check_fails_when_the_file_is_missing(repo_copy):
    result = run_generator("atlantis", "--check", cwd=repo_copy)

    assert result.returncode == 1
    assert result.stderr.endswith("  atlantis.yaml is missing\n")


def test_atlantis_writes_both_files_and_check_then_passes(repo_copy):
    written = run_generator("atlantis", cwd=repo_copy)
    checked = run_generator("atlantis", "--check", cwd=repo_copy)

    assert (written.returncode, written.stderr) == (0, f"wrote atlantis.yaml\nwrote {SERVER}\n")
    assert checked.returncode == 0, checked.stderr
    assert (repo_copy / "atlantis.yaml").read_text() == (REPO_ROOT / "atlantis.yaml").read_text()
