"""Typed models of the two hand-written inputs: catalog entries and environment settings.

Every model forbids unknown keys, so a typo such as `instance_typ:` is an error, not a silent
default. Rules that need only one value live here; rules that relate several files (names
unique across the catalog, image host equals a registry of the environment, ...) live in
`generator.catalog`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# SageMaker's own name pattern. Endpoint names are capped below its 63 characters so that the
# modules can add a content-derived suffix to model and endpoint-configuration names (they must
# not collide with the live ones during a rollout).
SAGEMAKER_NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"
MAX_ENDPOINT_NAME_LENGTH = 48
ENVIRONMENT_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,15}$"
INSTANCE_TYPE_PATTERN = r"^ml\.[a-z0-9]+\.[a-z0-9]+$"
REGISTRY_HOST_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$"
REPOSITORY_PATTERN = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
DIGEST_IMAGE_RE = re.compile(
    r"^(?P<host>[^/@]+)/(?P<repository>" + REPOSITORY_PATTERN + r")@(?P<digest>sha256:[0-9a-f]{64})$"
)
TAG_IMAGE_RE = re.compile(
    r"^(?P<host>[^/@]+)/(?P<repository>" + REPOSITORY_PATTERN + r")(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$"
)
ARN_PATTERN = r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$"
SECRET_ARN_PATTERN = r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$"
KMS_KEY_ARN_PATTERN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/.+$"

Name = Annotated[str, Field(pattern=SAGEMAKER_NAME_PATTERN, max_length=MAX_ENDPOINT_NAME_LENGTH)]
InstanceType = Annotated[str, Field(pattern=INSTANCE_TYPE_PATTERN)]
InstanceCount = Annotated[int, Field(ge=1, le=100, strict=True)]
Tags = dict[Annotated[str, Field(min_length=1, max_length=128)], Annotated[str, Field(max_length=256)]]


def parse_image(image: str) -> re.Match[str] | None:
    return DIGEST_IMAGE_RE.match(image)


def image_host(image: str) -> str:
    return image.split("/", 1)[0]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _check_digest_image(value: str) -> str:
    if DIGEST_IMAGE_RE.match(value):
        return value
    tagged = TAG_IMAGE_RE.match(value)
    if tagged:
        tag = tagged.group("tag")
        found = f"found tag ':{tag}'" if tag else "found no tag or digest, which means ':latest'"
        raise ValueError(
            f"pin the image by digest: run `python -m generator registry pin` or write "
            f"{tagged.group('host')}/{tagged.group('repository')}@sha256:<64 lowercase hex> "
            f"— {found}, and a tag can change under a running endpoint"
        )
    raise ValueError(
        "write the image as <registry-host>/<repository>@sha256:<64 lowercase hex> "
        f"— {value!r} is not an image reference pinned by digest"
    )


class VariantSettings(_Strict):
    """One production variant; unset fields inherit the endpoint's instance type and count."""

    instance_type: InstanceType | None = None
    initial_instance_count: InstanceCount | None = None
    initial_variant_weight: Annotated[float, Field(gt=0, le=1000)] = 1.0


