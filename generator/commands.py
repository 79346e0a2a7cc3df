"""The generator's commands as library functions: typed arguments in, exit code out."""

from __future__ import annotations

import sys
from pathlib import Path

from generator import quotas
from generator.catalog import Repository, load_repository, resolve
from generator.errors import StaleFiles, UsageError
from generator.fsutil import stale_files, write_all_atomically
from generator.render import render_files


def _environments(repo: Repository, env: str | None, all_envs: bool) -> list[str]:
    if all_envs:
        return sorted(repo.environments)
    if env is None:
        raise UsageError("fix: pass --env ENV or --all")
    if env not in repo.environments:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(f"fix: use one of the environments ({known}) — environment {env!r} has no environments/{env}/environment.yaml")
    return [env]


def validate(root: Path) -> int:
    repo = load_repository(root)
    resolved = resolve(repo)
    quotas.report(repo.environments, resolved)
    count = sum(len(v) for v in resolved.values())
    print(f"ok: {len(repo.endpoints)} endpoints, {len(repo.environments)} environments, {count} deployments")
    return 0


def render(root: Path, env: str | None, all_envs: bool, check: bool) -> int:
    repo = load_repository(root)
    envs = _environments(repo, env, all_envs)
    resolved = resolve(repo, envs)
    quotas.report(repo.environments, resolved)
    files = render_files(repo, resolved)
    if check:
        stale = stale_files(files)
        if stale:
            raise StaleFiles([p.relative_to(root).as_posix() for p in stale])
        print(f"ok: generated files are current for {', '.join(envs)}")
        return 0
    changed = write_all_atomically(files)
    for path in changed:
        print(f"wrote {path.relative_to(root).as_posix()}", file=sys.stderr)
    if not changed:
        print(f"ok: generated files were already current for {', '.join(envs)}", file=sys.stderr)
    return 0
