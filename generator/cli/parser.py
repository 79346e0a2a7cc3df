"""Every command, flag and help text of `python -m generator`, and nothing else.

Options that several commands share (`--root`, `--env`, `--all`, `--check`, `--ca-bundle`)
are declared once, by the helpers at the top; each subcommand names its handler in
`generator.cli.handlers`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.cli import handlers

LOGIN_HELP = (
    "Login: for the registry whose host equals REGISTRY_HOST, REGISTRY_USERNAME and REGISTRY_PASSWORD "
    "when all three are set; for every other registry its credentials_secret_arn read from Secrets "
    "Manager (the embedded AWS for the local environment). The login goes only to the registry host "
    "and the token_hosts listed for it in environment.yaml."
)


def _root(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path("."), help="repository root (default: current directory)")


def _env(p: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup, help: str, **kwargs: object) -> None:  # noqa: A002
    p.add_argument("--env", help=help, **kwargs)  # type: ignore[arg-type]


def _env_or_all(p: argparse.ArgumentParser, what: str) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    _env(which, f"environment to {what}")
    which.add_argument("--all", action="store_true", help=f"{what} every environment")


def _states(p: argparse.ArgumentParser, verb: str) -> None:
    p.add_argument("--state", metavar="NAME", help=f"{verb} only this state: base or a group (catalog/<group>/); default every state")
    p.add_argument("--parallelism", type=int, default=None, metavar="N", help="states run at once (default: the number of cores)")


def _role(p: argparse.ArgumentParser, role: str) -> None:
    p.add_argument("--role", choices=[role], help=f"assume the environment's aws.{role}_role_arn with the loaded credentials (Atlantis does)")


def _yes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation (changes to real accounts ask otherwise)")


def _check(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--check", action="store_true", help=f"write nothing; exit 1 when {what}")


def _ca_bundle(p: argparse.ArgumentParser, help: str, **kwargs: object) -> None:  # noqa: A002
    p.add_argument("--ca-bundle", type=Path, default=None, help=help, **kwargs)  # type: ignore[arg-type]


def _command(sub: argparse._SubParsersAction, name: str, handler: handlers.Handler, **kwargs: object) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, **kwargs)  # type: ignore[arg-type]
    _root(p)
    p.set_defaults(handler=handler)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Validate the endpoint catalog and render Terraform inputs.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "validate", handlers.validate, help="validate catalog/ and environments/ (exit 2 when invalid)")
    p.add_argument("--quotas", action="store_true", help="also print each environment's quota figures (security-group rules, roles, policy size)")

    p = _command(sub, "render", handlers.render, help="render environments/<env>/*.tfvars.json and backend.hcl")
    _env_or_all(p, "render")
    _check(p, "a generated file is stale")

    p = _command(sub, "plan", handlers.plan, help="render, init and plan every state of one environment; writes build/<env>/<state>/plan.json and build/<env>/plan.md")
    _env(p, "environment to plan (default: local)", default="local")
    _states(p, "plan")
    _role(p, "plan")
    p.add_argument("--out", type=Path, metavar="FILE", help="also copy the plan file of the one --state to FILE (Atlantis's $PLANFILE)")
    p.add_argument("--destroy", action="store_true", help="plan the destruction of the environment")

    p = _command(
        sub, "capacity", handlers.capacity,
        help="compare the plan's SageMaker instances at their peak with the account's quotas (exit 1 on a shortfall)",
        description="Reads build/<env>/plan.json (and build/<env>/<state>/plan.json), the account's Service Quotas and the "
        "endpoints already running; writes build/<env>/capacity.md. Without credentials it reviews the plan alone.",
    )
    _env(p, "environment whose plan to review", required=True)
    p.add_argument("--plan", type=Path, action="append", metavar="PLAN_JSON", help="review this plan JSON instead (repeat for several states)")
    p.add_argument("--update-prices", action="store_true", help="first fetch on-demand prices from the AWS Price List API into build/prices/<region>.json")

    p = _command(sub, "apply", handlers.apply, help="plan and apply one environment, base first (asks for confirmation outside the emulator)")
    _env(p, "environment to apply (default: local)", default="local")
    _states(p, "apply")
    _role(p, "apply")
    p.add_argument("--plan-file", type=Path, metavar="FILE", help="apply this reviewed plan file of the one --state instead of planning again")
    p.add_argument("--destroy", action="store_true", help="destroy every resource of the environment (groups first, then base)")
    _yes(p)

    p = _command(
        sub,
        "move",
        handlers.move,
        help="after an endpoint's catalog file moved to another group: move its resources to that group's state, then apply both (nothing is re-created)",
    )
    _env(p, "environment whose states to change", required=True)
    p.add_argument("--endpoint", required=True, metavar="NAME", help="the endpoint whose catalog file moved")
    _yes(p)

    p = _command(
        sub,
        "migrate",
        handlers.migrate,
        help="move an environment applied as one state (before endpoint groups) into its base and group states, then apply them",
    )
    _env(p, "environment to migrate", required=True)
    _yes(p)

    p = _command(sub, "local", handlers.local, help="start (up), stop (down) or query (status) the embedded AWS emulator")
    p.add_argument("action", choices=["up", "down", "status"])

    _command(sub, "package-lambda", handlers.package_lambda, help="build the registry-credentials Lambda zip reproducibly")

    p = _command(sub, "schema", handlers.schema, help="write schemas/*.schema.json (editor validation of catalog and environment files)")
    _check(p, "a schema file is stale")

    p = _command(sub, "new-endpoint", handlers.new_endpoint, help="scaffold catalog/<name>.yaml with sensible defaults and render the environments")
    p.add_argument("--name", required=True, help="endpoint name, also the file name")
    p.add_argument("--image", required=True, help="<registry-host>/<repository>@sha256:<digest> (or :tag when the registry is reachable)")
    p.add_argument("--envs", default="", help="comma-separated environments (default: the local emulator environment and dev)")
    p.add_argument("--owner", default="", help="team or mailbox that answers for the endpoint")
    p.add_argument("--description", default="", help="one line saying what the endpoint serves")
    _ca_bundle(p, "trust this CA file for the registry (a private CA; said loudly)")

    _registry(sub)

    p = sub.add_parser("summary", help="markdown review summary of `terraform show -json` output (a PR comment)")
    p.add_argument("plan_json", type=Path, metavar="PLAN_JSON", help="e.g. build/<env>/plan.json")
    p.add_argument("--out", type=Path, help="write the summary to FILE instead of stdout")
    p.set_defaults(handler=handlers.summary)

    p = _command(sub, "atlantis", handlers.atlantis, help="write atlantis.yaml (one project per environment); --check only verifies it")
    _check(p, "atlantis.yaml is stale or misses an environment")

    p = _command(sub, "module-docs", handlers.module_docs, help="regenerate the inputs/outputs tables of modules/*/README.md")
    _check(p, "a README is stale")

    # Not for people: the process `local up` starts (the emulator's HTTP server).
    p = sub.add_parser("emulator-server")
    p.add_argument("--port", type=int, required=True)
    p.set_defaults(handler=handlers.emulator_server)
    return parser


def _registry(sub: argparse._SubParsersAction) -> None:
    registry = sub.add_parser("registry", help="pin catalog images by digest; pre-flight an environment's registries")
    actions = registry.add_subparsers(dest="registry_command", required=True, metavar="ACTION")
    trust = (
        "trust only this PEM CA bundle instead of the system store (private test registries; "
        "SageMaker itself trusts public CAs only)"
    )
    p = _command(
        actions,
        "pin",
        handlers.registry_pin,
        help="replace image tags in catalog/*.yaml with the digests the registry holds",
        description="Resolve every catalog image given by tag with HEAD /v2/<repo>/manifests/<tag> and "
        "rewrite it as <host>/<repo>@sha256:..., keeping comments and key order. " + LOGIN_HELP,
    )
    _ca_bundle(p, trust, metavar="FILE")
    _env(p, "pin only the images this environment deploys (default: every environment)")
    p.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")

    p = _command(
        actions,
        "check",
        handlers.registry_check,
        help="pre-flight: TLS, V2 API, login and every image digest of one environment",
        description="Check each registry of an environment as SageMaker will use it; exit 1 on any failure. " + LOGIN_HELP,
    )
    _ca_bundle(p, trust, metavar="FILE")
    _env(p, "environment to check", required=True)
