"""One function per subcommand: take the parsed arguments, call library code, print its result,
return the exit code.

Each handler imports what it needs when it runs: `summary` of a 10,000-resource plan must not
pay for pydantic, boto3 or Terraform's runner, and `--help` must not import the emulator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _start_toolchain_check(args: argparse.Namespace) -> None:
    """`terraform version` runs while the workflow's modules (pydantic, the catalog) import."""
    from generator.deploy.terraform import start_toolchain_check

    start_toolchain_check(args.root.resolve())


def validate(args: argparse.Namespace) -> int:
    from generator.catalog import quotas
    from generator.catalog.loader import load_repository, resolve

    repo = load_repository(args.root.resolve())
    resolved = resolve(repo)
    quotas.report(repo, resolved, show=args.quotas)
    count = sum(len(v) for v in resolved.values())
    print(f"ok: {len(repo.endpoints)} endpoints, {len(repo.environments)} environments, {count} deployments")
    return 0


def render(args: argparse.Namespace) -> int:
    from generator.render import tfvars

    root = args.root.resolve()
    envs, written = tfvars.render_environments(root, args.env, all_envs=args.all, check=args.check)
    if args.check:
        print(f"ok: generated files are current for {', '.join(envs)}")
        return 0
    for path in written:
        _say(f"{'wrote' if (root / path).exists() else 'removed'} {path}")
    if not written:
        _say(f"ok: generated files were already current for {', '.join(envs)}")
    return 0


def plan(args: argparse.Namespace) -> int:
    _start_toolchain_check(args)
    from generator.deploy import workflow

    result = workflow.plan(
        args.root.resolve(), args.env, state=args.state, destroy=args.destroy, parallelism=args.parallelism, role=args.role, out=args.out
    )
    for state in result.states:
        if state.planned:
            print(f"{'changes' if state.has_changes else 'no changes'}: {state.plan_json}")
        else:
            print(f"not planned, nothing to plan: {state.state.project}")
    return 0


def capacity(args: argparse.Namespace) -> int:
    from generator.deploy import capacity_command
    from generator.review.capacity import markdown

    root = args.root.resolve()
    plans = [p.resolve() for p in args.plan] if args.plan else None
    result = capacity_command.run(root, args.env, plans=plans, with_prices=args.update_prices)
    warning, section = markdown(result)
    sys.stdout.write(warning + section)
    return 1 if result.shortfalls else 0


def _confirmed(args: argparse.Namespace, verb: str) -> bool:
    """Outside the emulator, a change to a real account needs --yes or the environment's name typed."""
    from generator.catalog.loader import load_repository
    from generator.common.errors import UsageError

    env = load_repository(args.root.resolve()).environments.get(args.env)
    if env is None or env.settings.emulator or args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"fix: pass --yes (make {verb} ENV={args.env} CONFIRM=yes) — refusing to change a real account without confirmation")
    answer = input(f"{verb.capitalize()} environment {args.env} (account {env.settings.aws.account_id})? Type the environment name: ")
    if answer.strip() != args.env:
        print("aborted", file=sys.stderr)
        return False
    return True


def apply(args: argparse.Namespace) -> int:
    _start_toolchain_check(args)
    from generator.deploy import workflow

    if not _confirmed(args, "destroy" if args.destroy else "apply"):
        return 1
    workflow.apply(
        args.root.resolve(), args.env, state=args.state, destroy=args.destroy, parallelism=args.parallelism, role=args.role, plan_file=args.plan_file
    )
    return 0


def move(args: argparse.Namespace) -> int:
    from generator.deploy import moves

    if not _confirmed(args, "move"):
        return 1
    done = moves.move_endpoint(args.root.resolve(), args.env, args.endpoint)
    print(f"moved {done.endpoint} ({len(done.resources)} resources) from {done.source.project} to {done.target.project}; both states are applied")
    return 0


