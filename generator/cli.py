"""The one command-line entry: parse arguments, dispatch to library code, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import atlantis, commands, module_docs, scaffold, schema, summary, workflow_cli
from generator.errors import GeneratorError, InvalidInput
from generator.registry import cli as registry_cli

Handler = Callable[[argparse.Namespace], int]


def _root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root (default: current directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Validate the endpoint catalog and render Terraform inputs.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="validate catalog/ and environments/ (exit 2 when invalid)")
    _root(p)
    p.set_defaults(handler=lambda a: commands.validate(a.root.resolve()))

    p = sub.add_parser("render", help="render environments/<env>/*.tfvars.json and backend.hcl")
    _root(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--env", help="environment to render")
    which.add_argument("--all", action="store_true", help="render every environment")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a generated file is stale")
    p.set_defaults(handler=lambda a: commands.render(a.root.resolve(), a.env, a.all, a.check))

    # Each feature module adds its own subcommands; this module stays a table of contents.
    for register in (workflow_cli.register, schema.register, scaffold.register, registry_cli.register, summary.register, atlantis.register, module_docs.register):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except InvalidInput as exc:
        count = len(exc.problems)
        print(f"error: {count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
