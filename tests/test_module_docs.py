"""Generated README tables of the Terraform modules: content, markers, staleness check."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from generator.render.module_docs import BEGIN_MARKER, END_MARKER
from tests.helpers import REPO_ROOT

VARIABLES = """\
variable "name" {
  description = "Name of the thing, e.g. example."
  type        = string
}

variable "retention_days" {
  description = "Days to keep logs: 1, 7 or 30."
  type        = number
  default     = 30
}

variable "subnets" {
  description = "Subnets keyed by <az> | any name."
  type        = map(object({ id = string, public = optional(bool, false) }))
  default     = {}
}
"""

OUTPUTS = """\
output "thing_arn" {
  description = "ARN of the thing."
  value       = aws_thing.this.arn
}
"""

MAIN = """\
data "aws_region" "current" {}

resource "aws_thing" "this" {
  name = var.name
}
"""

VERSIONS = """\
terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100"
    }
  }
}
"""

EXPECTED_BLOCK = f"""\
{BEGIN_MARKER}
## Requirements

| Name | Version |
|------|---------|
| terraform | >= 1.7 |
| aws | >= 5.100 |

## Resources

| Name | Type |
|------|------|
| aws_thing.this | resource |
| data.aws_region.current | data source |

## Inputs

| Name | Description | Type | Default | Required |
|------|-------------|------|---------|:--------:|
| name | Name of the thing, e.g. example. | `string` | n/a | yes |
| retention_days | Days to keep logs: 1, 7 or 30. | `number` | `30` | no |
| subnets | Subnets keyed by &lt;az> \\| any name. | `map(object({{id = string, public = optional(bool, false)}}))` | `{{}}` | no |

## Outputs

| Name | Description |
|------|-------------|
| thing_arn | ARN of the thing. |
{END_MARKER}"""

README = f"# thing\n\nHand-written prose.\n\n{BEGIN_MARKER}\nold tables\n{END_MARKER}\n\nMore prose.\n"


def _module(root: Path, name: str = "thing", readme: str | None = README, variables: str = VARIABLES) -> Path:
    module = root / "modules" / name
    module.mkdir(parents=True)
    for file, text in (("main.tf", MAIN), ("variables.tf", variables), ("outputs.tf", OUTPUTS), ("versions.tf", VERSIONS)):
        (module / file).write_text(text)
    if readme is not None:
        (module / "README.md").write_text(readme)
    return module


def test_module_docs_renders_requirements_resources_inputs_and_outputs(tmp_path: Path) -> None:
    module = _module(tmp_path)

    assert main(["module-docs", "--root", str(tmp_path)]) == 0

    assert (module / "README.md").read_text() == f"# thing\n\nHand-written prose.\n\n{EXPECTED_BLOCK}\n\nMore prose.\n"


def test_module_docs_second_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path)
    main(["module-docs", "--root", str(tmp_path)])
    capsys.readouterr()

    assert main(["module-docs", "--root", str(tmp_path)]) == 0

    assert capsys.readouterr().err == "ok: 1 module READMEs were already current\n"


def test_module_docs_check_fails_on_stale_readme_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = _module(tmp_path)

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 1

    assert capsys.readouterr().err == (
        "error: fix: run `python -m generator module-docs` and commit the result"
        " — these module READMEs are stale:\n  modules/thing/README.md\n"
    )
    assert (module / "README.md").read_text() == README


def test_module_docs_check_passes_when_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path)
    main(["module-docs", "--root", str(tmp_path)])

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 0

    assert capsys.readouterr().out == "ok: 1 module READMEs are current\n"


def test_module_docs_check_catches_a_changed_description(tmp_path: Path) -> None:
    module = _module(tmp_path)
    main(["module-docs", "--root", str(tmp_path)])
    variables = module / "variables.tf"
    variables.write_text(variables.read_text().replace("Name of the thing", "Name of the widget"))

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 1


def test_module_docs_missing_markers_are_reported_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _module(tmp_path, "good")
    _module(tmp_path, "plain", readme="# plain\n")

    assert main(["module-docs", "--root", str(tmp_path)]) == 2

    assert capsys.readouterr().err == (
        "error: 1 problem found; nothing was written\n"
        f"  modules/plain/README.md: generated block: fix: put exactly one {BEGIN_MARKER} line and, after it,"
        f" one {END_MARKER} line where the tables belong — found 0 begin and 0 end markers\n"
    )
    assert (good / "README.md").read_text() == README


def test_module_docs_missing_readme_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path, readme=None)

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 2

    assert capsys.readouterr().err.splitlines()[1] == (
        f"  modules/thing/README.md: file: fix: create it with a title, a short description and the lines {BEGIN_MARKER}"
        f" and {END_MARKER} — the module has no README"
    )


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ('variable "x" {\n  type = string\n}\n', "variable x: fix: add a one-sentence description naming the allowed values — it has none"),
        ('variable "x" {\n  description = "X."\n}\n', "variable x: fix: add a type constraint — untyped variables accept anything"),
        (
            'variable "x" {\n  type        = string\n  description = "X."\n  default     = "a"\n}\n',
            "variable x: fix: write description, then type, then default — found type, description, default",
        ),
    ],
)
def test_module_docs_reports_badly_declared_variables(variable: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path, variables=variable)

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 2

    assert capsys.readouterr().err.splitlines()[1] == f"  modules/thing/variables.tf: {message}"


def test_module_docs_reports_hcl_syntax_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path, variables='variable "x" {\n  type = \n')

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 2

    assert capsys.readouterr().err.splitlines()[1].startswith(
        "  modules/thing/variables.tf: syntax: fix: correct the HCL syntax (terraform validate shows where) — "
    )


def test_module_docs_string_defaults_and_heredoc_descriptions(tmp_path: Path) -> None:
    variables = textwrap.dedent(
        '''\
        variable "mode" {
          description = <<-EOT
            How it runs:
            fast or slow.
          EOT
          type        = string
          default     = "fast"
        }

        variable "ids" {
          description = "IDs."
          type        = list(string)
          default     = ["a", "b"]
        }

        variable "key" {
          description = "Key ARN or null."
          type        = string
          default     = null
        }
        '''
    )
    module = _module(tmp_path, variables=variables)

    main(["module-docs", "--root", str(tmp_path)])

    rows = [line for line in (module / "README.md").read_text().splitlines() if line.startswith(("| mode ", "| ids ", "| key "))]
    assert rows == [
        '| ids | IDs. | `list(string)` | `["a", "b"]` | no |',
        "| key | Key ARN or null. | `string` | `null` | no |",
        '| mode | How it runs:<br>fast or slow. | `string` | `"fast"` | no |',
    ]


def test_module_docs_repository_readmes_are_current(tmp_path: Path) -> None:
    # A copy, so that a missing or stale README fails here without this test writing anything.
    shutil.copytree(REPO_ROOT / "modules", tmp_path / "modules", ignore=shutil.ignore_patterns(".terraform*"))

    assert main(["module-docs", "--root", str(tmp_path), "--check"]) == 0
