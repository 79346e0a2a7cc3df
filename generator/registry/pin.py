"""`registry pin`: replace image tags in the catalog with the digests the registry holds now.

The catalog's validator refuses tags, so this reads catalog files on its own, as ruamel.yaml
round-trip documents, which know where each value sits in the file. Only the characters of
each tag reference are replaced, in place, so comments, key order, quoting, indentation and
comment alignment survive byte for byte (dumping the document again would re-indent lists
and shift comments); the result is parsed again to prove that exactly the image values
changed. Environment files are validated as usual: they say where each registry is and how
to log in to it. Every digest is resolved before any file is written, so one failure leaves
the catalog untouched.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.catalog.models import EnvironmentFile
from generator.catalog.problems import problems_from_validation
from generator.catalog.safe_read import RefusedInput, read_text, refuse_symlink
from generator.catalog.yamlio import YamlSyntaxError, load_yaml
from generator.common import rules
from generator.common.errors import GeneratorError, InvalidInput, Problem, UsageError
from generator.common.files import write_atomically
from generator.common.layout import CATALOG_DIR, ENVIRONMENT_FILE, ENVIRONMENTS_DIR
from generator.registry.client import RegistryClient, RegistryError
from generator.registry.credentials import login_for, override_login
from generator.registry.tls import context_for, private_ca_warning


class PinFailed(GeneratorError):
    exit_code = 1


@dataclass(frozen=True)
class ImageField:
    """One `image:` value in a catalog file and the environments that deploy it."""

    file: Path
    path: tuple[str, ...]  # ("image",) or ("environments", <env>, "image")
    value: str
    environments: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass
class CatalogDocument:
    path: Path
    text: str
    data: Any


def load_environments(root: Path) -> dict[str, EnvironmentFile]:
    """Every environment file, validated; `InvalidInput` lists every problem."""
    problems: list[Problem] = []
    environments: dict[str, EnvironmentFile] = {}
    for path in sorted((root / ENVIRONMENTS_DIR).glob(f"*/{ENVIRONMENT_FILE}")):
        rel = path.relative_to(root).as_posix()
        try:
            refuse_symlink(path.parent, "folder")
            loaded = load_yaml(read_text(path))
            environments[path.parent.name] = EnvironmentFile.model_validate(loaded.data)
        except RefusedInput as exc:
            problems.append(Problem(rel, None, "(file)", exc.fix, exc.detail))
        except YamlSyntaxError as exc:
            problems.append(Problem(rel, exc.line, exc.field, exc.fix, str(exc)))
        except ValidationError as exc:
            problems.extend(
                problems_from_validation(exc, file=rel, loaded=loaded, model=EnvironmentFile)
            )
    if problems:
        raise InvalidInput(problems)
    return environments


def _parse(text: str) -> Any:
    return YAML(typ="rt").load(text)


def _load_catalog(root: Path) -> list[CatalogDocument]:
    problems: list[Problem] = []
    documents = []
    for path in sorted((root / CATALOG_DIR).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            text = read_text(path)  # never through a symlink: pin writes the file back
            load_yaml(text)  # refuses anchors, aliases and duplicate keys before the round trip
            data = _parse(text)
        except RefusedInput as exc:
            problems.append(Problem(rel, None, "(file)", exc.fix, exc.detail))
            continue
        except YamlSyntaxError as exc:
            problems.append(Problem(rel, exc.line, exc.field, exc.fix, str(exc)))
            continue
        except YAMLError as exc:
            problems.append(Problem(rel, None, "(document)", "correct the YAML syntax", str(exc)))
            continue
        documents.append(CatalogDocument(path, text, data))
    if problems:
        raise InvalidInput(problems)
    return documents


def image_fields(document: CatalogDocument) -> Iterator[ImageField]:
    """The top-level image (for environments that do not override it) and every override."""
    data = document.data
    if not isinstance(data, dict):
        return
    environments = data.get("environments")
    environments = environments if isinstance(environments, dict) else {}
    overridden = {env for env, o in environments.items() if isinstance(o, dict) and "image" in o}
    if isinstance(data.get("image"), str):
        users = tuple(sorted(env for env in environments if env not in overridden))
        yield ImageField(document.path, ("image",), data["image"], users)
    for env in sorted(overridden):
        value = environments[env]["image"]
        if isinstance(value, str):
            yield ImageField(document.path, ("environments", env, "image"), value, (env,))


@dataclass(frozen=True)
class Change:
    field: ImageField
    pinned: str


def _tag_reference(image: str) -> tuple[str, str, str] | None:
    """(host, repository, tag) for a tag reference; None for digests and non-references."""
    if rules.matches(rules.DIGEST_IMAGE, image):
        return None
    match = rules.tag_image_parts(image)
    if match is None:
        return None
    return match.group("host"), match.group("repository"), match.group("tag") or "latest"


def _environment_for(
    host: str, field: ImageField, environments: dict[str, EnvironmentFile]
) -> tuple[str, str] | None:
    """(environment, registry name) whose registry serves `host`, preferring the field's own."""
    candidates = list(field.environments) + sorted(set(environments) - set(field.environments))
    for env_name in candidates:
        env = environments.get(env_name)
        for registry_name, registry in sorted(env.registries.items()) if env else []:
            if registry.host == host:
                return env_name, registry_name
    return None