class EndpointSettings(_Strict):
    """The fields of a catalog entry that an environment may override."""

    image: str
    instance_type: InstanceType
    initial_instance_count: InstanceCount
    variants: dict[Name, VariantSettings] | None = Field(default=None, min_length=1, max_length=10)
    container_environment: dict[
        Annotated[str, Field(pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$")], Annotated[str, Field(max_length=1024)]
    ] = Field(default_factory=dict, max_length=100)
    model_data_url: Annotated[str, Field(pattern=r"^s3://[a-z0-9.-]{3,63}/.+")] | None = None
    enable_network_isolation: bool = False
    tags: Tags = Field(default_factory=dict)

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        return _check_digest_image(value)


class VariantOverride(_Strict):
    instance_type: InstanceType | None = None
    initial_instance_count: InstanceCount | None = None
    initial_variant_weight: Annotated[float, Field(gt=0, le=1000)] | None = None


class EndpointOverride(_Strict):
    """Per-environment overrides: every field optional; mappings merge key by key."""

    image: str | None = None
    instance_type: InstanceType | None = None
    initial_instance_count: InstanceCount | None = None
    variants: dict[Name, VariantOverride] | None = None
    container_environment: dict[str, str] | None = None
    model_data_url: str | None = None
    enable_network_isolation: bool | None = None
    tags: Tags | None = None

    @field_validator("image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        return None if value is None else _check_digest_image(value)


class CatalogEntry(EndpointSettings):
    """One `catalog/<name>.yaml` file."""

    name: Name
    description: Annotated[str, Field(max_length=500)] = ""
    owner: Annotated[str, Field(max_length=128)] = ""
    environments: dict[
        Annotated[str, Field(pattern=ENVIRONMENT_NAME_PATTERN)], EndpointOverride | None
    ] = Field(min_length=1)


# --- environment.yaml -------------------------------------------------------------------------


class AwsSettings(_Strict):
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")]
    account_id: Annotated[str, Field(pattern=r"^\d{12}$")]


class NetworkSettings(_Strict):
    vpc_id: Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$")]
    subnet_ids: list[Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]] = Field(min_length=1, max_length=16)
    # SageMaker reaches the credentials Lambda through an interface endpoint. With private DNS
    # off, the modules publish lambda.<region>.amazonaws.com in a private hosted zone instead.
    lambda_endpoint_private_dns: bool = True

    @field_validator("subnet_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each subnet once — the list has duplicates")
        return value


class RegistrySettings(_Strict):
    host: Annotated[str, Field(pattern=REGISTRY_HOST_PATTERN, max_length=259)]
    auth: Literal["none", "basic", "bearer"]
    credentials_secret_arn: Annotated[str, Field(pattern=SECRET_ARN_PATTERN)] | None = None
    credentials_kms_key_arn: Annotated[str, Field(pattern=KMS_KEY_ARN_PATTERN)] | None = None
    security_group_id: Annotated[str, Field(pattern=r"^sg-[0-9a-f]{8,17}$")]

    @model_validator(mode="after")
    def _secret_matches_auth(self) -> RegistrySettings:
        if self.auth != "none" and not self.credentials_secret_arn:
            raise ValueError(
                f"set credentials_secret_arn to the Secrets Manager ARN of the registry login "
                f"— auth is {self.auth!r}, so SageMaker needs credentials"
            )
        if self.auth == "none" and (self.credentials_secret_arn or self.credentials_kms_key_arn):
            raise ValueError(
                "remove credentials_secret_arn/credentials_kms_key_arn or set auth to basic or bearer "
                "— a registry with auth 'none' takes no credentials"
            )
        return self


class BackendSettings(_Strict):
    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9!_.*'()/-]+\.tfstate$")]
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")]
    # The emulator serves S3 on an IP address, where virtual-hosted bucket names cannot resolve.
    use_path_style: bool = False


class EnvironmentFile(_Strict):
    """One `environments/<env>/environment.yaml` file."""

    description: Annotated[str, Field(max_length=500)] = ""
    # True only for the embedded local environment: AWS is the emulator the Makefile starts.
    emulator: bool = False
    aws: AwsSettings
    network: NetworkSettings
    registries: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")], RegistrySettings] = Field(
        min_length=1
    )
    kms_key_arn: Annotated[str, Field(pattern=KMS_KEY_ARN_PATTERN)] | None = None
    backend: BackendSettings
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _hosts_unique(self) -> EnvironmentFile:
        seen: dict[str, str] = {}
        for name, registry in self.registries.items():
            if registry.host in seen:
                raise ValueError(
                    f"give each registry its own host — registries {seen[registry.host]!r} and "
                    f"{name!r} both use {registry.host!r}"
                )
            seen[registry.host] = name
        return self
