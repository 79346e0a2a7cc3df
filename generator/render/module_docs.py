"""Generated inputs/outputs tables of every module README (`python -m generator module-docs`).

Each `modules/<name>/README.md` carries a block between BEGIN_MARKER and END_MARKER that is
rendered from the module's own `*.tf` files (parsed with python-hcl2: terraform-docs cannot be
installed here); the prose around the block is the author's and is never touched. `--check`
writes nothing and fails when a block differs from a fresh render, so CI rejects stale docs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.common.errors import InvalidInput, Problem

BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"
MODULES_DIR = Path("modules")

_VARIABLE_ORDER = ("description", "type", "default")


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: str
    default: str | None  # rendered as HCL/JSON literal; None when the variable is required


@dataclass(frozen=True)
class Output:
    name: str
    description: str


@dataclass(frozen=True)
class ModuleDoc:
    requirements: tuple[tuple[str, str], ...]
    resources: tuple[tuple[str, str], ...]
    variables: tuple[Variable, ...]
    outputs: tuple[Output, ...]


def module_dirs(root: Path) -> list[Path]:
    """Every module: a directory under modules/ with at least one .tf file, in name order."""
    base = root / MODULES_DIR
    return sorted(d for d in base.iterdir() if d.is_dir() and any(d.glob("*.tf"))) if base.is_dir() else []


def read_module(module_dir: Path, root: Path) -> ModuleDoc:
    """Parse a module's top-level `*.tf` files; raise InvalidInput listing every problem found."""
    # Imported here: every other subcommand would pay for loading the HCL grammar.
    import hcl2
    from hcl2 import SerializationOptions

    # Plain Python values (unquoted strings, dicts, lists) instead of python-hcl2's round-trip form.
    options = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True, preserve_heredocs=False)
    problems: list[Problem] = []
    requirements: dict[str, str] = {}
    resources: list[tuple[str, str]] = []
    variables: list[Variable] = []
    outputs: list[Output] = []
    for path in sorted(module_dir.glob("*.tf")):
        where = path.relative_to(root).as_posix()
        try:
            with path.open(encoding="utf-8") as handle:
                parsed = hcl2.load(handle, serialization_options=options)
        except Exception as exc:  # python-hcl2 raises lark's many exception types
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problems.append(Problem(where, None, "syntax", "correct the HCL syntax (terraform validate shows where)", first_line))
            continue
        for block in parsed.get("terraform", []):
            if "required_version" in block:
                requirements["terraform"] = block["required_version"]
            for providers in block.get("required_providers", []):
                for name, spec in providers.items():
                    requirements[name] = spec.get("version", "") if isinstance(spec, dict) else str(spec)
        for kind, label in (("resource", "resource"), ("data", "data source")):
            for block in parsed.get(kind, []):
                for rtype, named in block.items():
                    resources.extend((f"{'data.' if kind == 'data' else ''}{rtype}.{name}", label) for name in named)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                problems.extend(_variable_problems(where, name, body))
                variables.append(_variable(name, body))
        for block in parsed.get("output", []):
            for name, body in block.items():
                if not body.get("description"):
                    problems.append(Problem(where, None, f"output {name}", "add a one-sentence description", "it would show as blank in the README"))
                outputs.append(Output(name, _text(body.get("description", ""))))
    if problems:
        raise InvalidInput(problems)
    ordered = sorted(requirements.items(), key=lambda item: (item[0] != "terraform", item[0]))
    return ModuleDoc(
        requirements=tuple(ordered),
        resources=tuple(sorted(resources)),
        variables=tuple(sorted(variables, key=lambda v: v.name)),
        outputs=tuple(sorted(outputs, key=lambda o: o.name)),
    )