class Resolver:
    """Tag -> digest, one client (and login) per registry, each tag asked for once."""

    def __init__(
        self, root: Path, environments: dict[str, EnvironmentFile], context: ssl.SSLContext
    ):
        self.root = root
        self.environments = environments
        self.context = context
        self._clients: dict[tuple[str, str], RegistryClient] = {}
        self._digests: dict[tuple[str, str, str], str] = {}

    def digest(self, field: ImageField, reference: tuple[str, str, str]) -> str:
        if reference in self._digests:
            return self._digests[reference]
        host, repository, tag = reference
        target = _environment_for(host, field, self.environments)
        if target is None:
            raise RegistryError(
                f"fix: add {host} to the registries of an environment that deploys it "
                f"— no environment has a registry at {host}"
            )
        client = self._clients.get(target)
        if client is None:
            env_name, registry_name = target
            settings = self.environments[env_name].registries[registry_name]
            login = login_for(self.root, env_name, self.environments[env_name], registry_name)
            client = self._clients[target] = RegistryClient(
                host, login, self.context, token_hosts=settings.token_hosts, name=registry_name
            )
        digest = client.manifest_digest(repository, tag)
        if digest is None:
            raise RegistryError(
                f"fix: push {field.value} or correct the tag — the registry has no manifest for tag {tag!r}"
            )
        self._digests[reference] = digest
        return digest


def plan_changes(
    root: Path, env: str | None, context: ssl.SSLContext
) -> tuple[list[CatalogDocument], list[Change]]:
    """Resolve every tag that needs pinning (for `env`, or all); raise listing every failure."""
    override_login()  # a half-set login override is a usage error before any registry is asked
    environments = load_environments(root)
    if env is not None and env not in environments:
        known = ", ".join(sorted(environments))
        raise UsageError(
            f"fix: use one of the environments ({known}) "
            f"— {ENVIRONMENTS_DIR}/{env}/{ENVIRONMENT_FILE} does not exist"
        )
    documents = _load_catalog(root)
    resolver = Resolver(root, environments, context)
    changes: list[Change] = []
    failures: list[str] = []
    for document in documents:
        for field in image_fields(document):
            reference = _tag_reference(field.value)
            if reference is None or (env is not None and env not in field.environments):
                continue
            host, repository, _ = reference
            try:
                changes.append(
                    Change(field, f"{host}/{repository}@{resolver.digest(field, reference)}")
                )
            except RegistryError as exc:
                failures.append(f"{field.file.relative_to(root).as_posix()}: {field.dotted}: {exc}")
    if failures:
        listing = "\n".join(f"  {f}" for f in failures)
        raise PinFailed(f"fix the problems below; no catalog file was changed\n{listing}")
    return documents, changes


def _node(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _replace_value(lines: list[str], data: Any, change: Change) -> None:
    """Replace the image value where ruamel found it, keeping its quotes and what follows."""
    parent, key = _node(data, change.field.path[:-1]), change.field.path[-1]
    line, column = parent.lc.value(key)
    text, old = lines[line], change.field.value
    for quote in ('"', "'", ""):
        token = f"{quote}{old}{quote}"
        after = text[column + len(token) : column + len(token) + 1]
        if text.startswith(token, column) and (
            quote or after in ("", " ", "\t", "\r", "\n", ",", "}", "#")
        ):
            lines[line] = (
                f"{text[:column]}{quote}{change.pinned}{quote}{text[column + len(token) :]}"
            )
            return
    raise PinFailed(
        f"fix: pin {change.field.file.name} by hand — its {change.field.dotted} is written in a form "
        "this command does not rewrite (a multi-line or escaped scalar)"
    )


def render(document: CatalogDocument, changes: list[Change]) -> str:
    """The document's text with every change applied and nothing else touched."""
    lines = document.text.splitlines(keepends=True)
    for change in changes:
        _replace_value(lines, document.data, change)
    text = "".join(lines)
    # Proof: parsed again, the new text differs from the old exactly in the pinned values.
    expected = _parse(document.text)
    for change in changes:
        _node(expected, change.field.path[:-1])[change.field.path[-1]] = change.pinned
    if _parse(text) != expected:
        raise PinFailed(
            f"fix: pin {document.path.name} by hand — rewriting it in place changed more than its images"
        )
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def pin(root: Path, env: str | None, dry_run: bool, ca_bundle: Path | None = None) -> int:
    if ca_bundle is not None:
        print(private_ca_warning(ca_bundle), file=sys.stderr)
    documents, changes = plan_changes(root, env, context_for(ca_bundle))
    scope = f" for environment {env}" if env else ""
    if not changes:
        print(f"ok: every catalog image{scope} is pinned by digest")
        return 0
    by_file = {d.path: [c for c in changes if c.field.file == d.path] for d in documents}
    texts = {d.path: render(d, by_file[d.path]) for d in documents if by_file[d.path]}
    for change in changes:
        rel = change.field.file.relative_to(root).as_posix()
        print(f"{rel}: {change.field.dotted}: {change.field.value} -> {change.pinned}")
    summary = f"{_count(len(changes), 'image')} in {_count(len(texts), 'catalog file')}{scope}"
    if dry_run:
        print(f"would pin {summary} (dry run: nothing written)")
        return 0
    for path, text in texts.items():
        write_atomically(path, text)
    print(f"pinned {summary}")
    return 0
