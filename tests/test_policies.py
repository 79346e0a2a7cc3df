"""The project's checkov policies (policies/checks), run through checkov's own runner.

checkov lives in .venv-checkov (it pins an older boto3 than .venv), so it runs here as a
subprocess with JSON output. Each check has a fixture tests/policies/<CheckClass>.tf whose
blocks are named `*_pass` (must pass), `*_fail_N` (must fail) or `*_unknown` (the check must
give no result); other blocks only support those and get no result either.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

CHECKS_DIR = REPO_ROOT / "policies" / "checks"
FIXTURES_DIR = REPO_ROOT / "tests" / "policies"
PLAN_FIXTURE = REPO_ROOT / "tests" / "policies_plan" / "main.tf"
CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"

# Check id -> the class (and fixture file) that implements it.
CHECKS = {
    "CKV_SMGO_1": "SagemakerModelPrivateImageInVpc",
    "CKV_SMGO_2": "SagemakerModelImagePinnedByDigest",
    "CKV_SMGO_3": "IamDocumentLambdaInvokeNamesFunctions",
    "CKV_SMGO_4": "IamPolicyLambdaInvokeNamesFunctions",
    "CKV_SMGO_5": "SagemakerEndpointConfigurationKmsKey",
    "CKV_SMGO_6": "IamDocumentSecretReadScoped",
    "CKV_SMGO_7": "IamPolicySecretReadScoped",
    "CKV_SMGO_8": "LambdaEndpointPrivateDns",
    "CKV_SMGO_9": "LambdaEndpointPolicyInvokesNamedFunctions",
    "CKV_SMGO_10": "S3EndpointPolicyNamesBuckets",
    "CKV_SMGO_11": "IamPolicyNetworkInterfaceInVpc",
    "CKV_SMGO_12": "EndpointPolicyLimitsPrincipals",
}

BLOCK = re.compile(r'^(?:resource|data) "([a-z0-9_]+)" "([a-z0-9_]+)"', re.MULTILINE)
CHECK_ID = re.compile(r'\bid(?:="|: )(CKV_SMGO_\d+)"?')


def ensure_checkov() -> None:
    """The Makefile owns the install (pinned, idempotent): use its stamp target."""
    subprocess.run(
        ["make", "-s", ".venv-checkov/.installed"], cwd=REPO_ROOT, check=True, capture_output=True
    )


def run_checkov(*args: str, cwd: Path) -> dict:
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "--external-checks-dir",
            str(CHECKS_DIR),
            "-o",
            "json",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    return report[0] if isinstance(report, list) else report


def results_by_check(report: dict) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(check id, fixture file name) -> {"passed": addresses, "failed": addresses}."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for outcome in ("passed", "failed"):
        for result in report["results"][f"{outcome}_checks"]:
            key = (result["check_id"], Path(result["file_path"]).name)
            found.setdefault(key, {"passed": set(), "failed": set()})[outcome].add(
                result["resource"]
            )
    return found


def expected_outcomes(fixture: Path) -> dict[str, set[str]]:
    """What the fixture's block names promise: `x_pass` passes, `x_fail_N` fails."""
    blocks = [f"{kind}.{name}" for kind, name in BLOCK.findall(fixture.read_text())]
    return {
        "passed": {b for b in blocks if b.endswith("_pass")},
        "failed": {b for b in blocks if re.search(r"_fail_\d+$", b)},
    }


@pytest.fixture(scope="module")
def fixture_results() -> dict[tuple[str, str], dict[str, set[str]]]:
    ensure_checkov()
    report = run_checkov("-d", str(FIXTURES_DIR), "--framework", "terraform", cwd=REPO_ROOT)
    return results_by_check(report)


def test_policies_every_check_has_an_id_a_fixture_and_a_guideline() -> None:
    defined = {}
    for source in sorted([*CHECKS_DIR.glob("*.py"), *CHECKS_DIR.glob("*.yaml")]):
        text = source.read_text()
        for check_id in CHECK_ID.findall(text):
            defined[check_id] = source.stem
            assert "guideline" in text, f"{source.name} has no guideline"
    assert defined == CHECKS
    assert sorted(p.stem for p in FIXTURES_DIR.glob("*.tf")) == sorted(CHECKS.values())


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_policy_check_passes_and_fails_exactly_its_fixture_blocks(
    check_id: str, fixture_results: dict[tuple[str, str], dict[str, set[str]]]
) -> None:
    fixture = FIXTURES_DIR / f"{CHECKS[check_id]}.tf"
    expected = expected_outcomes(fixture)
    assert expected["passed"] and expected["failed"], (
        f"{fixture.name} needs a *_pass and a *_fail_N block"
    )
    actual = fixture_results.get((check_id, fixture.name), {"passed": set(), "failed": set()})
    assert actual == expected


