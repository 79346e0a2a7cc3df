"""The project's checkov policies (policies/checks), run through checkov's own runner.

checkov lives in .venv-checkov (it pins an older boto3 than .venv), so it runs here as a
subprocess with JSON output. Each check has a fixture tests/policies/<CheckClass>.tf whose
blocks are named `*_pass` (must pass), `*_fail_N` (must fail) or `*_unknown` (the check must
give no result); other blocks are helpers the check does not judge.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CHECKS_DIR = REPO_ROOT / "policies" / "checks"
FIXTURES_DIR = REPO_ROOT / "tests" / "policies"
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
}

BLOCK = re.compile(r'^(?:resource|data) "([a-z0-9_]+)" "([a-z0-9_]+)"', re.MULTILINE)
CHECK_ID = re.compile(r'\bid(?:="|: )(CKV_SMGO_\d+)"?')


def ensure_checkov() -> None:
    """The Makefile owns the install (pinned, idempotent): use its stamp target."""
    subprocess.run(["make", "-s", ".venv-checkov/.installed"], cwd=REPO_ROOT, check=True, capture_output=True)


def run_checkov(*args: str, cwd: Path) -> dict:
    completed = subprocess.run(
        [str(CHECKOV), "--skip-download", "--external-checks-dir", str(CHECKS_DIR), "-o", "json", *args],
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
            found.setdefault(key, {"passed": set(), "failed": set()})[outcome].add(result["resource"])
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
    assert expected["passed"] and expected["failed"], f"{fixture.name} needs a *_pass and a *_fail_N block"
    actual = fixture_results.get((check_id, fixture.name), {"passed": set(), "failed": set()})
    assert actual == expected


@pytest.fixture
def repo_with_policies(repo_copy: Path) -> Iterator[Path]:
    """A repository copy that can run the Makefile's checkov targets (sharing .venv-checkov)."""
    ensure_checkov()
    shutil.copytree(REPO_ROOT / "policies", repo_copy / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    (repo_copy / ".venv-checkov").symlink_to(REPO_ROOT / ".venv-checkov")
    yield repo_copy


def test_make_policy_static_passes_on_the_repository(repo_with_policies: Path) -> None:
    completed = subprocess.run(["make", "policy-static"], cwd=repo_with_policies, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert "Failed checks: 0" in completed.stdout


def test_make_policy_static_fails_with_a_report_when_a_module_breaks_the_rules(repo_with_policies: Path) -> None:
    # Every fixture's failing blocks, dropped into a module as a careless change would be.
    violations = repo_with_policies / "modules" / "sagemaker_endpoint"
    for check_id, name in CHECKS.items():
        shutil.copy(FIXTURES_DIR / f"{name}.tf", violations / f"violation_{check_id.lower()}.tf")

    completed = subprocess.run(["make", "policy-static"], cwd=repo_with_policies, capture_output=True, text=True, check=False)

    assert completed.returncode != 0
    for check_id in CHECKS:
        assert f"Check: {check_id}: " in completed.stdout, f"{check_id} missing from the report"
    assert 'FAILED for resource: aws_sagemaker_model.tag_fail_1' in completed.stdout
    assert "Guide: policies/README.md#ckv_smgo_2" in completed.stdout
