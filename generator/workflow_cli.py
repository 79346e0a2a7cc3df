"""Subcommands that drive Terraform and the embedded emulator (used by the Makefile)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import emulator, lambda_package, workflow
from generator.catalog import load_repository
from generator.errors import UsageError


def _plan(args: argparse.Namespace) -> int:
    result = workflow.plan(args.root.resolve(), args.env, destroy=args.destroy)
    print(f"{'changes' if result.has_changes else 'no changes'}: {result.plan_json}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    repo = load_repository(root)
    env = repo.environments.get(args.env)
    if env is not None and not env.settings.emulator and not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"fix: pass --yes (make {'destroy' if args.destroy else 'apply'} ENV={args.env} CONFIRM=yes) — refusing to change a real account without confirmation")
        answer = input(f"{'Destroy' if args.destroy else 'Apply'} environment {args.env} (account {env.settings.aws.account_id})? Type the environment name: ")
        if answer.strip() != args.env:
            print("aborted", file=sys.stderr)
            return 1
    workflow.apply(root, args.env, destroy=args.destroy)
    return 0


def _local(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if args.action == "up":
        existing = emulator.running(root)
        if existing:
            print(f"AWS emulator already running at {existing.url}")
            return 0
        repo = load_repository(root)
        local = next((e for e in repo.environments.values() if e.settings.emulator), None)
        if local is None:
            raise UsageError("fix: mark one environment with `emulator: true` — none uses the embedded AWS")
        started = emulator.start(root)
        emulator.seed(started, local.settings)
        print(f"AWS emulator running at {started.url} (seeded for {local.name}); `make local-down` stops it")
    elif args.action == "down":
        print("AWS emulator stopped" if emulator.stop(root) else "no AWS emulator was running")
    else:
        running = emulator.running(root)
        print(f"running at {running.url} (pid {running.pid})" if running else "not running")
        return 0 if running else 3
    return 0


def _package(args: argparse.Namespace) -> int:
    print(lambda_package.package(args.root.resolve()))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    def root(p: argparse.ArgumentParser) -> None:
        p.add_argument("--root", type=Path, default=Path("."), help="repository root (default: current directory)")

    p = sub.add_parser("plan", help="render, init and plan one environment; writes build/<env>/plan.tfplan and plan.json")
    root(p)
    p.add_argument("--env", default="local")
    p.add_argument("--destroy", action="store_true", help="plan the destruction of the environment")
    p.set_defaults(handler=_plan)

    p = sub.add_parser("apply", help="plan and apply one environment (asks for confirmation outside the emulator)")
    root(p)
    p.add_argument("--env", default="local")
    p.add_argument("--destroy", action="store_true", help="destroy every resource of the environment")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=_apply)

    p = sub.add_parser("local", help="start (up), stop (down) or query (status) the embedded AWS emulator")
    root(p)
    p.add_argument("action", choices=["up", "down", "status"])
    p.set_defaults(handler=_local)

    p = sub.add_parser("package-lambda", help="build the registry-credentials Lambda zip reproducibly")
    root(p)
    p.set_defaults(handler=_package)
