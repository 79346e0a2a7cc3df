"""Loads and validates the repository's inputs and resolves each endpoint for each environment.

`load_repository` reads every catalog and environment file and reports *all* problems at once;
`resolve` applies the per-environment overrides (mappings merge key by key, everything else is
replaced) and checks the rules that relate several files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.catalog.models import (
    RESERVED_GROUP_NAMES,
    CatalogEntry,
    DeploymentSettings,
    EndpointOverride,
    EndpointSettings,
    EnvironmentFile,
    GroupFile,
    image_host,
)
from generator.catalog.problems import problems_from_validation
from generator.catalog.safe_read import RefusedInput, read_text, refuse_symlink
from generator.catalog.yamlio import LoadedYaml, YamlSyntaxError, load_yaml
from generator.common import rules
from generator.common.errors import InvalidInput, Problem
from generator.common.layout import (
    CATALOG_DIR,
    DEFAULT_GROUP,
    ENVIRONMENT_FILE,
    ENVIRONMENTS_DIR,
    GROUP_FILE,
)

DEFAULT_VARIANT = "primary"


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the repository root, as shown in messages
    loaded: LoadedYaml


@dataclass(frozen=True)
class Environment:
    name: str
    settings: EnvironmentFile
    source: SourceFile


@dataclass(frozen=True)
class Endpoint:
    entry: CatalogEntry
    source: SourceFile
    group: str = DEFAULT_GROUP


@dataclass(frozen=True)
class Group:
    """An endpoint group: one Terraform state per environment. The default group (files directly
    in catalog/) always exists and has no group.yaml."""

    name: str
    settings: GroupFile | None = None
    source: SourceFile | None = None


@dataclass(frozen=True)
class ResolvedEndpoint:
    """One endpoint as deployed to one environment: overrides applied, variants filled in."""

    name: str
    environment: str
    registry: str
    settings: EndpointSettings
    group: str = DEFAULT_GROUP

    def variants(self) -> dict[str, dict[str, Any]]:
        s = self.settings
        declared = s.variants or {DEFAULT_VARIANT: None}
        return {
            name: _without_unset(
                {
                    "instance_type": (v.instance_type if v and v.instance_type else s.instance_type),
                    "initial_instance_count": (
                        v.initial_instance_count if v and v.initial_instance_count else s.initial_instance_count
                    ),
                    "initial_variant_weight": v.initial_variant_weight if v else 1.0,
                    "autoscaling": _dump(v.autoscaling if v and v.autoscaling else s.autoscaling),
                }
            )
            for name, v in declared.items()
        }

    def to_tfvars(self) -> dict[str, Any]:
        s = self.settings
        return {
            "image": s.image,
            "registry": self.registry,
            "variants": self.variants(),
            "container_environment": dict(s.container_environment),
            "model_data_url": s.model_data_url,
            "enable_network_isolation": s.enable_network_isolation,
            "tags": dict(s.tags),
            **_without_unset({"data_capture": _dump(s.data_capture), "deployment": _deployment(s.deployment)}),
        }


# Optional guardrails are left out of the tfvars when unset (the variable's optional() fills in
# null), so that entries without them render exactly as before they existed.
_OPTIONAL_KEYS = ("autoscaling", "data_capture", "deployment")


def _without_unset(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not (k in _OPTIONAL_KEYS and v is None)}


def _dump(settings: BaseModel | None) -> dict[str, Any] | None:
    return None if settings is None else settings.model_dump()


def _deployment(settings: DeploymentSettings | None) -> dict[str, Any] | None:
    if settings is None:
        return None
    # The catalog spells traffic routing in lower case; SageMaker's API values are upper case.
    return settings.model_dump() | {"traffic_routing": settings.traffic_routing.upper()}


@dataclass
class Repository:
    root: Path
    environments: dict[str, Environment] = field(default_factory=dict)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=lambda: {DEFAULT_GROUP: Group(DEFAULT_GROUP)})
    # Lower-cased endpoint name -> name: the case-insensitive clash check is one lookup, not a
    # scan of every endpoint loaded so far (which made loading quadratic in the catalog size).
    folded_names: dict[str, str] = field(default_factory=dict, repr=False)


def _relative(root: Path, path: Path) -> str:
    # A string prefix test first: Path.relative_to costs about as much as parsing a small
    # catalog file, and this runs once per file.
    prefix, text = f"{root}{os.sep}", str(path)
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_yaml(root: Path, path: Path, problems: list[Problem]) -> SourceFile | None:
    rel = _relative(root, path)
    try:
        loaded = load_yaml(read_text(path))
    except RefusedInput as exc:
        problems.append(Problem(rel, None, "(file)", exc.fix, exc.detail))
        return None
    except YamlSyntaxError as exc:
        problems.append(Problem(rel, exc.line, exc.field, exc.fix, str(exc)))
        return None
    if not isinstance(loaded.data, dict):
        problems.append(Problem(rel, 1, "(document)", "write the file as a YAML mapping of fields", "it is empty or not a mapping"))
        return None
    return SourceFile(rel, loaded)


M = TypeVar("M", bound=BaseModel)


def _validated(source: SourceFile | None, model: type[M], problems: list[Problem]) -> M | None:
    """The file's data as `model`, or None with every problem of it added to `problems`."""
    if source is None:
        return None
    try:
        return model.model_validate(source.loaded.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, file=source.path, loaded=source.loaded, model=model))
        return None


