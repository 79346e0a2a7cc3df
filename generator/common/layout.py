"""Where things live in the repository: every path the generator reads or writes is named here once."""

from __future__ import annotations

from pathlib import Path

CATALOG_DIR = "catalog"
ENVIRONMENTS_DIR = "environments"
ENVIRONMENT_FILE = "environment.yaml"
# catalog/<group>/group.yaml declares an endpoint group; files directly in catalog/ form the default group.
GROUP_FILE = "group.yaml"
DEFAULT_GROUP = "default"
SCHEMA_DIR = "schemas"
ATLANTIS_FILE = "atlantis.yaml"
# The Atlantis server's repo config, generated beside its documentation (the server keeps its own copy).
SERVER_REPO_CONFIG = "docs/atlantis/repos.yaml"
MODULES_DIR = "modules"
ROOT_MODULE_DIR = "terraform"
# The registry-credentials Lambda: its source, and the reproducible zip built from it.
LAMBDA_SOURCE_DIR = Path("modules/registry_credentials/src")
LAMBDA_PACKAGE_PATH = Path("build/lambda/registry_credentials.zip")


def build_dir(root: Path, env: str) -> Path:
    """Plans, Terraform data and the review summary of one environment (never committed)."""
    return root / "build" / env


def prices_file(root: Path, region: str) -> Path:
    """On-demand SageMaker hosting prices of one region, fetched by `capacity --update-prices`."""
    return root / "build" / "prices" / f"{region}.json"


def capacity_file(root: Path, env: str) -> Path:
    """The capacity part of the review of one environment, written by `capacity`."""
    return build_dir(root, env) / "capacity.md"
