"""`make new-endpoint`: the scaffolded catalog file validates, renders, and bad requests write nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from generator.catalog.loader import load_repository
from generator.catalog.schema import CATALOG_SCHEMA_COMMENT, catalog_schema
from generator.common.errors import UsageError
from generator.render.scaffold import new_endpoint
from tests.helpers import run_generator

DIGEST = "sha256:" + "5e" * 32
IMAGE = f"registry.ml.example.com/nlp/sentiment@{DIGEST}"


def snapshot(root: Path) -> dict[str, bytes]:
    folders = [root / "catalog", root / "environments"]
    return {p.relative_to(root).as_posix(): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def endpoints_of(root: Path, env: str) -> dict[str, dict]:
    return json.loads((root / "environments" / env / "groups" / "default.tfvars.json").read_text())["endpoints"]


def test_new_endpoint_creates_a_file_that_validate_accepts(repo_copy: Path) -> None:
    result = run_generator("new-endpoint", "--name", "sentiment", "--image", IMAGE, cwd=repo_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "created catalog/sentiment.yaml; next: `make plan` to review it, then open a pull request\n"
    validated = run_generator("validate", cwd=repo_copy)
    assert (validated.returncode, validated.stderr) == (0, "")


def test_new_endpoint_renders_the_environments_it_is_deployed_to(repo_copy: Path) -> None:
    new_endpoint(repo_copy, "sentiment", IMAGE)
    assert endpoints_of(repo_copy, "local")["sentiment"]["image"] == IMAGE
    assert endpoints_of(repo_copy, "dev")["sentiment"]["variants"] == {
        "primary": {"initial_instance_count": 1, "initial_variant_weight": 1.0, "instance_type": "ml.m5.large"}
    }
    assert "sentiment" not in endpoints_of(repo_copy, "prod")
    assert run_generator("render", "--all", "--check", cwd=repo_copy).returncode == 0


def test_new_endpoint_reports_every_file_it_wrote(repo_copy: Path) -> None:
    result = run_generator("new-endpoint", "--name", "sentiment", "--image", IMAGE, cwd=repo_copy)
    assert result.stderr.splitlines() == [
        "wrote catalog/sentiment.yaml",
        "wrote environments/dev/groups/default.tfvars.json",
        "wrote environments/local/groups/default.tfvars.json",
    ]


def test_new_endpoint_defaults_to_the_emulator_environment_and_dev(repo_copy: Path) -> None:
    new_endpoint(repo_copy, "sentiment", IMAGE)
    entry = load_repository(repo_copy).endpoints["sentiment"].entry
    assert list(entry.environments) == ["dev", "local"]


def test_new_endpoint_deploys_to_the_environments_given(repo_copy: Path) -> None:
    result = run_generator("new-endpoint", "--name", "sentiment", "--image", IMAGE, "--envs", "staging, prod", cwd=repo_copy)
    assert result.returncode == 0, result.stderr
    assert list(load_repository(repo_copy).endpoints["sentiment"].entry.environments) == ["prod", "staging"]


def test_new_endpoint_file_names_its_schema_and_satisfies_it(repo_copy: Path) -> None:
    path = new_endpoint(repo_copy, "sentiment", IMAGE, owner="nlp@example.com", description="Review sentiment: \"pos\"/neg")[0]
    text = path.read_text()
    assert text.splitlines()[0] == CATALOG_SCHEMA_COMMENT
    document = yaml.safe_load(text)
    assert list(Draft7Validator(catalog_schema()).iter_errors(document)) == []
    assert (document["owner"], document["description"]) == ("nlp@example.com", "Review sentiment: \"pos\"/neg")


@pytest.mark.parametrize(
    "name,message",
    [
        ("", "fix: pass NAME=<endpoint-name> (make new-endpoint NAME=... IMAGE=...) — NAME is empty"),
        ("bad_name", "fix: use 1-48 letters, digits and hyphens, starting and ending with a letter or digit — 'bad_name' is not a valid endpoint name"),
        ("-leading", "fix: use 1-48 letters, digits and hyphens, starting and ending with a letter or digit — '-leading' is not a valid endpoint name"),
        ("x" * 49, f"fix: use 1-48 letters, digits and hyphens, starting and ending with a letter or digit — '{'x' * 49}' is not a valid endpoint name"),
        ("fraud-scorer", "fix: choose another NAME, or edit catalog/fraud-scorer.yaml — endpoint 'fraud-scorer' already exists"),
        ("Fraud-Scorer", "fix: choose another NAME, or edit catalog/fraud-scorer.yaml — endpoint 'Fraud-Scorer' already exists"),
    ],
    ids=["empty", "underscore", "leading-hyphen", "too-long", "existing", "existing-other-case"],
)
def test_new_endpoint_refuses_a_bad_or_taken_name(repo_copy: Path, name: str, message: str) -> None:
    before = snapshot(repo_copy)
    with pytest.raises(UsageError) as raised:
        new_endpoint(repo_copy, name, IMAGE)
    assert str(raised.value) == message
    assert snapshot(repo_copy) == before


@pytest.mark.parametrize(
    "image,envs,message",
    [
        ("registry.ml.example.com/nlp/sentiment:1.4.2", None,
         "fix: give IMAGE as registry.ml.example.com/nlp/sentiment@sha256:<64 lowercase hex> — the tag ':1.4.2' "
         "cannot be resolved to a digest here (no registry client is available), and a catalog image must be pinned by digest"),
        ("sentiment", None,
         "fix: give IMAGE as <registry-host>/<repository>@sha256:<64 lowercase hex> or <registry-host>/<repository>:<tag> "
         "— 'sentiment' is not an image reference"),
        (f"elsewhere.example.com/nlp/sentiment@{DIGEST}", ["dev", "prod"],
         "fix: push the image to a registry of dev, prod, or add elsewhere.example.com under registries in "
         "environments/dev/environment.yaml — registry host 'elsewhere.example.com' is not known there"),
        (IMAGE, ["qa"],
         "fix: use environments from dev, local, prod, staging, or add environments/<env>/environment.yaml first — unknown: qa"),
    ],
    ids=["tag-without-registry-client", "not-an-image", "unknown-registry", "unknown-environment"],
)
def test_new_endpoint_refuses_an_image_it_cannot_deploy(repo_copy: Path, image: str, envs: list[str] | None, message: str) -> None:
    before = snapshot(repo_copy)
    with pytest.raises(UsageError) as raised:
        new_endpoint(repo_copy, "sentiment", image, envs, resolver=None)
    assert str(raised.value) == message
    assert snapshot(repo_copy) == before


def test_make_new_endpoint_scaffolds_and_renders(repo_copy: Path) -> None:
    # -o: the copy shares the repository's virtualenv; never let make reinstall it from here.
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "new-endpoint", "NAME=sentiment", f"IMAGE={IMAGE}", "ENVS=dev",
         "OWNER=nlp@example.com", "DESCRIPTION=Review sentiment"],
        cwd=repo_copy, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "sentiment" in endpoints_of(repo_copy, "dev")
    assert "sentiment" not in endpoints_of(repo_copy, "local")
    entry = load_repository(repo_copy).endpoints["sentiment"].entry
    assert (entry.owner, entry.description) == ("nlp@example.com", "Review sentiment")