def _symlink_problem(root: Path, path: Path, what: str) -> Problem | None:
    try:
        refuse_symlink(path, what)
    except RefusedInput as exc:
        return Problem(_relative(root, path), None, "(file)", exc.fix, exc.detail)
    return None


def load_repository(root: Path) -> Repository:
    """Read and validate every input file; raise `InvalidInput` listing every problem found."""
    problems: list[Problem] = []
    repo = Repository(root=root)

    env_dir = root / ENVIRONMENTS_DIR
    cat_dir = root / CATALOG_DIR
    # A symbolic link anywhere in an input's path is refused, never followed: it could make a
    # read (or `render`'s write) reach outside the repository.
    for folder in (env_dir, cat_dir):
        problem = _symlink_problem(root, folder, "folder")
        if problem is not None:
            raise InvalidInput([problem])

    env_files: list[Path] = []
    for folder in sorted(env_dir.iterdir()) if env_dir.is_dir() else []:
        problem = _symlink_problem(root, folder, "folder")
        if problem is not None:
            problems.append(problem)
        elif folder.is_dir() and os.path.lexists(folder / ENVIRONMENT_FILE):
            env_files.append(folder / ENVIRONMENT_FILE)
    if not env_files and not problems:
        problems.append(
            Problem(f"{ENVIRONMENTS_DIR}/", None, "(directory)", f"add {ENVIRONMENTS_DIR}/<env>/{ENVIRONMENT_FILE}", "no environment is defined")
        )
    for path in env_files:
        _load_environment(root, path, repo, problems)

    for path in sorted(cat_dir.iterdir()) if cat_dir.is_dir() else []:
        link = _symlink_problem(root, path, "folder" if path.is_dir() else "file")
        if link is not None:
            problems.append(link)
        elif path.is_dir():
            _load_group(root, path, repo, problems)
        else:
            _load_catalog_file(root, path, repo, problems, DEFAULT_GROUP)

    if problems:
        raise InvalidInput(problems)
    return repo


def _load_environment(root: Path, path: Path, repo: Repository, problems: list[Problem]) -> None:
    name = path.parent.name
    rel = _relative(root, path)
    if not rules.matches(rules.ENVIRONMENT_NAME, name):
        problems.append(
            Problem(rel, None, "(folder name)", "name the folder with lower-case letters, digits and hyphens (max 16)", f"{rules.excerpt(name)} is not a valid environment name")
        )
        return
    source = _read_yaml(root, path, problems)
    settings = _validated(source, EnvironmentFile, problems)
    if source is None or settings is None:
        return
    repo.environments[name] = Environment(name, settings, source)


def _load_catalog_file(root: Path, path: Path, repo: Repository, problems: list[Problem], group: str) -> None:
    if path.suffix == ".yml":
        problems.append(Problem(_relative(root, path), None, "(file name)", f"rename it to {path.stem}.yaml", "catalog files end in .yaml"))
    elif path.suffix == ".yaml":
        _load_endpoint(root, path, repo, problems, group)


def _load_group(root: Path, folder: Path, repo: Repository, problems: list[Problem]) -> None:
    """`catalog/<group>/`: its group.yaml, then its endpoint files (one folder level only)."""
    name, rel = folder.name, _relative(root, folder)
    if not rules.matches(rules.GROUP_NAME, name) or name in RESERVED_GROUP_NAMES or name == DEFAULT_GROUP:
        problems.append(
            Problem(f"{rel}/", None, "(folder name)", "name the group folder with lower-case letters, digits and hyphens (at most 20), other than base and default", f"{name!r} is not a valid group name")
        )
        return
    manifest = folder / GROUP_FILE
    if not manifest.is_file():
        problems.append(
            Problem(f"{rel}/{GROUP_FILE}", None, "(file)", f"create {rel}/{GROUP_FILE} with `owner: <team>` — it declares the group and its Terraform state", "a group folder needs a group.yaml")
        )
        return
    source = _read_yaml(root, manifest, problems)
    settings = _validated(source, GroupFile, problems)
    if source is None or settings is None:
        return
    repo.groups[name] = Group(name, settings, source)
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            problems.append(Problem(f"{_relative(root, path)}/", None, "(folder)", f"move its files into {rel}/ or into a group folder of their own directly under {CATALOG_DIR}/", "groups are one folder level deep"))
        elif path.name != GROUP_FILE:
            _load_catalog_file(root, path, repo, problems, name)


