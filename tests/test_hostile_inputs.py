"""catalog/ and environments/ are written by pull-request authors: every input that tries to
leave its lane is refused with exit 2, naming file, field and fix, and nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import catalog_yaml, image, make_repo, run_generator, tree, write

# A generous bound for a command that must finish at once; it only stops a hang from blocking
# the suite, and no assertion depends on how long the command took.
HANG_GUARD_SECONDS = 120
ROUTE_TABLES = "  s3_gateway_route_table_ids: [rtb-0a1b2c3d4e5f60021]\n"
ENV_KEY = "arn:aws:kms:eu-west-1:111111111111:key/0aa1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5a"
OTHER_KEY = "arn:aws:kms:eu-west-1:111111111111:key/1bb1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5b"


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--root", str(root)])
    return code, capsys.readouterr().err


def _with_route_tables(root: Path) -> Path:
    env_file = root / "environments/dev/environment.yaml"
    env_file.write_text(env_file.read_text().replace("network:\n", "network:\n" + ROUTE_TABLES))
    return root


@pytest.mark.parametrize("target", ["outside", "/dev/zero"])
def test_a_symlinked_catalog_file_is_refused_and_not_followed(tmp_path: Path, target: str) -> None:
    root = make_repo(tmp_path / "repo")
    outside = write(tmp_path / "outside.yaml", catalog_yaml())
    link = root / "catalog/demo.yaml"
    link.unlink()
    link.symlink_to(outside if target == "outside" else target)

    result = run_generator("validate", "--root", str(root), cwd=root, timeout=HANG_GUARD_SECONDS)

    assert result.returncode == 2
    assert "catalog/demo.yaml: (file): fix: replace the symbolic link with the file itself — inputs are read only from regular files" in result.stderr


def test_a_symlinked_environment_folder_is_refused_and_render_writes_nothing_through_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    (root / "environments/dev").rename(outside)
    (root / "environments/dev").symlink_to(outside, target_is_directory=True)
    before = tree(outside)

    assert main(["render", "--root", str(root), "--all"]) == 2

    assert "environments/dev: (file): fix: replace the symbolic link with the folder itself" in capsys.readouterr().err
    assert tree(outside) == before


def test_a_catalog_file_above_the_size_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    padding = "# padding\n" * 30_000  # 300,000 bytes of comments around a valid entry
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml() + padding})

    code, err = _validate(root, capsys)

    assert code == 2
    assert "catalog/demo.yaml: (file): fix: keep the file under 256 KiB — it has 300," in err


def test_a_fifo_in_the_catalog_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "catalog/demo.yaml").unlink()
    os.mkfifo(root / "catalog/demo.yaml")

    result = run_generator("validate", "--root", str(root), cwd=root, timeout=HANG_GUARD_SECONDS)

    assert result.returncode == 2
    assert (
        "catalog/demo.yaml: (file): fix: replace it with a regular YAML file — it is not a regular file (a device, FIFO or socket)"
    ) in result.stderr


def test_yaml_aliases_are_refused_before_an_alias_bomb_expands(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 10)]
    bomb = "bombs:\n" + "".join(f"  {line}\n" for line in levels) + "description: *a9\n"
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml() + bomb})

    result = run_generator("validate", "--root", str(root), cwd=root, timeout=HANG_GUARD_SECONDS)

    assert result.returncode == 2
    assert (
        "catalog/demo.yaml:8: (document): fix: write the value out in full instead of using a YAML anchor (&) or alias (*)"
        " — found the anchor 'a0'; anchors and aliases are not accepted in inputs"
    ) in result.stderr


def test_a_duplicate_key_is_refused_instead_of_the_last_one_winning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml() + f"image: {image(seed='other')}\n"})

    code, err = _validate(root, capsys)

    assert code == 2
    assert (
        "catalog/demo.yaml:7: image: fix: keep one 'image' key and delete the others"
        " — the key 'image' appears more than once in this mapping"
    ) in err


def test_an_image_with_a_trailing_newline_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(image=f'"{image()}\\n"')})

    code, err = _validate(root, capsys)

    assert code == 2
    assert "catalog/demo.yaml:2: image: fix: write the image as <registry-host>/<repository>@sha256:<64 lowercase hex>" in err


def test_an_environment_folder_name_with_a_trailing_newline_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, envs=("dev", "qa\n"))

    code, err = _validate(root, capsys)

    assert code == 2
    assert "environments/qa\n/environment.yaml: (folder name): fix: name the folder with lower-case letters, digits and hyphens (max 16) — 'qa\\n' is not a valid environment name" in err


def test_an_account_id_of_non_ascii_digits_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path)
    env_file = root / "environments/dev/environment.yaml"
    env_file.write_text(env_file.read_text().replace('"111111111111"', '"١١١١١١١١١١١١"'), encoding="utf-8")

    code, err = _validate(root, capsys)

    assert code == 2
    assert "environments/dev/environment.yaml:3: aws.account_id: fix: quote the 12-digit AWS account ID" in err


@pytest.mark.parametrize(
    "field,arn",
    [
        ("credentials_secret_arn", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-*"),
        ("credentials_secret_arn", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-??????"),
        ("credentials_kms_key_arn", "arn:aws:kms:eu-west-1:111111111111:key/*"),
    ],
)
def test_a_wildcard_in_an_arn_that_names_one_resource_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, arn: str
) -> None:
    line = 11 if field == "credentials_secret_arn" else 12
    root = make_repo(tmp_path)
    env_file = root / "environments/dev/environment.yaml"
    text = env_file.read_text()
    if field == "credentials_secret_arn":
        text = text.replace("arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-Ab12Cd", arn)
    else:
        text = text.replace("    security_group_id:", f"    {field}: '{arn}'\n    security_group_id:")
    env_file.write_text(text)

    code, err = _validate(root, capsys)

    assert code == 2
    assert f"environments/dev/environment.yaml:{line}: registries.main.{field}: fix: use a" in err


@pytest.mark.parametrize(
    "entry,message",
    [
        (
            catalog_yaml(model_data_url="s3://someone-elses-bucket/model.tar.gz"),
            "catalog/demo.yaml:7: model_data_url: fix: use a bucket from s3.artifact_buckets in environments/dev/environment.yaml "
            "(example-artifacts), or add 'someone-elses-bucket' there — bucket 'someone-elses-bucket' is not allowed in environment 'dev'",
        ),
        (
            catalog_yaml(model_data_url="s3://state-111111111111/sagemaker-gitops/dev.tfstate"),
            "catalog/demo.yaml:7: model_data_url: fix: use a bucket from s3.artifact_buckets in environments/dev/environment.yaml "
            "— 'state-111111111111' is the Terraform state bucket of environment 'dev' (backend.bucket)",
        ),
        (
            catalog_yaml(data_capture="\n  destination_s3_uri: s3://state-111111111111/capture"),
            "catalog/demo.yaml:7: data_capture: fix: use a bucket from s3.capture_buckets in environments/dev/environment.yaml "
            "— 'state-111111111111' is the Terraform state bucket of environment 'dev' (backend.bucket)",
        ),
        (
            catalog_yaml(model_data_url="s3://example-artifacts/*"),
            "catalog/demo.yaml:7: model_data_url: fix: use an S3 URL such as s3://bucket/prefix/model.tar.gz",
        ),
        (
            catalog_yaml(data_capture=f"\n  destination_s3_uri: s3://example-capture/demo\n  kms_key_arn: {OTHER_KEY}"),
            "catalog/demo.yaml:9: data_capture.kms_key_arn: fix: use kms_key_arn or a key from s3.capture_kms_key_arns in "
            f"environments/dev/environment.yaml (none), or add '{OTHER_KEY}' to s3.capture_kms_key_arns there "
            f"— key '{OTHER_KEY}' is not allowed in environment 'dev'",
        ),
        (
            catalog_yaml(
                data_capture="\n  destination_s3_uri: s3://example-capture/demo",
                environments=f"\n  dev:\n    data_capture:\n      destination_s3_uri: s3://example-capture/demo\n      kms_key_arn: {OTHER_KEY}",
            ),
            "catalog/demo.yaml:9: environments.dev.data_capture.kms_key_arn: fix: use kms_key_arn or a key from s3.capture_kms_key_arns",
        ),
    ],
    ids=["unlisted-bucket", "state-bucket", "capture-to-state-bucket", "wildcard", "unlisted-capture-key", "unlisted-capture-key-override"],
)
def test_s3_locations_stay_in_the_environments_allowed_buckets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    root = _with_route_tables(make_repo(tmp_path, catalog={"demo": entry}))
    before = tree(root)

    assert main(["render", "--root", str(root), "--all"]) == 2

    assert message in capsys.readouterr().err
    assert tree(root) == before


def test_a_capture_key_may_be_the_environments_key_or_a_listed_one(tmp_path: Path) -> None:
    capture = f"\n  destination_s3_uri: s3://example-capture/demo\n  kms_key_arn: {OTHER_KEY}"
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(data_capture=capture)})
    env_file = root / "environments/dev/environment.yaml"
    env_file.write_text(env_file.read_text() + f"kms_key_arn: {ENV_KEY}\n")
    assert main(["validate", "--root", str(root)]) == 2

    env_file.write_text(env_file.read_text().replace("  capture_buckets:", f"  capture_kms_key_arns: [{OTHER_KEY}]\n  capture_buckets:"))
    assert main(["render", "--root", str(root), "--all"]) == 0
    rendered = json.loads((root / "environments/dev/environment.tfvars.json").read_text())
    assert rendered["s3"] == {
        "artifact_buckets": ["example-artifacts"],
        "capture_buckets": ["example-capture"],
        "capture_kms_key_arns": [OTHER_KEY],
    }

    (root / "catalog/demo.yaml").write_text(catalog_yaml(data_capture=capture.replace(OTHER_KEY, ENV_KEY)))
    env_file.write_text(env_file.read_text().replace(f"  capture_kms_key_arns: [{OTHER_KEY}]\n", ""))
    assert main(["validate", "--root", str(root)]) == 0


def test_the_state_bucket_cannot_be_allowed_for_endpoints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path)
    env_file = root / "environments/dev/environment.yaml"
    env_file.write_text(env_file.read_text().replace("capture_buckets: [example-capture]", "capture_buckets: [state-111111111111]"))

    code, err = _validate(root, capsys)

    assert code == 2
    assert (
        "environments/dev/environment.yaml:1: (document): fix: remove 'state-111111111111' from s3.capture_buckets"
        " — it is the environment's Terraform state bucket (backend.bucket), which no endpoint may read or write"
    ) in err


@pytest.mark.parametrize(
    "tags,message",
    [
        (
            "".join(f"\n  key-{i}: v" for i in range(48)),
            "catalog/demo.yaml:7: tags: fix: remove tags: AWS allows 50 per resource — this endpoint's resources would carry "
            "51 tags in environment 'dev' (48 from the catalog, 0 from environments/dev/environment.yaml, 3 added by the modules)",
        ),
        ("\n  AwS:team: ml", "catalog/demo.yaml:8: tags.AwS:team.[key]: fix: remove the tag 'AwS:team' or rename it"),
        ("\n  team: 'ml<script>'", "catalog/demo.yaml:8: tags.team: fix: use tag keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @"),
    ],
    ids=["more-than-50-after-merging", "aws-prefix-in-any-case", "character-outside-aws-tag-set"],
)
def test_tags_beyond_aws_limits_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], tags: str, message: str) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(tags=tags)})

    code, err = _validate(root, capsys)

    assert code == 2
    assert message in err


def test_a_huge_value_is_quoted_as_a_short_escaped_excerpt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, catalog={"demo": catalog_yaml(image="x" * 200_000)})

    code, err = _validate(root, capsys)

    assert code == 2
    assert f"— {'x' * 64!r}… (200000 characters) is not an image reference pinned by digest" in err
    assert len(err) < 1000
