"""`python -m generator validate`: every rule of the catalog and environment files."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import catalog_yaml, image, make_repo, write

PIN_FIX = (
    "fix: pin the image by digest: run `python -m generator registry pin` or write "
    "registry.example.com/ml/demo@sha256:<64 lowercase hex>"
)


def validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--root", str(root)])
    return code, capsys.readouterr().err


def test_validate_example_repository_is_valid(examples_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(examples_root)]) == 0
    assert capsys.readouterr().out == "ok: 3 endpoints, 4 environments, 9 deployments\n"


def test_validate_minimal_repository_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(make_repo(tmp_path), capsys)[0] == 0


REJECTIONS = {
    "name_pattern": (
        {"Fraud_Scorer": catalog_yaml("Fraud_Scorer")},
        "catalog/Fraud_Scorer.yaml:1: name: fix: use 1-48 letters, digits and hyphens, starting and ending with a letter or digit",
    ),
    "name_too_long": (
        {"a" * 49: catalog_yaml("a" * 49)},
        f"catalog/{'a' * 49}.yaml:1: name: fix: use 1-48 letters, digits and hyphens",
    ),
    "name_differs_from_file_stem": (
        {"demo": catalog_yaml("other")},
        "catalog/demo.yaml:1: name: fix: rename the file to catalog/other.yaml or set `name: demo` — name 'other' differs from the file name",
    ),
    "names_clash_ignoring_case": (
        {"demo": catalog_yaml("demo"), "Demo": catalog_yaml("Demo")},
        "catalog/demo.yaml:1: name: fix: choose a name that no other catalog entry uses, ignoring case — 'demo' clashes with catalog/Demo.yaml",
    ),
    "image_latest_tag": (
        {"demo": catalog_yaml(image="registry.example.com/ml/demo:latest")},
        f"catalog/demo.yaml:2: image: {PIN_FIX} — found tag ':latest', and a tag can change under a running endpoint",
    ),
    "image_version_tag": (
        {"demo": catalog_yaml(image="registry.example.com/ml/demo:1.4.2")},
        f"catalog/demo.yaml:2: image: {PIN_FIX} — found tag ':1.4.2', and a tag can change under a running endpoint",
    ),
    "image_without_tag_or_digest": (
        {"demo": catalog_yaml(image="registry.example.com/ml/demo")},
        f"catalog/demo.yaml:2: image: {PIN_FIX} — found no tag or digest, which means ':latest'",
    ),
    "image_digest_upper_case": (
        {"demo": catalog_yaml(image="registry.example.com/ml/demo@sha256:" + "A" * 64)},
        "catalog/demo.yaml:2: image: fix: write the image as <registry-host>/<repository>@sha256:<64 lowercase hex>",
    ),
    "image_digest_too_short": (
        {"demo": catalog_yaml(image="registry.example.com/ml/demo@sha256:abc123")},
        "catalog/demo.yaml:2: image: fix: write the image as <registry-host>/<repository>@sha256:<64 lowercase hex>",
    ),
    "image_host_not_a_registry_of_the_environment": (
        {"demo": catalog_yaml(image=image(host="other.example.com"))},
        "catalog/demo.yaml:2: image: fix: use an image from the dev registry (registry.example.com), or add other.example.com "
        "to environments/dev/environment.yaml under registries — registry host 'other.example.com' is not a registry of environment 'dev'",
    ),
    "instance_type_without_ml_prefix": (
        {"demo": catalog_yaml(instance_type="m5.large")},
        "catalog/demo.yaml:3: instance_type: fix: use a SageMaker ML instance type such as ml.m5.large",
    ),
    "instance_count_zero": (
        {"demo": catalog_yaml(initial_instance_count="0")},
        "catalog/demo.yaml:4: initial_instance_count: fix: use a whole number of instances from 1 to 100 — Input should be greater than or equal to 1, got 0",
    ),
    "instance_count_not_a_number": (
        {"demo": catalog_yaml(initial_instance_count="two")},
        "catalog/demo.yaml:4: initial_instance_count: fix: use a whole number of instances from 1 to 100 — Input should be a valid integer, got 'two'",
    ),
    "environment_does_not_exist": (
        {"demo": catalog_yaml(environments="\n  qa: {}")},
        "catalog/demo.yaml:6: environments.qa: fix: use one of the defined environments (dev) or add environments/qa/environment.yaml — environment 'qa' does not exist",
    ),
    "unknown_key_is_a_typo": (
        {"demo": catalog_yaml(instance_typ="ml.m5.large")},
        "catalog/demo.yaml:7: instance_typ: fix: remove `instance_typ` or correct its spelling; allowed here: image, instance_type,",
    ),
    "override_with_tag": (
        {"demo": catalog_yaml(environments="\n  dev:\n    image: registry.example.com/ml/demo:v2")},
        f"catalog/demo.yaml:7: environments.dev.image: {PIN_FIX} — found tag ':v2'",
    ),
    "override_unknown_key": (
        {"demo": catalog_yaml(environments="\n  dev:\n    instance_count: 2")},
        "catalog/demo.yaml:7: environments.dev.instance_count: fix: remove `instance_count` or correct its spelling",
    ),
    "override_count_zero": (
        {"demo": catalog_yaml(environments="\n  dev:\n    initial_instance_count: 0")},
        "catalog/demo.yaml:7: environments.dev.initial_instance_count: fix: use a whole number of instances from 1 to 100",
    ),
    "override_image_from_another_registry": (
        {"demo": catalog_yaml(environments=f"\n  dev:\n    image: {image(host='other.example.com')}")},
        "catalog/demo.yaml:7: environments.dev.image: fix: use an image from the dev registry (registry.example.com)",
    ),
    "variant_instance_type": (
        {"demo": catalog_yaml(variants="\n  a:\n    instance_type: c5.xlarge")},
        "catalog/demo.yaml:9: variants.a.instance_type: fix: use a SageMaker ML instance type such as ml.m5.large",
    ),
    "required_field_missing": (
        {"demo": "name: demo\ninstance_type: ml.m5.large\ninitial_instance_count: 1\nenvironments:\n  dev: {}\n"},
        "catalog/demo.yaml:1: image: fix: add `image:` — required field is missing",
    ),
    "yaml_syntax": (
        {"demo": "name: demo\nimage: [\n"},
        "catalog/demo.yaml:3: (document): fix: correct the YAML syntax",
    ),
    "empty_file": (
        {"demo": ""},
        "catalog/demo.yaml:1: (document): fix: write the file as a YAML mapping of fields — it is empty or not a mapping",
    ),
}


@pytest.mark.parametrize("catalog, expected", REJECTIONS.values(), ids=REJECTIONS.keys())
def test_validate_rejects_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog: dict[str, str], expected: str) -> None:
    code, err = validate(make_repo(tmp_path, catalog=catalog), capsys)
    assert code == 2
    assert err.startswith("error: 1 problem found; nothing was written\n")
    assert f"\n  {expected}" in err


def test_validate_reports_every_problem_not_only_the_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = {
        "a": catalog_yaml("a", instance_type="m5.large"),
        "b": catalog_yaml("b", image="registry.example.com/ml/demo:latest"),
    }
    code, err = validate(make_repo(tmp_path, catalog=catalog), capsys)
    assert code == 2
    assert err.splitlines()[0] == "error: 2 problems found; nothing was written"
    assert "catalog/a.yaml:3: instance_type:" in err
    assert "catalog/b.yaml:2: image:" in err


def test_validate_rejects_yml_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path)
    write(root / "catalog" / "extra.yml", catalog_yaml("extra"))
    code, err = validate(root, capsys)
    assert code == 2
    assert "catalog/extra.yml: (file name): fix: rename it to extra.yaml — catalog files end in .yaml" in err


ENVIRONMENT_REJECTIONS = {
    "credentials_missing_for_basic_auth": (
        ("    credentials_secret_arn: arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-Ab12Cd\n", ""),
        "environments/dev/environment.yaml:8: registries.main: fix: set credentials_secret_arn to the Secrets Manager ARN of the registry login — auth is 'basic', so SageMaker needs credentials",
    ),
    "auth_mode_unknown": (
        ("auth: basic", "auth: token"),
        "environments/dev/environment.yaml:10: registries.main.auth: fix: use none, basic or bearer — Input should be 'none', 'basic' or 'bearer', got 'token'",
    ),
    "subnet_id_malformed": (
        ("subnet-0a1b2c3d4e5f60012", "subnet-xyz"),
        "environments/dev/environment.yaml:6: network.subnet_ids[1]: fix: use subnet IDs such as subnet-0a1b2c3d4e5f67890",
    ),
    "account_id_unquoted_number": (
        ('account_id: "111111111111"', "account_id: 111111111111"),
        "environments/dev/environment.yaml:3: aws.account_id: fix: quote the 12-digit AWS account ID",
    ),
    "unknown_key": (
        ("region: eu-west-1\n", "region: eu-west-1\n  zone: a\n"),
        "environments/dev/environment.yaml:3: aws.zone: fix: remove `zone` or correct its spelling; allowed here: region, account_id",
    ),
}


@pytest.mark.parametrize("edit, expected", ENVIRONMENT_REJECTIONS.values(), ids=ENVIRONMENT_REJECTIONS.keys())
def test_validate_rejects_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: tuple[str, str], expected: str
) -> None:
    root = make_repo(tmp_path)
    path = root / "environments" / "dev" / "environment.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    code, err = validate(root, capsys)
    assert code == 2
    assert f"\n  {expected}" in err


def test_validate_rejects_invalid_environment_folder_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, envs=("dev", "Prod_EU"))
    code, err = validate(root, capsys)
    assert code == 2
    assert "environments/Prod_EU/environment.yaml: (folder name): fix: name the folder with lower-case letters" in err


def test_validate_refuses_an_endpoint_in_two_environments_of_one_account_and_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # make_repo's environments all use account 111111111111 in eu-west-1.
    root = make_repo(tmp_path, envs=("dev", "qa"), catalog={"demo": catalog_yaml(environments="\n  dev: {}\n  qa: {}")})

    code, err = validate(root, capsys)

    assert code == 2
    assert (
        "\n  catalog/demo.yaml:7: environments.qa: fix: deploy demo to only one of dev and qa, or give one of them another "
        "account or region in environments/<env>/environment.yaml — environments dev and qa share account 111111111111 in "
        "eu-west-1, where both would name the SageMaker endpoint 'demo' (and its model and configuration) alike\n"
    ) in err


def test_validate_accepts_an_endpoint_in_two_environments_of_different_regions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, envs=("dev", "qa"), catalog={"demo": catalog_yaml(environments="\n  dev: {}\n  qa: {}")})
    path = root / "environments" / "qa" / "environment.yaml"
    path.write_text(path.read_text().replace("  region: eu-west-1\n  account_id", "  region: eu-central-1\n  account_id", 1))

    assert validate(root, capsys)[0] == 0
