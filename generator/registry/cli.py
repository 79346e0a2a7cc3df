"""`python -m generator registry pin|check`: digest pinning and the registry pre-flight."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.registry import check, pin

LOGIN_HELP = (
    "Login: REGISTRY_USERNAME and REGISTRY_PASSWORD when both are set, otherwise the environment's "
    "credentials_secret_arn read from Secrets Manager (the embedded AWS for the local environment)."
)


def _pin(args: argparse.Namespace) -> int:
    return pin.pin(args.root.resolve(), args.env, args.dry_run, args.ca_bundle)


def _check(args: argparse.Namespace) -> int:
    return check.check(args.root.resolve(), args.env, args.ca_bundle)


def register(sub: argparse._SubParsersAction) -> None:
    registry = sub.add_parser(
        "registry", help="pin catalog images by digest; pre-flight an environment's registries"
    )
    actions = registry.add_subparsers(dest="registry_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--root",
            type=Path,
            default=Path("."),
            help="repository root (default: current directory)",
        )
        p.add_argument(
            "--ca-bundle",
            type=Path,
            metavar="FILE",
            help="trust only this PEM CA bundle instead of the system store (private test registries; "
            "SageMaker itself trusts public CAs only)",
        )

    p = actions.add_parser(
        "pin",
        help="replace image tags in catalog/*.yaml with the digests the registry holds",
        description="Resolve every catalog image given by tag with HEAD /v2/<repo>/manifests/<tag> and "
        "rewrite it as <host>/<repo>@sha256:..., keeping comments and key order. " + LOGIN_HELP,
    )
    common(p)
    p.add_argument(
        "--env", help="pin only the images this environment deploys (default: every environment)"
    )
    p.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    p.set_defaults(handler=_pin)

    p = actions.add_parser(
        "check",
        help="pre-flight: TLS, V2 API, login and every image digest of one environment",
        description="Check each registry of an environment as SageMaker will use it; exit 1 on any failure. "
        + LOGIN_HELP,
    )
    common(p)
    p.add_argument("--env", required=True, help="environment to check")
    p.set_defaults(handler=_check)
