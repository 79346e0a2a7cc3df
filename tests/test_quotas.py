"""Every endpoint adds an inbound rule to its registry's security group (and, with credentials,
to the Lambda endpoint's): the generator warns before an apply would hit the account's quota."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import catalog_yaml, make_repo, tree

ENV_FILE = "environments/dev/environment.yaml"


def _repo_with(tmp_path: Path, endpoints: int, quota: int | None) -> Path:
    root = make_repo(tmp_path, catalog={f"demo-{i}": catalog_yaml(f"demo-{i}") for i in range(endpoints)})
    if quota is not None:
        path = root / ENV_FILE
        path.write_text(path.read_text().replace("network:\n", f"network:\n  security_group_rule_quota: {quota}\n"))
    return root


def test_validate_warns_when_a_registry_group_would_exceed_the_rule_quota(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo_with(tmp_path, endpoints=3, quota=2)

    assert main(["validate", "--root", str(root)]) == 0

    err = capsys.readouterr().err
    assert (
        f"warning: {ENV_FILE}:13: registries.main.security_group_id: fix: request a quota increase for inbound rules "
        "per security group and set network.security_group_rule_quota, or spread the endpoints over more registries "
        "— 3 endpoints each add an inbound rule to sg-0a1b2c3d4e5f60101, above the quota of 2, so the apply would fail"
    ) in err.splitlines()


def test_endpoints_with_credentials_also_count_against_the_lambda_endpoint_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo_with(tmp_path, endpoints=3, quota=2)

    main(["validate", "--root", str(root)])

    assert "3 endpoints each add an inbound rule to the Lambda interface endpoint's security group" in capsys.readouterr().err


def test_no_warning_at_the_default_quota_of_sixty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo_with(tmp_path, endpoints=60, quota=None)

    assert main(["validate", "--root", str(root)]) == 0

    assert "warning" not in capsys.readouterr().err


def test_the_sixty_first_endpoint_warns_at_the_default_quota(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo_with(tmp_path, endpoints=61, quota=None)

    main(["validate", "--root", str(root)])

    assert "61 endpoints each add an inbound rule to sg-0a1b2c3d4e5f60101, above the quota of 60" in capsys.readouterr().err


def test_render_warns_and_still_writes_the_tfvars(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo_with(tmp_path, endpoints=2, quota=1)

    assert main(["render", "--root", str(root), "--env", "dev"]) == 0

    assert "above the quota of 1" in capsys.readouterr().err
    assert "environments/dev/groups/default.tfvars.json" in tree(root)


def test_the_quota_is_not_passed_to_terraform(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, endpoints=1, quota=500)

    assert main(["render", "--root", str(root), "--env", "dev"]) == 0

    assert "security_group_rule_quota" not in (root / "environments/dev/environment.tfvars.json").read_text()


def test_a_quota_above_what_aws_allows_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo_with(tmp_path, endpoints=1, quota=1001)

    assert main(["validate", "--root", str(root)]) == 2

    assert f"{ENV_FILE}:5: network.security_group_rule_quota: fix: use the account quota of inbound rules per security group, 1 to 1000" in capsys.readouterr().err
