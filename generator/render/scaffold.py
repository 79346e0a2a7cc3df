"""`make new-endpoint`: write a new catalog file with sensible defaults and render the environments.

Nothing is written unless the whole repository, new endpoint included, validates and renders:
the new file is checked in memory with the same loader, models and cross-file rules as
`validate`, so a scaffolded endpoint never needs a second fix-up commit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from generator.catalog.loader import (
    Endpoint,
    Environment,
    Repository,
    SourceFile,
    load_repository,
    resolve,
)
from generator.catalog.models import CatalogEntry, image_host
from generator.catalog.problems import problems_from_validation
from generator.catalog.schema import CATALOG_SCHEMA_COMMENT
from generator.catalog.yamlio import load_yaml
from generator.common import rules
from generator.common.errors import InvalidInput, UsageError
from generator.common.files import write_all_atomically, write_atomically
from generator.common.layout import CATALOG_DIR, ENVIRONMENT_FILE, ENVIRONMENTS_DIR
from generator.render.tfvars import render_files

DEFAULT_INSTANCE_TYPE = "ml.m5.large"
DEFAULT_INSTANCE_COUNT = 1
# Where a new endpoint goes when ENVS is not given: the emulator (so `make plan` shows it at
# once) and dev. Staging and prod are a deliberate, reviewed second step.
DEFAULT_ENVIRONMENTS = ("dev",)

# Resolves `host/repository:tag` to `host/repository@sha256:...` through an environment's registry.
TagResolver = Callable[[str, Environment], str]


def default_environments(repo: Repository) -> list[str]:
    chosen = {name for name, env in repo.environments.items() if env.settings.emulator}
    chosen.update(name for name in DEFAULT_ENVIRONMENTS if name in repo.environments)
    if not chosen:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(f"fix: pass ENVS=<comma-separated, from {known}> — there is no local or dev environment to default to")
    return sorted(chosen)


def check_name(name: str, repo: Repository) -> None:
    if not name:
        raise UsageError("fix: pass NAME=<endpoint-name> (make new-endpoint NAME=... IMAGE=...) — NAME is empty")
    if not rules.matches(rules.SAGEMAKER_NAME, name) or len(name) > rules.MAX_ENDPOINT_NAME_LENGTH:
        raise UsageError(
            f"fix: use 1-{rules.MAX_ENDPOINT_NAME_LENGTH} letters, digits and hyphens, starting and ending with a letter or digit"
            f" — {rules.excerpt(name)} is not a valid endpoint name"
        )
    path = repo.root / CATALOG_DIR / f"{name}.yaml"
    clash = next((e for e in repo.endpoints.values() if e.entry.name.lower() == name.lower()), None)
    if path.exists() or clash is not None:
        existing = clash.source.path if clash else f"{CATALOG_DIR}/{name}.yaml"
        raise UsageError(f"fix: choose another NAME, or edit {existing} — endpoint {name!r} already exists")


def check_environments(envs: list[str], repo: Repository) -> None:
    unknown = [e for e in envs if e not in repo.environments]
    if unknown:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(
            f"fix: use environments from {known}, or add {ENVIRONMENTS_DIR}/<env>/{ENVIRONMENT_FILE} first"
            f" — unknown: {', '.join(unknown)}"
        )


def check_image(image: str) -> None:
    if not image:
        raise UsageError("fix: pass IMAGE=<registry-host>/<repository>@sha256:<64 lowercase hex> — IMAGE is empty")
    if not rules.matches(rules.DIGEST_IMAGE, image) and not rules.matches(rules.TAG_IMAGE, image):
        raise UsageError(
            "fix: give IMAGE as <registry-host>/<repository>@sha256:<64 lowercase hex> or <registry-host>/<repository>:<tag>"
            f" — {rules.excerpt(image)} is not an image reference"
        )


def pinned_image(image: str, envs: list[str], repo: Repository, resolver: TagResolver | None) -> str:
    """The image by digest: as given, or resolved from its tag through the registry."""
    if rules.matches(rules.DIGEST_IMAGE, image):
        return image
    tagged = rules.tag_image_parts(image)
    assert tagged is not None, "check_image runs first"
    base = f"{tagged.group('host')}/{tagged.group('repository')}"
    if resolver is None:
        raise UsageError(
            f"fix: give IMAGE as {base}@sha256:<64 lowercase hex> — the tag ':{tagged.group('tag') or 'latest'}' "
            "cannot be resolved to a digest here (no registry client is available), and a catalog "
            "image must be pinned by digest"
        )
    # Any selected environment that knows the host can resolve it; the digest is the same in all.
    env = next(repo.environments[e] for e in envs if _registry_of(image, repo.environments[e]))
    return resolver(image, env)


def _registry_of(image: str, env: Environment) -> str | None:
    host = image_host(image)
    return next((name for name, r in env.settings.registries.items() if r.host == host), None)


def check_registry(image: str, envs: list[str], repo: Repository) -> None:
    missing = [e for e in envs if _registry_of(image, repo.environments[e]) is None]
    if missing:
        host = image_host(image)
        raise UsageError(
            f"fix: push the image to a registry of {', '.join(missing)}, or add {host} under registries "
            f"in {ENVIRONMENTS_DIR}/{missing[0]}/{ENVIRONMENT_FILE} — registry host {host!r} is not known there"
        )


def catalog_text(name: str, image: str, envs: list[str], owner: str = "", description: str = "") -> str:
    """The new catalog file: every field people usually change, written out with its default."""
    lines = [
        CATALOG_SCHEMA_COMMENT,
        "# Override fields per environment under environments, e.g. prod: {initial_instance_count: 2}",
        f"name: {name}",
        f"description: {json.dumps(description, ensure_ascii=False)}",
        f"owner: {json.dumps(owner, ensure_ascii=False)}",
        f"image: {image}",
        f"instance_type: {DEFAULT_INSTANCE_TYPE}",
        f"initial_instance_count: {DEFAULT_INSTANCE_COUNT}",
        "environments:",
        *(f"  {env}: {{}}" for env in envs),
    ]
    return "\n".join(lines) + "\n"


def new_endpoint(
    root: Path,
    name: str,
    image: str,
    envs: list[str] | None = None,
    *,
    owner: str = "",
    description: str = "",
    resolver: TagResolver | None = None,
) -> list[Path]:
    """Create catalog/<name>.yaml and re-render the environments; return the paths written."""
    repo = load_repository(root)
    check_name(name, repo)
    chosen = default_environments(repo) if not envs else sorted(set(envs))
    check_environments(chosen, repo)
    check_image(image)
    check_registry(image, chosen, repo)
    image = pinned_image(image, chosen, repo, resolver)

    path = root / CATALOG_DIR / f"{name}.yaml"
    text = catalog_text(name, image, chosen, owner, description)
    source = SourceFile(f"{CATALOG_DIR}/{name}.yaml", load_yaml(text))
    try:
        entry = CatalogEntry.model_validate(source.loaded.data)
    except ValidationError as exc:
        raise InvalidInput(problems_from_validation(exc, file=source.path, loaded=source.loaded, model=CatalogEntry)) from None
    repo.endpoints[name] = Endpoint(entry, source)
    rendered = render_files(repo, resolve(repo))

    write_atomically(path, text)
    return [path, *write_all_atomically(rendered)]


def registry_resolver(root: Path, ca_bundle: Path | None = None) -> TagResolver | None:
    """`registry pin`'s tag-to-digest lookup, or None where the registry tooling is not installed."""
    try:
        from generator.registry.client import RegistryError
        from generator.registry.pin import ImageField, Resolver
        from generator.registry.tls import context_for, private_ca_warning
    except ImportError:
        return None

    def resolve_tag(image: str, env: Environment) -> str:
        tagged = rules.tag_image_parts(image)
        assert tagged is not None, "check_image runs first"
        host, repository, tag = tagged.group("host"), tagged.group("repository"), tagged.group("tag") or "latest"
        if ca_bundle is not None:
            print(private_ca_warning(ca_bundle), file=sys.stderr)
        # The same lookup `registry pin` makes for a catalog image deployed to `env`.
        resolver = Resolver(root, {env.name: env.settings}, context_for(ca_bundle))
        field = ImageField(root / CATALOG_DIR / "(new)", ("image",), image, (env.name,))
        try:
            digest = resolver.digest(field, (host, repository, tag))
        except RegistryError as exc:
            # Keep the one-line shape: the registry's own fix first, the digest alternative next to it.
            message = str(exc)
            fix, _, detail = message.removeprefix("fix: ").partition(" — ")
            if not message.startswith("fix: "):
                fix, detail = "check that the registry is reachable from here", message
            alternative = f"or give IMAGE as {host}/{repository}@sha256:<64 lowercase hex>"
            raise UsageError(f"fix: {fix}, {alternative} — {detail}") from None
        print(f"resolved {image} to {digest} through the {env.name} registry", file=sys.stderr)
        return f"{host}/{repository}@{digest}"

    return resolve_tag
