"""Typed models of the two hand-written inputs: catalog entries and environment settings.

Every model forbids unknown keys, so a typo such as `instance_typ:` is an error, not a silent
default. Rules that need only one value live here; rules that relate several files (names
unique across the catalog, image host equals a registry of the environment, ...) live in
`generator.catalog.loader`.
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
    # defer_build: validators are built on first use, so commands that never validate input
    # (summary, atlantis, --help) do not pay for compiling every model at start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


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


Seconds = Annotated[int, Field(ge=0, le=3600, strict=True)]
S3_URI_PATTERN = r"^s3://[a-z0-9.-]{3,63}(/.*)?$"


class AutoscalingSettings(_Strict):
    """Target tracking on invocations per instance for one variant (Application Auto Scaling)."""

    min_capacity: InstanceCount
    max_capacity: InstanceCount
    target_invocations_per_instance: Annotated[float, Field(gt=0, le=1_000_000)]
    scale_in_cooldown_seconds: Seconds = 300
    scale_out_cooldown_seconds: Seconds = 60

    @model_validator(mode="after")
    def _bounds(self) -> AutoscalingSettings:
        if self.min_capacity > self.max_capacity:
            raise ValueError(
                f"set min_capacity <= max_capacity — min_capacity {self.min_capacity} "
                f"exceeds max_capacity {self.max_capacity}"
            )
        return self


class AutoscalingOverride(_Strict):
    min_capacity: InstanceCount | None = None
    max_capacity: InstanceCount | None = None
    target_invocations_per_instance: Annotated[float, Field(gt=0, le=1_000_000)] | None = None
    scale_in_cooldown_seconds: Seconds | None = None
    scale_out_cooldown_seconds: Seconds | None = None


ContentType = Annotated[str, Field(pattern=r"^[a-zA-Z0-9*.+-]+/[a-zA-Z0-9*.+-]+$", max_length=256)]


class DataCaptureSettings(_Strict):
    """Capture of requests and/or responses to S3."""

    destination_s3_uri: Annotated[str, Field(pattern=S3_URI_PATTERN)]
    sampling_percentage: Annotated[int, Field(ge=1, le=100, strict=True)] = 100
    capture_modes: list[Literal["Input", "Output"]] = Field(default=["Input", "Output"], min_length=1, max_length=2)
    kms_key_arn: Annotated[str, Field(pattern=KMS_KEY_ARN_PATTERN)] | None = None
    json_content_types: list[ContentType] = Field(default_factory=list, max_length=10)
    csv_content_types: list[ContentType] = Field(default_factory=list, max_length=10)

    @field_validator("capture_modes")
    @classmethod
    def _unique_modes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each capture mode once — the list has duplicates")
        return value


class DataCaptureOverride(_Strict):
    destination_s3_uri: Annotated[str, Field(pattern=S3_URI_PATTERN)] | None = None
    sampling_percentage: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    capture_modes: list[Literal["Input", "Output"]] | None = None
    kms_key_arn: Annotated[str, Field(pattern=KMS_KEY_ARN_PATTERN)] | None = None
    json_content_types: list[ContentType] | None = None
    csv_content_types: list[ContentType] | None = None


AlarmName = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f]+$")]


class DeploymentSettings(_Strict):
    """Blue/green guardrails for configuration changes (image, instance type, count ...)."""

    traffic_routing: Literal["all_at_once", "canary", "linear"] = "all_at_once"
    # Share of capacity shifted first (canary) or per step (linear).
    step_percent: Annotated[int, Field(ge=1, le=99, strict=True)] | None = None
    wait_interval_seconds: Seconds = 0
    termination_wait_seconds: Seconds = 0
    maximum_execution_timeout_seconds: Annotated[int, Field(ge=600, le=14400, strict=True)] | None = None
    # SageMaker takes 10 alarms; one place is kept for the module's own 5xx alarm.
    rollback_alarm_names: list[AlarmName] = Field(default_factory=list, max_length=9)
    rollback_on_5xx_errors_per_minute: Annotated[int, Field(ge=0, strict=True)] | None = None

    @model_validator(mode="after")
    def _step(self) -> DeploymentSettings:
        if self.traffic_routing == "all_at_once" and self.step_percent is not None:
            raise ValueError("remove step_percent or use traffic_routing canary or linear — all_at_once shifts everything in one step")
        if self.traffic_routing != "all_at_once" and self.step_percent is None:
            raise ValueError(f"set step_percent (1-99) — traffic_routing {self.traffic_routing} shifts that share of capacity per step")
        return self


class DeploymentOverride(_Strict):
    traffic_routing: Literal["all_at_once", "canary", "linear"] | None = None
    step_percent: Annotated[int, Field(ge=1, le=99, strict=True)] | None = None
    wait_interval_seconds: Seconds | None = None
    termination_wait_seconds: Seconds | None = None
    maximum_execution_timeout_seconds: Annotated[int, Field(ge=600, le=14400, strict=True)] | None = None
    rollback_alarm_names: list[AlarmName] | None = None
    rollback_on_5xx_errors_per_minute: Annotated[int, Field(ge=0, strict=True)] | None = None


class VariantSettings(_Strict):
    """One production variant; unset fields inherit the endpoint's instance type, count and autoscaling."""

    instance_type: InstanceType | None = None
    initial_instance_count: InstanceCount | None = None
    initial_variant_weight: Annotated[float, Field(gt=0, le=1000)] = 1.0
    autoscaling: AutoscalingSettings | None = None


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
    # Applies to every variant that does not set its own.
    autoscaling: AutoscalingSettings | None = None
    data_capture: DataCaptureSettings | None = None
    deployment: DeploymentSettings | None = None

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        return _check_digest_image(value)