def _load_endpoint(root: Path, path: Path, repo: Repository, problems: list[Problem], group: str) -> None:
    source = _read_yaml(root, path, problems)
    entry = _validated(source, CatalogEntry, problems)
    if source is None or entry is None:
        return
    line = source.loaded.line_of
    if entry.name != path.stem:
        problems.append(
            Problem(source.path, line(["name"]), "name", f"rename the file to {source.path.rsplit('/', 1)[0]}/{entry.name}.yaml or set `name: {path.stem}`", f"name {entry.name!r} differs from the file name")
        )
        return
    clash_name = repo.folded_names.get(entry.name.lower())
    if clash_name is not None:
        clash = repo.endpoints[clash_name]
        problems.append(
            Problem(source.path, line(["name"]), "name", "choose a name that no other catalog entry uses, ignoring case", f"{entry.name!r} clashes with {clash.source.path}")
        )
        return
    repo.endpoints[entry.name] = Endpoint(entry, source, group)
    repo.folded_names[entry.name.lower()] = entry.name


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """The override rule: mappings merge key by key; scalars and lists are replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_CATALOG_ONLY_FIELDS = frozenset({"name", "description", "owner", "environments"})


def resolve(repo: Repository, environments: list[str] | None = None) -> dict[str, dict[str, ResolvedEndpoint]]:
    """Every endpoint resolved for every requested environment (all by default), sorted by name."""
    problems: list[Problem] = []
    wanted = sorted(repo.environments) if environments is None else environments
    result: dict[str, dict[str, ResolvedEndpoint]] = {env: {} for env in wanted}

    for name in sorted(repo.endpoints):
        endpoint = repo.endpoints[name]
        entry, source = endpoint.entry, endpoint.source
        raw = source.loaded.data
        for env_name in entry.environments:
            if env_name not in repo.environments:
                known = ", ".join(sorted(repo.environments)) or "none"
                problems.append(
                    Problem(source.path, source.loaded.line_of(["environments", env_name]), f"environments.{env_name}", f"use one of the defined environments ({known}) or add {ENVIRONMENTS_DIR}/{env_name}/{ENVIRONMENT_FILE}", f"environment {env_name!r} does not exist")
                )
        problems += _shared_names(repo, endpoint)
        for env_name in wanted:
            if env_name not in entry.environments:
                continue
            resolved = _resolve_one(repo, endpoint, raw, env_name, problems)
            if resolved is not None:
                result[env_name][name] = resolved

    if problems:
        raise InvalidInput(problems)
    return result


def _shared_names(repo: Repository, endpoint: Endpoint) -> list[Problem]:
    """An endpoint deployed to two environments of the same account and region: SageMaker would
    get the same endpoint, model and configuration names from both (they are the catalog name,
    modules/sagemaker_endpoint), so the second apply fails or one environment's state takes over
    the other's endpoint. Checked over every environment, whichever are resolved."""
    places: dict[tuple[str, str], list[str]] = {}
    for env_name in sorted(endpoint.entry.environments):
        env = repo.environments.get(env_name)
        if env is not None:
            places.setdefault((env.settings.aws.account_id, env.settings.aws.region), []).append(env_name)
    name, source = endpoint.entry.name, endpoint.source
    problems = []
    for (account, region), shared in sorted(places.items()):
        if len(shared) < 2:
            continue
        listed = " and ".join(shared)
        problems.append(
            Problem(
                source.path, source.loaded.line_of(["environments", shared[1]]), f"environments.{shared[1]}",
                f"deploy {name} to only one of {listed}, or give one of them another account or region in {ENVIRONMENTS_DIR}/<env>/{ENVIRONMENT_FILE}",
                f"environments {listed} share account {account} in {region}, where both would name the SageMaker endpoint {name!r} (and its model and configuration) alike",
            )
        )
    return problems


