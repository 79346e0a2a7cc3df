"""AWS quotas hold by construction: what grows with the catalog is counted by `validate`, and a
catalog that would exceed a quota is refused (exit 2, file, field, fix) before anything is planned."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import catalog_yaml, declare_groups, grouped_catalog, make_repo, tree

ENV_FILE = "environments/dev/environment.yaml"


def _repo(tmp_path: Path, catalog: dict[str, str], network: str = "", aws: str = "") -> Path:
    root = declare_groups(make_repo(tmp_path, catalog=catalog))
    path = root / ENV_FILE
    text = path.read_text()
    text = text.replace("network:\n", f"network:\n{network}") if network else text
    text = text.replace('  account_id: "111111111111"\n', f'  account_id: "111111111111"\n{aws}') if aws else text
    path.write_text(text)
    return root


def test_endpoints_of_one_group_add_one_rule_to_the_registry_group_whatever_their_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=1, per_group=200))

    assert main(["validate", "--quotas", "--root", str(root)]) == 0
    assert "inbound rules main 1/60, the Lambda interface endpoint's security group 1/60" in capsys.readouterr().err


def test_sixty_groups_fit_the_default_rule_quota(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=60))

    assert main(["validate", "--quotas", "--root", str(root)]) == 0
    assert "inbound rules main 60/60" in capsys.readouterr().err


def test_the_sixty_first_group_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=61))

    assert main(["validate", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert (
        f"  {ENV_FILE}:12: registries.main.security_group_id: fix: move endpoints into fewer groups (catalog/<group>/), "
        "or request a quota increase for inbound rules per security group and set network.security_group_rule_quota "
        "— 61 endpoint groups each add an inbound rule to the security group of registry main, above the quota of 60, "
        "so the apply would fail\n"
    ) in err
    assert "the Lambda interface endpoint's security group, above the quota of 60" in err


def test_a_raised_rule_quota_admits_more_groups(tmp_path: Path) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=61), network="  security_group_rule_quota: 61\n")

    assert main(["validate", "--root", str(root)]) == 0


def test_roles_are_counted_over_every_environment_of_the_account(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=3), aws="  iam_role_quota: 3\n")

    assert main(["validate", "--root", str(root)]) == 2
    assert "the environments of account 111111111111 need 4 IAM roles, above the quota of 3" in capsys.readouterr().err


def test_an_execution_policy_over_the_inline_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = {
        f"g0/demo-{i}": catalog_yaml(f"demo-{i}", model_data_url=f"s3://example-artifacts/models/demo-{i:03d}/a-long-path-to/model.tar.gz")
        for i in range(150)
    }
    root = _repo(tmp_path, catalog, network="  s3_gateway_route_table_ids: [rtb-0a1b2c3d4e5f60001]\n")

    assert main(["validate", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "catalog/g0/: model_data_url: fix: split the group into smaller groups" in err
    assert "characters of inline policy, above IAM's 10,240" in err


def test_render_refuses_a_catalog_over_a_quota_and_writes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=61))
    before = tree(root)

    assert main(["render", "--all", "--root", str(root)]) == 2
    assert tree(root) == before


def test_the_quotas_are_not_passed_to_terraform(tmp_path: Path) -> None:
    root = _repo(tmp_path, grouped_catalog(groups=1), network="  security_group_rule_quota: 61\n")

    assert main(["render", "--all", "--root", str(root)]) == 0
    assert "quota" not in (root / "environments/dev/environment.tfvars.json").read_text()


def test_a_group_folder_without_group_yaml_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, catalog={"g0/demo": catalog_yaml("demo")})

    assert main(["validate", "--root", str(root)]) == 2
    assert (
        "  catalog/g0/group.yaml: (file): fix: create catalog/g0/group.yaml with `owner: <team>` — it declares the group "
        "and its Terraform state — a group folder needs a group.yaml\n"
    ) in capsys.readouterr().err