class VariantOverride(_Strict):
    instance_type: InstanceType | None = None
    initial_instance_count: InstanceCount | None = None
    initial_variant_weight: Annotated[float, Field(gt=0, le=1000)] | None = None
    autoscaling: AutoscalingOverride | None = None


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
    autoscaling: AutoscalingOverride | None = None
    data_capture: DataCaptureOverride | None = None
    deployment: DeploymentOverride | None = None

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


# A group is a folder of catalog files, one Terraform state per environment, owned by one team.
# At most 20 characters: the group's execution role, sagemaker-gitops-<env>-<group>-execution,
# must fit IAM's 64. `base` names the environment's shared state.
GROUP_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,19}$"
RESERVED_GROUP_NAMES = frozenset({"base"})
DEFAULT_GROUP = "default"


class GroupFile(_Strict):
    """`catalog/<group>/group.yaml`: declares the group (and so its state in every environment)."""

    owner: Annotated[str, Field(min_length=1, max_length=128)]
    description: Annotated[str, Field(max_length=500)] = ""


# --- environment.yaml -------------------------------------------------------------------------


IAM_ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,64}$"


class AwsSettings(_Strict):
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")]
    account_id: Annotated[str, Field(pattern=r"^\d{12}$")]
    # Atlantis plans with the read-only role and applies with the deploy role; `make` uses them
    # with --role plan|apply. Required for environments on real AWS.
    plan_role_arn: Annotated[str, Field(pattern=IAM_ROLE_ARN_PATTERN, description="Read-only role that plans assume (ReadOnlyAccess plus reading the state bucket): a pull request's plan runs its own Terraform and generator with these credentials.")] | None = None
    apply_role_arn: Annotated[str, Field(pattern=IAM_ROLE_ARN_PATTERN, description="Deploy role that applies assume, only after review (the Atlantis server requires approved, mergeable and undiverged).")] | None = None

    @model_validator(mode="after")
    def _roles_in_this_account(self) -> AwsSettings:
        for name in ("plan_role_arn", "apply_role_arn"):
            arn = getattr(self, name)
            if arn is not None and arn.split(":")[4] != self.account_id:
                raise ValueError(f"{name} must be a role of account {self.account_id}")
        return self


class NetworkSettings(_Strict):
    vpc_id: Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$")]
    subnet_ids: list[Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]] = Field(min_length=1, max_length=16)
    # SageMaker reaches the credentials Lambda through an interface endpoint. With private DNS
    # off, the modules publish lambda.<region>.amazonaws.com in a private hosted zone instead.
    lambda_endpoint_private_dns: bool = True
    # Inbound rules per security group the account allows (AWS's default is 60). Every endpoint
    # adds one to its registry's group, so the generator warns before an apply would fail.
    security_group_rule_quota: Annotated[int, Field(ge=1, le=1000, strict=True)] = 60
    # Route tables of the model subnets. When set, the environment gets an S3 gateway endpoint,
    # which models with model_data_url download their artifacts through.
    s3_gateway_route_table_ids: list[Annotated[str, Field(pattern=r"^rtb-[0-9a-f]{8,17}$")]] = Field(
        default_factory=list, max_length=16
    )

    @field_validator("subnet_ids", "s3_gateway_route_table_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each ID once — the list has duplicates")
        return value


class RegistrySettings(_Strict):
    host: Annotated[str, Field(pattern=REGISTRY_HOST_PATTERN, max_length=259)]
    auth: Literal["none", "basic", "bearer"]
    credentials_secret_arn: Annotated[str, Field(pattern=SECRET_ARN_PATTERN)] | None = None
    credentials_kms_key_arn: Annotated[str, Field(pattern=KMS_KEY_ARN_PATTERN)] | None = None
    security_group_id: Annotated[str, Field(pattern=r"^sg-[0-9a-f]{8,17}$")]
    # Hosts besides `host` that the registry tooling may send the login to: the bearer token
    # service a challenge's realm names. Only `registry pin/check` read it (SageMaker fetches
    # its own tokens), so it stays out of the Terraform inputs.
    token_hosts: list[Annotated[str, Field(pattern=REGISTRY_HOST_PATTERN, max_length=259)]] = Field(
        default_factory=list, exclude=True
    )

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

    @model_validator(mode="after")
    def _roles_on_real_aws(self) -> EnvironmentFile:
        if not self.emulator and (self.aws.plan_role_arn is None or self.aws.apply_role_arn is None):
            raise ValueError(
                "set aws.plan_role_arn (read-only) and aws.apply_role_arn (deploy) — an environment on "
                "real AWS is planned and applied with roles of its own, never the server's credentials"
            )
        return self
