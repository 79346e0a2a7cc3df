"""Typed models of the two hand-written inputs: catalog entries and environment settings.

Every model forbids unknown keys, so a typo such as `instance_typ:` is an error, not a silent
default. Rules that need only one value live here; rules that relate several files (names
unique across the catalog, image host equals a registry of the environment, ...) live in
`generator.catalog.loader`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.common import rules

# The patterns live in generator.common.rules, shared with Terraform's variable validations.
SAGEMAKER_NAME_PATTERN = rules.SAGEMAKER_NAME
MAX_ENDPOINT_NAME_LENGTH = rules.MAX_ENDPOINT_NAME_LENGTH
ENVIRONMENT_NAME_PATTERN = rules.ENVIRONMENT_NAME


def _tag_key(key: str) -> str:
    if rules.is_reserved_tag_key(key):
        raise ValueError(
            f"remove the tag {rules.excerpt(key)} or rename it — keys starting with "
            f"{rules.RESERVED_TAG_PREFIX!r} (in any case) are reserved for AWS"
        )
    return key


Name = Annotated[str, Field(pattern=rules.SAGEMAKER_NAME, max_length=rules.MAX_ENDPOINT_NAME_LENGTH)]
InstanceType = Annotated[str, Field(pattern=rules.INSTANCE_TYPE)]
InstanceCount = Annotated[int, Field(ge=1, le=100, strict=True)]
TagKey = Annotated[str, Field(pattern=rules.TAG_KEY), AfterValidator(_tag_key)]
TagValue = Annotated[str, Field(pattern=rules.TAG_VALUE)]
Tags = Annotated[dict[TagKey, TagValue], Field(max_length=rules.MAX_TAGS_PER_RESOURCE)]
KmsKeyArn = Annotated[str, Field(pattern=rules.KMS_KEY_ARN)]
SecretArn = Annotated[str, Field(pattern=rules.SECRET_ARN)]
Region = Annotated[str, Field(pattern=rules.REGION)]
ModelDataUrl = Annotated[str, Field(pattern=rules.S3_OBJECT_URI, max_length=1024)]
CaptureUri = Annotated[str, Field(pattern=rules.S3_PREFIX_URI, max_length=512)]


def image_host(image: str) -> str:
    return rules.image_host(image)


class _Strict(BaseModel):
    # defer_build: validators are built on first use, so commands that never validate input
    # (summary, atlantis, --help) do not pay for compiling every model at start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


def _check_digest_image(value: str) -> str:
    if rules.matches(rules.DIGEST_IMAGE, value):
        return value
    tagged = rules.tag_image_parts(value)
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
        f"— {rules.excerpt(value)} is not an image reference pinned by digest"
    )


Seconds = Annotated[int, Field(ge=0, le=3600, strict=True)]


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

    destination_s3_uri: CaptureUri
    sampling_percentage: Annotated[int, Field(ge=1, le=100, strict=True)] = 100
    capture_modes: list[Literal["Input", "Output"]] = Field(default=["Input", "Output"], min_length=1, max_length=2)
    kms_key_arn: KmsKeyArn | None = None
    json_content_types: list[ContentType] = Field(default_factory=list, max_length=10)
    csv_content_types: list[ContentType] = Field(default_factory=list, max_length=10)

    @field_validator("capture_modes")
    @classmethod
    def _unique_modes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each capture mode once — the list has duplicates")
        return value


class DataCaptureOverride(_Strict):
    destination_s3_uri: CaptureUri | None = None
    sampling_percentage: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    capture_modes: list[Literal["Input", "Output"]] | None = None
    kms_key_arn: KmsKeyArn | None = None
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
    model_data_url: ModelDataUrl | None = None
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
        Annotated[str, Field(pattern=rules.ENVIRONMENT_NAME)], EndpointOverride | None
    ] = Field(min_length=1)


# A group is a folder of catalog files, one Terraform state per environment, owned by one team.
# At most 20 characters: the group's execution role, sagemaker-gitops-<env>-<group>-execution,
# must fit IAM's 64. `base` names the environment's shared state.
RESERVED_GROUP_NAMES = frozenset({"base"})


class GroupFile(_Strict):
    """`catalog/<group>/group.yaml`: declares the group (and so its state in every environment)."""

    owner: Annotated[str, Field(min_length=1, max_length=128)]
    description: Annotated[str, Field(max_length=500)] = ""


# --- environment.yaml -------------------------------------------------------------------------


class AwsSettings(_Strict):
    region: Region
    account_id: Annotated[str, Field(pattern=rules.ACCOUNT_ID)]
    # Atlantis plans with the read-only role and applies with the deploy role; `make` uses them
    # with --role plan|apply. Required for environments on real AWS.
    # IAM roles the account allows (AWS's default is 1,000, at most 5,000): one execution role per
    # endpoint group with endpoints and one per credentials Lambda, summed over the environments
    # that share the account.
    iam_role_quota: Annotated[int, Field(ge=1, le=5000, strict=True)] = 1000
    plan_role_arn: Annotated[str, Field(pattern=rules.IAM_ROLE_ARN, description="Read-only role that plans assume (ReadOnlyAccess plus reading the state bucket): a pull request's plan runs its own Terraform and generator with these credentials.")] | None = None
    apply_role_arn: Annotated[str, Field(pattern=rules.IAM_ROLE_ARN, description="Deploy role that applies assume, only after review (the Atlantis server requires approved, mergeable and undiverged).")] | None = None

    @model_validator(mode="after")
    def _roles_in_this_account(self) -> AwsSettings:
        for name in ("plan_role_arn", "apply_role_arn"):
            arn = getattr(self, name)
            if arn is not None and arn.split(":")[4] != self.account_id:
                raise ValueError(f"{name} must be a role of account {self.account_id}")
        return self


class NetworkSettings(_Strict):
    vpc_id: Annotated[str, Field(pattern=rules.VPC_ID)]
    subnet_ids: list[Annotated[str, Field(pattern=rules.SUBNET_ID)]] = Field(min_length=1, max_length=16)
    # SageMaker reaches the credentials Lambda through an interface endpoint. With private DNS
    # off, the modules publish lambda.<region>.amazonaws.com in a private hosted zone instead.
    lambda_endpoint_private_dns: bool = True
    # Inbound rules per security group the account allows (AWS's default is 60). Every endpoint
    # group adds one to each registry's group it pulls from and one to the Lambda endpoint's;
    # `validate` refuses a catalog that needs more. Raise it only after AWS raised the quota.
    security_group_rule_quota: Annotated[int, Field(ge=1, le=1000, strict=True)] = 60
    # Security groups per region the account allows (AWS's default is 2,500): one per endpoint
    # group with endpoints, plus the Lambda endpoint's.
    security_group_quota: Annotated[int, Field(ge=1, le=100_000, strict=True)] = 2500
    # Route tables of the model subnets. When set, the environment gets an S3 gateway endpoint,
    # which models with model_data_url download their artifacts through.
    s3_gateway_route_table_ids: list[Annotated[str, Field(pattern=rules.ROUTE_TABLE_ID)]] = Field(
        default_factory=list, max_length=16
    )

    @field_validator("subnet_ids", "s3_gateway_route_table_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each ID once — the list has duplicates")
        return value


class RegistrySettings(_Strict):
    host: Annotated[str, Field(pattern=rules.REGISTRY_HOST, max_length=rules.MAX_REGISTRY_HOST_LENGTH)]
    auth: Literal["none", "basic", "bearer"]
    credentials_secret_arn: SecretArn | None = None
    credentials_kms_key_arn: KmsKeyArn | None = None
    security_group_id: Annotated[str, Field(pattern=rules.SECURITY_GROUP_ID)]
    # Hosts besides `host` that the registry tooling may send the login to: the bearer token
    # service a challenge's realm names. Only `registry pin/check` read it (SageMaker fetches
    # its own tokens), so it stays out of the Terraform inputs.
    token_hosts: list[Annotated[str, Field(pattern=rules.REGISTRY_HOST, max_length=rules.MAX_REGISTRY_HOST_LENGTH)]] = Field(
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


Bucket = Annotated[str, Field(pattern=rules.S3_BUCKET)]


class S3Settings(_Strict):
    """The only buckets endpoints of this environment may read model artifacts from or capture data to."""

    artifact_buckets: list[Bucket] = Field(default_factory=list, max_length=100)
    capture_buckets: list[Bucket] = Field(default_factory=list, max_length=100)
    # Keys data_capture.kms_key_arn may name besides the environment's own kms_key_arn: the
    # execution role gets kms:Encrypt and kms:GenerateDataKey on them.
    capture_kms_key_arns: list[KmsKeyArn] = Field(default_factory=list, max_length=100)

    @field_validator("artifact_buckets", "capture_buckets", "capture_kms_key_arns")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each value once — the list has duplicates")
        return value


class BackendSettings(_Strict):
    bucket: Bucket
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9!_.*'()/-]+\.tfstate$")]
    region: Region
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
    kms_key_arn: KmsKeyArn | None = None
    s3: S3Settings = Field(default_factory=S3Settings)
    backend: BackendSettings
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _state_bucket_is_private(self) -> EnvironmentFile:
        for field in ("artifact_buckets", "capture_buckets"):
            if self.backend.bucket in getattr(self.s3, field):
                raise ValueError(
                    f"remove {self.backend.bucket!r} from s3.{field} — it is the environment's Terraform "
                    "state bucket (backend.bucket), which no endpoint may read or write"
                )
        return self

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
