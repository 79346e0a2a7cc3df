"""The pre-commit hooks: a valid config whose every hook runs offline from what the project installs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO_ROOT

CONFIG = REPO_ROOT / ".pre-commit-config.yaml"
PRE_COMMIT = REPO_ROOT / ".venv" / "bin" / "pre-commit"
EXPECTED_HOOKS = {
    "trailing-whitespace", "end-of-file-fixer", "terraform-fmt", "terraform-validate",
    "generator-validate", "generator-render-check", "generator-schema-check", "checkov",
}


def hooks() -> list[dict]:
    config = yaml.safe_load(CONFIG.read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def makefile_targets() -> set[str]:
    text = (REPO_ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?![:=])", text, flags=re.M))


def program_of(entry: str) -> list[str]:
    """The entry's command words without leading `env NAME=value` assignments."""
    words = shlex.split(entry)
    if words[0] == "env":
        words = words[1:]
        while words and "=" in words[0]:
            words = words[1:]
    return words


def test_pre_commit_config_is_valid() -> None:
    result = subprocess.run([str(PRE_COMMIT), "validate-config", str(CONFIG)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_pre_commit_config_has_the_hooks_people_expect() -> None:
    assert EXPECTED_HOOKS <= {hook["id"] for hook in hooks()}


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: h["id"])
def test_pre_commit_hook_runs_a_local_tool_without_downloads(hook: dict) -> None:
    assert hook["language"] == "system", "hooks call installed tools; other languages download environments"
    program, *args = program_of(hook["entry"])
    if program == "make":
        assert args[-1] in makefile_targets()
    elif program.startswith(".venv/"):
        assert (REPO_ROOT / program).is_file(), f"{program} is not installed by `make venv`"
    else:
        assert shutil.which(program), f"{program} is not on PATH"


@pytest.fixture
def git_copy(repo_copy: Path) -> Path:
    """The repository copy as a fresh git clone would be: committed, with the hooks config."""
    shutil.copy(CONFIG, repo_copy / ".pre-commit-config.yaml")
    (repo_copy / ".gitignore").write_text("/.venv\n/build/\n")
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "clone"]):
        subprocess.run(["git", *command], cwd=repo_copy, check=True, capture_output=True)
    return repo_copy


def run_hook(root: Path, hook_id: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files", "--color", "never", hook_id],
        cwd=root, capture_output=True, text=True, env=env, check=False,
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    "hook_id",
    ["trailing-whitespace", "end-of-file-fixer", "check-yaml", "terraform-fmt",
     "generator-validate", "generator-render-check", "generator-schema-check"],
)
def test_pre_commit_hook_passes_on_a_clean_clone(git_copy: Path, hook_id: str) -> None:
    result = run_hook(git_copy, hook_id)
    assert result.returncode == 0, result.stdout


@pytest.mark.integration
def test_pre_commit_render_check_fails_on_a_hand_edited_tfvars(git_copy: Path) -> None:
    tfvars = git_copy / "environments" / "dev" / "groups" / "default.tfvars.json"
    tfvars.write_text(tfvars.read_text().replace('"ml.m5.large"', '"ml.m5.xlarge"'))
    result = run_hook(git_copy, "generator-render-check")
    assert result.returncode == 1
    assert "fix: run `make render` (python -m generator render --all) and commit the result" in result.stdout
    assert "environments/dev/groups/default.tfvars.json" in result.stdout


@pytest.mark.integration
def test_pre_commit_trailing_whitespace_hook_fixes_a_catalog_file(git_copy: Path) -> None:
    catalog = git_copy / "catalog" / "fraud-scorer.yaml"
    catalog.write_text(catalog.read_text().replace("owner: risk-ml@example.com", "owner: risk-ml@example.com   "))
    result = run_hook(git_copy, "trailing-whitespace")
    assert result.returncode == 1
    assert "Fixing catalog/fraud-scorer.yaml" in result.stdout
    assert "risk-ml@example.com   " not in catalog.read_text()


@pytest.mark.integration
def test_pre_commit_terraform_fmt_hook_formats_a_module(git_copy: Path) -> None:
    main_tf = git_copy / "terraform" / "group" / "main.tf"
    original = main_tf.read_text()
    main_tf.write_text(original + '\nlocals {\n    badly_indented = "x"\n}\n')
    result = run_hook(git_copy, "terraform-fmt")
    assert result.returncode == 1
    assert "files were modified by this hook" in result.stdout
    assert '\nlocals {\n  badly_indented = "x"\n}\n' in main_tf.read_text()
