"""The review summary on small hand-made plans: one behaviour per test.

The same summarizer on real `terraform show -json` output from moto is in test_summary_moto.py.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from generator.review import summary
from generator.review.markdown import MAX_CODE_CHARS, code, visible
from tests.helpers import REPO_ROOT, run_generator

MODEL = 'module.endpoint["fraud-scorer"].aws_sagemaker_model.this'
ENDPOINT = 'module.endpoint["fraud-scorer"].aws_sagemaker_endpoint.this'
OLD = "registry.example.com/risk/fraud-scorer@sha256:" + "a" * 64
NEW = "registry.example.com/risk/fraud-scorer@sha256:" + "b" * 64


def change(address: str, actions: list[str], before: Any = None, after: Any = None, **extra: Any) -> dict[str, Any]:
    kind = address.split(".")[-2]
    return {
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": address.split(".")[-1],
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": extra.pop("after_unknown", {}),
            "before_sensitive": extra.pop("before_sensitive", {}),
            "after_sensitive": extra.pop("after_sensitive", {}),
            **extra,
        },
    }


def plan(*changes: dict[str, Any], environment: str = "dev") -> dict[str, Any]:
    return {"format_version": "1.2", "variables": {"environment": {"value": environment}}, "resource_changes": list(changes)}


def markdown(*changes: dict[str, Any], limit: int = summary.COMMENT_LIMIT) -> str:
    return summary.render(summary.summarize(plan(*changes)), limit=limit)


def model(image: str) -> dict[str, Any]:
    return {"name": "fraud-scorer-1", "primary_container": [{"image": image, "environment": {}}]}


def test_summary_counts_every_action_kind():
    result = summary.summarize(
        plan(
            change("aws_s3_bucket.a", ["create"], None, {}),
            change("aws_s3_bucket.b", ["update"], {"x": 1}, {"x": 2}),
            change("aws_s3_bucket.c", ["create", "delete"], {"x": 1}, {"x": 2}),
            change("aws_s3_bucket.d", ["delete", "create"], {"x": 1}, {"x": 2}),
            change("aws_s3_bucket.e", ["delete"], {"x": 1}, None),
            change("aws_s3_bucket.f", ["no-op"], {"x": 1}, {"x": 1}),
        )
    )

    assert result.counts == {"create": 1, "update": 1, "replace": 2, "delete": 1, "no-op": 1}


def test_summary_ignores_data_source_reads():
    read = change("data.aws_iam_policy_document.x", ["read"], None, {})
    read["mode"] = "data"

    assert summary.summarize(plan(read)).counts == dict.fromkeys(summary.ACTIONS, 0)


def test_summary_header_names_environment_and_counts():
    text = markdown(change("aws_s3_bucket.a", ["create"], None, {}))

    assert text.startswith("## Plan for environment `dev`\n\n| create | update in place | replace | delete | no-op |\n|---:|---:|---:|---:|---:|\n| 1 | 0 | 0 | 0 | 0 |\n")


def test_summary_groups_resources_by_endpoint_address():
    result = summary.summarize(
        plan(
            change(MODEL, ["update"], {"tags": {"a": "1"}}, {"tags": {"a": "2"}}),
            change('module.endpoint["recommender"].aws_sagemaker_endpoint.this', ["update"], {"tags": {}}, {"tags": {"a": "1"}}),
            change("module.iam.aws_iam_role.this", ["no-op"], {}, {}),
        )
    )

    assert [(g.name, [r.label for r in g.resources]) for g in result.endpoints] == [
        ("fraud-scorer", ["aws_sagemaker_model.this"]),
        ("recommender", ["aws_sagemaker_endpoint.this"]),
    ]
    assert result.shared.unchanged == 1


def test_summary_groups_resources_outside_the_module_by_endpoint_tag():
    alarm = change(
        "aws_cloudwatch_metric_alarm.latency", ["create"], None, {"tags": {"sagemaker-gitops:endpoint": "fraud-scorer"}}
    )

    result = summary.summarize(plan(alarm))

    assert [g.name for g in result.endpoints] == ["fraud-scorer"]
    assert result.endpoints[0].resources[0].label == "aws_cloudwatch_metric_alarm.latency"


def test_summary_lists_unchanged_endpoints_in_one_line():
    text = markdown(change(ENDPOINT, ["no-op"], {}, {}), change("aws_s3_bucket.a", ["create"], None, {}))

    assert "Unchanged endpoints: `fraud-scorer`.\n" in text
    assert "### Endpoint `fraud-scorer`" not in text


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (["delete"], "* **downtime**: SageMaker endpoint `fraud-scorer` will be deleted: it stops serving requests"),
        (
            ["delete", "create"],
            "* **downtime**: SageMaker endpoint `fraud-scorer` will be replaced: requests fail until the new endpoint is InService",
        ),
    ],
)
def test_summary_warns_when_an_endpoint_is_deleted_or_replaced(actions: list[str], message: str):
    text = markdown(change(ENDPOINT, actions, {"name": "fraud-scorer"}, None if actions == ["delete"] else {"name": "fraud-scorer"}))

    assert message in text


def test_summary_does_not_warn_when_an_endpoint_is_updated_in_place():
    text = markdown(change(ENDPOINT, ["update"], {"endpoint_config_name": "a"}, {"endpoint_config_name": "b"}))

    assert "⚠️" not in text
    assert "No warnings: no endpoint is deleted or replaced" in text


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("module.iam.aws_iam_role.this", "IAM"),
        ("module.iam.aws_iam_role_policy.execution", "IAM"),
        ('module.endpoint["x"].aws_vpc_security_group_ingress_rule.registry_from_model', "security-group rule"),
        ('module.endpoint["x"].aws_vpc_security_group_egress_rule.to_registry', "security-group rule"),
        ("aws_security_group_rule.legacy", "security-group rule"),
        ("module.vpc_endpoints.aws_vpc_endpoint.lambda", "VPC endpoint"),
    ],
)
def test_summary_warns_about_sensitive_resource_families(address: str, kind: str):
    result = summary.summarize(plan(change(address, ["update"], {"a": 1}, {"a": 2})))

    assert [(w.kind, w.message) for w in result.warnings] == [(kind, f"`{address}` will be updated in place")]


def test_summary_warns_about_inline_security_group_rules_only_when_they_change():
    tags_only = change("aws_security_group.a", ["update"], {"ingress": [], "tags": {}}, {"ingress": [], "tags": {"a": "1"}})
    rules = change("aws_security_group.b", ["update"], {"ingress": []}, {"ingress": [{"from_port": 443}]})

    assert [w.message for w in summary.summarize(plan(tags_only, rules)).warnings] == ["`aws_security_group.b` will be updated in place"]


def test_summary_counts_a_kind_with_many_warnings_and_folds_the_rest():
    roles = [change(f'module.iam["g{i}"].aws_iam_role.this', ["create"], None, {"a": 1}) for i in range(7)]
    text = markdown(*roles)

    assert "* **IAM** (7):\n  * `module.iam[\"g0\"].aws_iam_role.this` will be created\n" in text
    assert "\n<details><summary>2 more IAM warnings</summary>\n\n  * `module.iam[\"g5\"].aws_iam_role.this` will be created\n" in text
    assert text.count("will be created") == 7


def test_summary_lists_a_kind_with_few_warnings_one_per_line():
    roles = [change(f'module.iam["g{i}"].aws_iam_role.this', ["create"], None, {"a": 1}) for i in range(5)]

    assert markdown(*roles).count("* **IAM**: ") == 5


def test_summary_puts_warnings_before_endpoint_sections():
    text = markdown(change(ENDPOINT, ["delete"], {"name": "fraud-scorer"}, None), change("module.iam.aws_iam_role.this", ["update"], {"a": 1}, {"a": 2}))

    assert text.index("### ⚠️ Warnings (2)") < text.index("### Endpoint `fraud-scorer`")
    assert text.index("**downtime**") < text.index("**IAM**")


def test_summary_shows_image_digest_change_old_to_new():
    text = markdown(change(MODEL, ["create", "delete"], model(OLD), model(NEW), replace_paths=[["name"]]))

    assert f"Image `registry.example.com/risk/fraud-scorer`: `sha256:{'a' * 64}` → `sha256:{'b' * 64}`\n" in text


def test_summary_shows_image_of_a_new_model():
    text = markdown(change(MODEL, ["create"], None, model(NEW)))

    assert f"Image: `{NEW}` (new)\n" in text


def test_summary_names_the_attributes_that_force_a_replacement():
    text = markdown(
        change(
            MODEL,
            ["create", "delete"],
            {"name": "m-1", "arn": "arn:aws:sagemaker:eu-west-1:111111111111:model/m-1"},
            {"name": "m-2", "arn": None},
            after_unknown={"arn": True},
            replace_paths=[["name"]],
        )
    )

    assert "  * `name`: `m-1` → `m-2` (forces replacement)\n" in text
    assert "`arn`" not in text  # a new object always gets a new ARN: not worth a line


def test_summary_never_prints_sensitive_values():
    secret_before, secret_after = "hunter2-before", "hunter2-after"
    lambda_change = change(
        "module.registry_credentials.aws_lambda_function.this",
        ["update"],
        {"environment": [{"variables": {"TOKEN": secret_before, "MODE": "basic"}}]},
        {"environment": [{"variables": {"TOKEN": secret_after, "MODE": "bearer"}}]},
        before_sensitive={"environment": [{"variables": {"TOKEN": True}}]},
        after_sensitive={"environment": [{"variables": {"TOKEN": True}}]},
    )
    whole_model = change(MODEL, ["create", "delete"], model(OLD), model(NEW), before_sensitive={"primary_container": True}, after_sensitive={"primary_container": True})

    text = markdown(lambda_change, whole_model)

    assert secret_before not in text and secret_after not in text
    assert "a" * 64 not in text and "b" * 64 not in text
    assert "  * `environment[0].variables.TOKEN`: `(sensitive)` → `(sensitive)`\n" in text
    assert "  * `environment[0].variables.MODE`: `basic` → `bearer`\n" in text


def test_summary_shows_tags_all_only_when_tags_did_not_change():
    text = markdown(change(MODEL, ["update"], {"tags": {"a": "1"}, "tags_all": {"a": "1"}}, {"tags": {"a": "2"}, "tags_all": {"a": "2"}}))

    assert "`tags.a`" in text
    assert "tags_all" not in text


def test_summary_of_an_empty_plan_says_no_changes():
    text = markdown(change(ENDPOINT, ["no-op"], {}, {}))

    assert "No changes: the environment matches the catalog.\n" in text


def test_summary_of_ten_thousand_resources_fits_one_comment_with_a_cut_note():
    changes = [
        change(
            f'module.endpoint["endpoint-{i // 10:04d}"].aws_vpc_security_group_ingress_rule.rule_{i}',
            ["update"],
            {"description": f"old description {i}", "tags": {"a": "1"}},
            {"description": f"new description {i}", "tags": {"a": "2"}},
        )
        for i in range(10_000)
    ]

    text = markdown(*changes)

    assert len(text) <= summary.COMMENT_LIMIT
    assert "| 0 | 10000 | 0 | 0 | 0 |" in text
    assert "> ✂️ **Cut to fit one pull-request comment:**" in text
    assert text.rstrip().endswith("more entries were cut here to stay under the comment limit.")


def test_summary_is_not_cut_when_it_fits():
    text = markdown(change(ENDPOINT, ["update"], {"a": 1}, {"a": 2}))

    assert "✂️" not in text


def test_summary_cut_keeps_the_longest_prefix_that_fits():
    changes = [change(f"aws_s3_bucket.b{i:03d}", ["create"], None, {}) for i in range(200)]
    limit = 4000

    text = markdown(*changes, limit=limit)

    assert len(text) <= limit
    shown = text.count("* **create**")
    assert 0 < shown < 200
    assert f"{shown} of 200 entries are shown" in text


def test_summary_reads_environment_from_plan_variables():
    assert summary.summarize(plan(environment="prod")).environment == "prod"


def test_summary_rejects_a_plan_without_environment_variable():
    with pytest.raises(summary.UsageError) as error:
        summary.summarize({"format_version": "1.2", "variables": {}, "resource_changes": []})

    assert str(error.value) == "fix: summarize a plan of this repository's terraform/ root module — the plan has no `environment` variable"


def test_summary_cli_writes_out_file(tmp_path: Path):
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(json.dumps(plan(change("aws_s3_bucket.a", ["create"], None, {}))))

    result = run_generator("summary", str(plan_json), "--out", str(tmp_path / "plan.md"), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "plan.md").read_text().startswith("## Plan for environment `dev`")


def test_summary_cli_rejects_a_file_that_is_not_a_plan(tmp_path: Path):
    (tmp_path / "plan.json").write_text('{"resources": []}')

    result = run_generator("summary", "plan.json", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr == "error: fix: pass the output of `terraform show -json PLANFILE` — plan.json is not a Terraform JSON plan (format_version 1.x)\n"


def test_summary_cli_explains_a_missing_plan(tmp_path: Path):
    result = run_generator("summary", "build/dev/plan.json", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr == "error: fix: run `make plan` first (it writes build/<env>/plan.json) — build/dev/plan.json does not exist\n"


def test_summary_template_ships_with_the_package():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["generator"]
    templates = [p.relative_to(REPO_ROOT / "generator").as_posix() for p in (REPO_ROOT / "generator" / "review" / "templates").iterdir()]

    assert templates
    assert all(any(fnmatch.fnmatch(t, pattern) for pattern in patterns) for t in templates)


# --- sensitive parts and hostile values: the pull-request author is untrusted -----------------


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_summary_hides_a_previous_value_with_a_sensitive_part_when_the_new_value_is_unknown():
    lambda_change = change(
        "module.registry_credentials.aws_lambda_function.this",
        ["update"],
        {"environment": [{"variables": {"TOKEN": "hunter2", "MODE": "basic"}}]},
        {"environment": None},
        before_sensitive={"environment": [{"variables": {"TOKEN": True}}]},
        after_unknown={"environment": True},
    )

    text = markdown(lambda_change)

    assert "hunter2" not in text
    assert "  * `environment`: `(sensitive)` → `(known after apply)`" in lines(text)


def test_summary_hides_a_value_whose_new_side_has_a_sensitive_part():
    tagged = change(
        "aws_s3_bucket.a",
        ["update"],
        {"policy": "old-policy"},
        {"policy": "new-policy"},
        after_sensitive={"policy": {"Statement": True}},  # a mask that goes deeper than the value
    )

    text = markdown(tagged)

    assert "new-policy" not in text and "old-policy" not in text
    assert "  * `policy`: `(sensitive)` → `(sensitive)`" in lines(text)


def test_summary_hides_an_image_that_terraform_marks_sensitive():
    sensitive_image = [{"image": True}]

    text = markdown(change(MODEL, ["create", "delete"], model(OLD), model(NEW), before_sensitive={"primary_container": sensitive_image}, after_sensitive={"primary_container": sensitive_image}))

    assert "a" * 64 not in text and "b" * 64 not in text
    assert not [line for line in lines(text) if line.startswith("Image")]


def test_summary_keeps_a_value_with_newlines_and_backticks_inside_its_code_span():
    hostile = "x`\n\n### ✅ policy checks passed\n`"

    text = markdown(change(MODEL, ["update"], {"environment": {"MODE": "a"}}, {"environment": {"MODE": hostile}}))

    assert "### ✅ policy checks passed" not in lines(text)
    assert "  * `environment.MODE`: `a` → `` x`\\n\\n### ✅ policy checks passed\\n` ``" in lines(text)


def test_summary_keeps_a_hostile_endpoint_name_inside_its_heading():
    address = 'module.endpoint["evil`\n## Plan for environment `prod`"].aws_sagemaker_endpoint.this'

    text = markdown(change(address, ["update"], {"a": 1}, {"a": 2}))

    assert "## Plan for environment `prod`" not in lines(text)
    assert "### Endpoint `` evil`\\n## Plan for environment `prod` ``: 1 to update in place" in lines(text)


def test_summary_keeps_a_hostile_image_on_its_line():
    hostile = NEW + "\n* **policy checks passed**"

    text = markdown(change(MODEL, ["create"], None, model(hostile)))

    assert "* **policy checks passed**" not in lines(text)
    assert f"Image: `{NEW}\\n* **policy checks passed**` (new)" in lines(text)


def test_summary_keeps_a_hostile_address_inside_its_warning():
    address = "module.iam.aws_iam_role.x\n\n[approve](https://evil.example.com)"
    role = change(address, ["update"], {"a": 1}, {"a": 2}) | {"type": "aws_iam_role"}

    text = markdown(role)

    assert "[approve](https://evil.example.com)" not in lines(text)
    assert "* **IAM**: `module.iam.aws_iam_role.x\\n\\n[approve](https://evil.example.com)` will be updated in place" in lines(text)


def test_summary_keeps_a_hostile_environment_name_inside_the_title():
    text = summary.render(summary.summarize(plan(environment="dev`\n| 0 | 0 | 0 | 0 | 0 |")))

    assert lines(text)[0] == "## Plan for environment ``dev`\\n| 0 | 0 | 0 | 0 | 0 |``"


def test_summary_shows_control_and_direction_characters_as_escapes():
    hostile = "a\r\tb\x1b[2J\u202egnp.exe\u2028c"

    text = markdown(change(MODEL, ["update"], {"description": "a"}, {"description": hostile}))

    assert "  * `description`: `a` → `a\\r\\tb\\x1b[2J\\u202egnp.exe\\u2028c`" in lines(text)


def test_summary_cuts_a_long_address_with_an_ellipsis():
    address = "aws_s3_bucket." + "b" * 400

    text = markdown(change(address, ["create"], None, {}))

    shown = "b" * (MAX_CODE_CHARS - len("aws_s3_bucket.") - 1)
    assert f"* **create** `aws_s3_bucket.{shown}…`" in lines(text)


def test_printable_text_with_a_non_breaking_space_is_shown_as_it_is() -> None:
    # Not str.isprintable(), but not a control or format character either: no escape.
    assert visible("a\u00a0b") == "a\u00a0b"


def test_a_bidi_override_is_escaped_even_among_printable_text() -> None:
    assert visible("safe\u202eexe.txt") == "safe\\u202eexe.txt"


def test_an_overlong_value_is_cut_before_a_line_break_beyond_the_limit() -> None:
    span = code("a" * (MAX_CODE_CHARS + 50) + "\n")
    assert span == "`" + "a" * (MAX_CODE_CHARS - 1) + "…`"


def test_a_value_one_escape_longer_than_the_limit_is_cut() -> None:
    # Exactly the limit in characters, but the line break is shown as two: over the limit.
    span = code("a" * (MAX_CODE_CHARS - 1) + "\n")
    assert span == "`" + "a" * (MAX_CODE_CHARS - 1) + "…`"


def test_review_of_states_names_the_states_left_out_with_nothing_to_plan(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(json.dumps(plan(change(MODEL, ["no-op"]))))

    text = summary.summary_markdown_of_states([("dev-base", base)], unplanned=["dev-idle", "dev-team"])

    assert "Not planned, nothing to plan (no endpoint of this environment in the group, no resource in its state): `dev-idle`, `dev-team`.\n" in text


def test_review_of_states_that_were_all_planned_says_nothing_about_unplanned_ones(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(json.dumps(plan(change(MODEL, ["no-op"]))))

    assert "Not planned" not in summary.summary_markdown_of_states([("dev-base", base)])