# What each check decides on tests/policies_plan/main.tf, where the values come from variables
# (resolved only in the plan) and some policy documents are read only at apply time.
PLAN_EXPECTATIONS = {
    "CKV_SMGO_1": {
        "passed": {"aws_sagemaker_model.ecr_image", "aws_sagemaker_model.tagged_private_image"},
        "failed": {"aws_sagemaker_model.private_image_platform_access"},
    },
    "CKV_SMGO_2": {
        "passed": {
            "aws_sagemaker_model.ecr_image",
            "aws_sagemaker_model.private_image_platform_access",
        },
        "failed": {"aws_sagemaker_model.tagged_private_image"},
    },
    "CKV_SMGO_3": {
        "passed": {
            "data.aws_iam_policy_document.invoke_planned_function",
            "data.aws_iam_policy_document.read_planned_secret",
            "data.aws_iam_policy_document.read_planned_and_another_secret",
        },
        "failed": {"data.aws_iam_policy_document.invoke_planned_and_any_function"},
    },
    "CKV_SMGO_4": {
        "passed": {
            "aws_iam_policy.invoke_listed_functions",
            "aws_iam_policy.read_variable_secret",
            "aws_iam_policy.read_secret_prefix",
        },
        "failed": {"aws_iam_policy.invoke_variable_wildcard"},
    },
    "CKV_SMGO_5": {
        "passed": {"aws_sagemaker_endpoint_configuration.environment_kms_key"},
        "failed": {"aws_sagemaker_endpoint_configuration.variable_kms_key"},
    },
    "CKV_SMGO_6": {
        "passed": {
            "data.aws_iam_policy_document.invoke_planned_function",
            "data.aws_iam_policy_document.invoke_planned_and_any_function",
            "data.aws_iam_policy_document.read_planned_secret",
        },
        "failed": {"data.aws_iam_policy_document.read_planned_and_another_secret"},
    },
    "CKV_SMGO_7": {
        "passed": {
            "aws_iam_policy.invoke_listed_functions",
            "aws_iam_policy.invoke_variable_wildcard",
            "aws_iam_policy.read_variable_secret",
        },
        "failed": {"aws_iam_policy.read_secret_prefix"},
    },
    "CKV_SMGO_8": {
        "passed": {"aws_vpc_endpoint.lambda_mapped_by_route53"},
        "failed": {"aws_vpc_endpoint.lambda_unmapped"},
    },
}


@pytest.fixture(scope="module")
def plan_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, set[str]]]:
    """checkov on the JSON plan of tests/policies_plan, planned offline against the provider mirror."""
    ensure_checkov()
    work = tmp_path_factory.mktemp("policies_plan")
    shutil.copy(PLAN_FIXTURE, work / "main.tf")  # init writes a lock file beside the configuration
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(REPO_ROOT / "terraform.rc"),
        "TF_DATA_DIR": str(work / ".terraform"),
        "TF_IN_AUTOMATION": "1",
        # The provider wants credentials even when nothing calls AWS; these open nothing.
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for command in (
        ["init", "-input=false"],
        ["plan", "-input=false", "-refresh=false", "-out=plan.tfplan"],
    ):
        subprocess.run(
            ["terraform", *command, "-no-color"], cwd=work, env=env, check=True, capture_output=True
        )
    shown = subprocess.run(
        ["terraform", "show", "-json", "plan.tfplan"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    (work / "plan.json").write_text(shown.stdout)
    report = run_checkov("-f", "plan.json", "--framework", "terraform_plan", cwd=work)
    found: dict[str, dict[str, set[str]]] = {}
    for (check_id, _), outcomes in results_by_check(report).items():
        found.setdefault(check_id, {"passed": set(), "failed": set()})
        for outcome, addresses in outcomes.items():
            found[check_id][outcome] |= addresses
    return found


@pytest.mark.integration
@pytest.mark.parametrize("check_id", sorted(PLAN_EXPECTATIONS))
def test_policy_check_judges_the_resolved_values_of_a_plan(
    check_id: str, plan_results: dict[str, dict[str, set[str]]]
) -> None:
    assert plan_results.get(check_id) == PLAN_EXPECTATIONS[check_id]


@pytest.fixture
def repo_with_policies(repo_copy: Path) -> Path:
    """A repository copy that can run the Makefile's checkov targets (sharing .venv-checkov)."""
    ensure_checkov()
    shutil.copytree(
        REPO_ROOT / "policies", repo_copy / "policies", ignore=shutil.ignore_patterns("__pycache__")
    )
    (repo_copy / ".venv-checkov").symlink_to(REPO_ROOT / ".venv-checkov")
    return repo_copy


@pytest.mark.integration
def test_make_policy_static_fails_with_a_report_when_a_module_breaks_the_rules(
    repo_with_policies: Path,
) -> None:
    # Every fixture, failing blocks included, dropped into a module as a careless change would be.
    violations = repo_with_policies / "modules" / "sagemaker_endpoint"
    for check_id, name in CHECKS.items():
        shutil.copy(FIXTURES_DIR / f"{name}.tf", violations / f"violation_{check_id.lower()}.tf")

    completed = subprocess.run(
        ["make", "policy-static"],
        cwd=repo_with_policies,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode != 0
    for check_id in CHECKS:
        assert f"Check: {check_id}: " in completed.stdout, f"{check_id} missing from the report"
    assert "FAILED for resource: aws_sagemaker_model.tag_fail_1" in completed.stdout
    assert "Guide: policies/README.md#ckv_smgo_2" in completed.stdout