def _resolve_one(
    repo: Repository, endpoint: Endpoint, raw: dict[str, Any], env_name: str, problems: list[Problem]
) -> ResolvedEndpoint | None:
    source = endpoint.source
    env = repo.environments[env_name]
    base = {k: v for k, v in raw.items() if k not in _CATALOG_ONLY_FIELDS}
    override_raw = (raw.get("environments") or {}).get(env_name) or {}
    override_path = ["environments", env_name]
    try:
        settings = EndpointSettings.model_validate(deep_merge(base, override_raw))
    except ValidationError as exc:
        for problem in problems_from_validation(exc, file=source.path, loaded=source.loaded, model=EndpointOverride):
            top = problem.field.split(".")[0].split("[")[0]
            if top in override_raw:  # point at the override that introduced the bad value
                line = source.loaded.line_of([*override_path, *problem.field.split(".")])
                problem = Problem(problem.file, line, f"environments.{env_name}.{problem.field}", problem.fix, problem.detail)
            problems.append(problem)
        return None

    def problem_at(field: str, fix: str, detail: str) -> Problem:
        """A problem with a merged (dotted) field, pointing at the override that set it, if one did."""
        parts = field.split(".")
        path = [*override_path, *parts] if parts[0] in override_raw else parts
        return Problem(source.path, source.loaded.line_of(path), ".".join(path), fix, detail)

    host = image_host(settings.image)
    registry = next((n for n, r in env.settings.registries.items() if r.host == host), None)
    if registry is None:
        hosts = ", ".join(sorted(r.host for r in env.settings.registries.values()))
        problems.append(
            problem_at("image", f"use an image from the {env_name} registry ({hosts}), or add {host} to {env.source.path} under registries", f"registry host {host!r} is not a registry of environment {env_name!r}")
        )
        return None
    if settings.model_data_url and not env.settings.network.s3_gateway_route_table_ids:
        # The model's security group admits S3 only through the environment's gateway endpoint.
        problems.append(
            problem_at("model_data_url", f"set network.s3_gateway_route_table_ids in {env.source.path} to the route tables of the model subnets, or remove model_data_url", f"a model in a VPC downloads its artifacts from S3 through the VPC, and environment {env_name!r} has no S3 gateway endpoint")
        )
        return None
    found = _bucket_problems(settings, env, problem_at) + _tag_count_problems(settings, env, problem_at)
    if found:
        problems.extend(found)
        return None
    return ResolvedEndpoint(name=endpoint.entry.name, environment=env_name, registry=registry, settings=settings, group=endpoint.group)


# Tags every endpoint resource carries besides the catalog's and the environment's: the
# provider's default tags (terraform/providers.tf) and the module's endpoint tag (terraform/main.tf).
ADDED_TAG_KEYS = frozenset({"sagemaker-gitops:environment", "managed-by", "sagemaker-gitops:endpoint"})


def _bucket_problems(settings: EndpointSettings, env: Environment, problem_at: Any) -> list[Problem]:
    """S3 locations must be in the environment's allow-lists, never its state bucket; a capture key
    must be the environment's kms_key_arn or one of s3.capture_kms_key_arns."""
    allowed = env.settings.s3
    uses = [("model_data_url", settings.model_data_url, allowed.artifact_buckets, "s3.artifact_buckets")]
    if settings.data_capture is not None:
        uses.append(("data_capture", settings.data_capture.destination_s3_uri, allowed.capture_buckets, "s3.capture_buckets"))
    problems = []
    for name, uri, buckets, setting in uses:
        if uri is None:
            continue
        bucket = rules.s3_bucket(uri)
        if bucket == env.settings.backend.bucket:
            problems.append(
                problem_at(name, f"use a bucket from {setting} in {env.source.path}", f"{bucket!r} is the Terraform state bucket of environment {env.name!r} (backend.bucket)")
            )
        elif bucket not in buckets:
            listed = ", ".join(buckets) or "none"
            problems.append(
                problem_at(name, f"use a bucket from {setting} in {env.source.path} ({listed}), or add {bucket!r} there", f"bucket {bucket!r} is not allowed in environment {env.name!r}")
            )
    capture_key = settings.data_capture.kms_key_arn if settings.data_capture is not None else None
    keys = [*([env.settings.kms_key_arn] if env.settings.kms_key_arn else []), *allowed.capture_kms_key_arns]
    if capture_key is not None and capture_key not in keys:
        listed = ", ".join(keys) or "none"
        problems.append(
            problem_at("data_capture.kms_key_arn", f"use kms_key_arn or a key from s3.capture_kms_key_arns in {env.source.path} ({listed}), or add {capture_key!r} to s3.capture_kms_key_arns there", f"key {capture_key!r} is not allowed in environment {env.name!r}")
        )
    return problems


def _tag_count_problems(settings: EndpointSettings, env: Environment, problem_at: Any) -> list[Problem]:
    keys = set(settings.tags) | set(env.settings.tags) | ADDED_TAG_KEYS
    if len(keys) <= rules.MAX_TAGS_PER_RESOURCE:
        return []
    return [
        problem_at(
            "tags",
            f"remove tags: AWS allows {rules.MAX_TAGS_PER_RESOURCE} per resource",
            f"this endpoint's resources would carry {len(keys)} tags in environment {env.name!r} "
            f"({len(settings.tags)} from the catalog, {len(env.settings.tags)} from {env.source.path}, "
            f"{len(ADDED_TAG_KEYS)} added by the modules)",
        )
    ]