def _variable_problems(where: str, name: str, body: dict[str, Any]) -> list[Problem]:
    problems = []
    if not body.get("description"):
        problems.append(Problem(where, None, f"variable {name}", "add a one-sentence description naming the allowed values", "it has none"))
    if "type" not in body:
        problems.append(Problem(where, None, f"variable {name}", "add a type constraint", "untyped variables accept anything"))
    present = [key for key in body if key in _VARIABLE_ORDER]
    if present != [key for key in _VARIABLE_ORDER if key in body]:
        problems.append(Problem(where, None, f"variable {name}", "write description, then type, then default", f"found {', '.join(present)}"))
    return problems


def _variable(name: str, body: dict[str, Any]) -> Variable:
    default = _literal(body["default"]) if "default" in body else None
    return Variable(name, _text(body.get("description", "")), _expression(body.get("type", "any")), default)


def _text(value: str) -> str:
    # Undo HCL's template escapes, which python-hcl2 keeps.
    return value.replace("$${", "${").replace("%%{", "%{")


def _expression(value: str) -> str:
    """python-hcl2 wraps non-literal expressions in ${...}; the README shows them bare."""
    match = re.fullmatch(r"\$\{(.*)\}", value, flags=re.DOTALL)
    return match.group(1) if match else value


def _literal(value: Any) -> str:
    if isinstance(value, str):
        stripped = _expression(value)
        return stripped if stripped != value else json.dumps(_text(value), ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _cell(text: str) -> str:
    """Plain table text: a bare <region> would vanish as an unknown HTML tag."""
    return text.replace("<", "&lt;").replace("|", "\\|").replace("\n", "<br>")


def _code(text: str) -> str:
    """A code span in a table cell: only the column separator needs escaping."""
    return "`" + text.replace("\n", " ").replace("|", "\\|") + "`"


def render_block(doc: ModuleDoc) -> str:
    """The generated Markdown between the markers (markers included), deterministic."""
    lines = [BEGIN_MARKER, "## Requirements", "", "| Name | Version |", "|------|---------|"]
    lines += [f"| {name} | {_cell(version)} |" for name, version in doc.requirements]
    lines += ["", "## Resources", "", "| Name | Type |", "|------|------|"]
    lines += [f"| {address} | {kind} |" for address, kind in doc.resources]
    lines += ["", "## Inputs", ""]
    if doc.variables:
        lines += ["| Name | Description | Type | Default | Required |", "|------|-------------|------|---------|:--------:|"]
        lines += [
            f"| {v.name} | {_cell(v.description)} | {_code(v.type)} | {'n/a' if v.default is None else _code(v.default)} | {'yes' if v.default is None else 'no'} |"
            for v in doc.variables
        ]
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if doc.outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        lines += [f"| {o.name} | {_cell(o.description)} |" for o in doc.outputs]
    else:
        lines.append("No outputs.")
    lines.append(END_MARKER)
    return "\n".join(lines)


def update_readme(text: str, block: str, where: str) -> str:
    """Replace the marked block of a README; everything outside the markers stays as written."""
    begin, end = text.count(BEGIN_MARKER), text.count(END_MARKER)
    if begin != 1 or end != 1 or text.index(BEGIN_MARKER) > text.index(END_MARKER):
        raise InvalidInput([
            Problem(where, None, "generated block", f"put exactly one {BEGIN_MARKER} line and, after it, one {END_MARKER} line where the tables belong",
                    f"found {begin} begin and {end} end markers")
        ])
    head, rest = text.split(BEGIN_MARKER, 1)
    _, tail = rest.split(END_MARKER, 1)
    return f"{head}{block}{tail}"


def render_readmes(root: Path) -> dict[Path, str]:
    """The expected content of every module README; collects the problems of all modules."""
    files: dict[Path, str] = {}
    problems: list[Problem] = []
    for module_dir in module_dirs(root):
        readme = module_dir / "README.md"
        where = readme.relative_to(root).as_posix()
        try:
            block = render_block(read_module(module_dir, root))
            if not readme.is_file():
                raise InvalidInput([Problem(where, None, "file", f"create it with a title, a short description and the lines {BEGIN_MARKER} and {END_MARKER}", "the module has no README")])
            files[readme] = update_readme(readme.read_text(encoding="utf-8"), block, where)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return files