def migrate(args: argparse.Namespace) -> int:
    from generator.catalog.loader import load_repository
    from generator.deploy import moves

    if not _confirmed(args, "migrate"):
        return 1
    done = moves.migrate_single_state(args.root.resolve(), args.env)
    key = load_repository(args.root.resolve()).environments[args.env].settings.backend.key
    into = ", ".join(f"{state.project} ({len(modules)} modules)" for state, modules in sorted(done.items()))
    print(f"migrated {key} into {into}; every state is applied")
    return 0


def local(args: argparse.Namespace) -> int:
    from generator.emulator import launcher

    root = args.root.resolve()
    if args.action == "up":
        started, fresh, env_name = launcher.up(root)
        if not fresh:
            print(f"AWS emulator already running at {started.url}")
        else:
            print(f"AWS emulator running at {started.url} (seeded for {env_name}); `make local-down` stops it")
    elif args.action == "down":
        print(launcher.stop(root))
    else:
        running = launcher.running(root)
        print(f"running at {running.url} (pid {running.pid})" if running else "not running")
        return 0 if running else 3
    return 0


def package_lambda(args: argparse.Namespace) -> int:
    from generator.deploy import lambda_package

    print(lambda_package.package(args.root.resolve()))
    return 0


def schema(args: argparse.Namespace) -> int:
    from generator.catalog import schema as schemas
    from generator.common.files import check_or_write
    from generator.common.layout import SCHEMA_DIR

    root = args.root.resolve()
    written = check_or_write(root, schemas.schema_files(root), check=args.check, command="`python -m generator schema`", what="schema files")
    if args.check:
        print(f"ok: {SCHEMA_DIR}/ is current")
    for path in written:
        _say(f"wrote {path}")
    return 0


def new_endpoint(args: argparse.Namespace) -> int:
    from generator.render import scaffold

    root = args.root.resolve()
    envs = [e.strip() for e in args.envs.split(",") if e.strip()] if args.envs else None
    resolver = scaffold.registry_resolver(root, args.ca_bundle)
    written = scaffold.new_endpoint(root, args.name, args.image, envs, owner=args.owner, description=args.description, resolver=resolver)
    for path in written:
        _say(f"wrote {path.relative_to(root).as_posix()}")
    print(f"created {written[0].relative_to(root).as_posix()}; next: `make plan` to review it, then open a pull request")
    return 0


def registry_pin(args: argparse.Namespace) -> int:
    from generator.registry import pin

    return pin.pin(args.root.resolve(), args.env, args.dry_run, args.ca_bundle)


def registry_check(args: argparse.Namespace) -> int:
    from generator.registry import check

    return check.check(args.root.resolve(), args.env, args.ca_bundle)


def summary(args: argparse.Namespace) -> int:
    from generator.review import summary as review

    text = review.summary_markdown(args.plan_json)
    if args.out:
        from generator.common.files import write_atomically

        write_atomically(args.out, text)
        _say(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def atlantis(args: argparse.Namespace) -> int:
    from generator.common.layout import ATLANTIS_FILE
    from generator.render import atlantis as config

    root = args.root.resolve()
    written, projects = config.check_or_write(root, check=args.check)
    if args.check:
        print(f"ok: {ATLANTIS_FILE} is current ({projects} projects)")
    elif written:
        for path in written:
            _say(f"wrote {path}")
    else:
        _say(f"ok: {ATLANTIS_FILE} was already current")
    return 0


def module_docs(args: argparse.Namespace) -> int:
    from generator.common.files import check_or_write
    from generator.render.module_docs import render_readmes

    root = args.root.resolve()
    files = render_readmes(root)
    written = check_or_write(root, files, check=args.check, command="`python -m generator module-docs`", what="module READMEs")
    if args.check:
        print(f"ok: {len(files)} module READMEs are current")
    for path in written:
        _say(f"wrote {path}")
    if not args.check and not written:
        _say(f"ok: {len(files)} module READMEs were already current")
    return 0


def emulator_server(args: argparse.Namespace) -> int:
    from generator.emulator import server

    server.serve(args.port)
    return 0
