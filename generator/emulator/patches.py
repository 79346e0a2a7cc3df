"""Adjustments to moto for the local harness only (applied in the emulator's own process).

Each patch corrects one place where moto 5.2 answers differently from SageMaker and where that
difference would make the local environment plan changes that real AWS would not (or fail an
apply that real AWS would run). The Terraform code stays the same for every environment: no
`ignore_changes`, no emulator switches, so drift in a real account is never hidden.

`generator.emulator.server` calls `apply()` before the server starts; nothing else imports
this module, so the patches can never leak into a run against real AWS.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


def apply() -> None:
    """Apply every local-harness patch. Each patch documents the moto behaviour it corrects."""
    for patch in PATCHES:
        patch()


def _omit_empty_data_capture_config() -> None:
    """moto: DescribeEndpointConfig returns `"DataCaptureConfig": {}` when none was set.

    SageMaker omits the member. The provider reads `{}` as a data capture block with empty
    values, differing from the configuration, and plans a replacement after every apply.
    """
    from moto.core.responses import ActionResult
    from moto.sagemaker.responses import SageMakerResponse

    def describe_endpoint_config(self: SageMakerResponse) -> ActionResult:
        name = self._get_param("EndpointConfigName")
        # A copy: moto's CreateEndpoint reads the key from the stored description.
        response = dict(self.sagemaker_backend.describe_endpoint_config(name))
        if not response.get("DataCaptureConfig"):
            response.pop("DataCaptureConfig", None)
        return ActionResult(response)

    SageMakerResponse.describe_endpoint_config = describe_endpoint_config  # type: ignore[method-assign]


def _keep_enable_network_isolation() -> None:
    """moto: CreateModel drops `EnableNetworkIsolation`; DescribeModel always answers false.

    A model created with network isolation would then plan a replacement on every run.
    """
    from moto.sagemaker.responses import SageMakerResponse

    original: Callable[[SageMakerResponse], Any] = SageMakerResponse.create_model

    def create_model(self: SageMakerResponse) -> Any:
        result = original(self)
        model = self.sagemaker_backend._models[self._get_param("ModelName")]
        model.enable_network_isolation = bool(self._get_param("EnableNetworkIsolation", False))
        return result

    SageMakerResponse.create_model = create_model  # type: ignore[method-assign]


def _keep_deployment_config() -> None:
    """moto: CreateEndpoint drops `DeploymentConfig`; DescribeEndpoint has no `LastDeploymentConfig`.

    An endpoint with blue/green guardrails would then plan an update on every run.
    """
    from moto.sagemaker.responses import SageMakerResponse

    original: Callable[[SageMakerResponse], Any] = SageMakerResponse.create_endpoint

    def create_endpoint(self: SageMakerResponse) -> Any:
        result = original(self)
        endpoint = self.sagemaker_backend.endpoints[self._get_param("EndpointName")]
        endpoint.last_deployment_config = self._get_param("DeploymentConfig")
        return result

    SageMakerResponse.create_endpoint = create_endpoint  # type: ignore[method-assign]


def _add_update_endpoint() -> None:
    """moto: `UpdateEndpoint` is not implemented (the request fails).

    Every image rollout updates the endpoint in place, so without it no rollout can be applied
    locally. This switches the endpoint to the new configuration at once (moto has no fleet to
    shift) and, like SageMaker, refuses an unknown endpoint or configuration.
    """
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import FakeEndpoint
    from moto.sagemaker.responses import SageMakerResponse

    def update_endpoint(self: SageMakerResponse) -> ActionResult:
        backend = self.sagemaker_backend
        name = self._get_param("EndpointName")
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            arn = FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)
            raise ValidationError(message=f"Could not find endpoint '{arn}'.")
        config_name = self._get_param("EndpointConfigName")
        config = backend.describe_endpoint_config(config_name)  # raises when it does not exist
        endpoint.endpoint_config_name = config_name
        endpoint.production_variants = endpoint._process_production_variants(config["ProductionVariants"])
        endpoint.data_capture_config = config.get("DataCaptureConfig")
        endpoint.last_deployment_config = self._get_param("DeploymentConfig")
        endpoint.endpoint_status = "InService"
        endpoint.last_modified_time = utcnow()
        return ActionResult({"EndpointArn": endpoint.arn})

    SageMakerResponse.update_endpoint = update_endpoint  # type: ignore[attr-defined]


def _add_application_autoscaling_tags() -> None:
    """moto: Application Auto Scaling has no TagResource, UntagResource or ListTagsForResource.

    The provider tags every scalable target (at least with the default tags) and reads the tags
    back; the unimplemented action answers 500, which the provider retries for minutes. The tags
    live on the account/region backend, so a moto reset clears them with everything else.
    """
    import json

    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

    def tags_of(self: ApplicationAutoScalingResponse, arn: str) -> dict[str, str]:
        backend = self.applicationautoscaling_backend
        if not hasattr(backend, "local_harness_tags"):
            backend.local_harness_tags = {}
        return backend.local_harness_tags.setdefault(arn, {})

    original_register = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self: ApplicationAutoScalingResponse) -> str:
        body = original_register(self)
        tags_of(self, json.loads(body)["ScalableTargetARN"]).update(self._get_param("Tags") or {})
        return body

    def tag_resource(self: ApplicationAutoScalingResponse) -> str:
        tags_of(self, self._get_param("ResourceARN")).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self: ApplicationAutoScalingResponse) -> str:
        tags = tags_of(self, self._get_param("ResourceARN"))
        for key in self._get_param("TagKeys") or []:
            tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
        return json.dumps({"Tags": tags_of(self, self._get_param("ResourceARN"))})

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target  # type: ignore[method-assign]
    ApplicationAutoScalingResponse.tag_resource = tag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.untag_resource = untag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]


def _describe_group_rule_descriptions() -> None:
    """moto: DescribeSecurityGroupRules drops the description of a rule that references a group
    or a prefix list.

    It reads the description of CIDR rules only (and keeps only the ID of a prefix list). The
    provider then plans to add the description of every `aws_vpc_security_group_*_rule` with
    `referenced_security_group_id` or `prefix_list_id` on every run.
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__
    signature = inspect.signature(original_init)

    def init(self: SecurityGroupRule, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix_list = signature.bind(self, *args, **kwargs).arguments.get("prefix_list_id")
        self._prefix_list_description = (prefix_list or {}).get("Description")

    def description(self: SecurityGroupRule) -> str | None:
        return (
            self.ip_range.get("Description")
            or self.source_group.get("Description")
            or getattr(self, "_prefix_list_description", None)
        )

    SecurityGroupRule.__init__ = init  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[method-assign,assignment]


# SageMaker endpoint instance types the emulator knows quotas for, and the account-wide quota.
# Every default is 0 except the total, as on a new account; `launcher.seed` raises some of them.
SAGEMAKER_QUOTA_TYPES = (
    "ml.t2.medium", "ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.large", "ml.c5.xlarge",
    "ml.c5.2xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.inf2.xlarge", "ml.p3.2xlarge",
)
SAGEMAKER_TOTAL_QUOTA = ("Total number of instances allowed across SageMaker endpoints", 10.0)


def _add_sagemaker_service_quotas() -> None:
    """moto: Service Quotas knows only the `vpc` service and has no ListServiceQuotas or
    RequestServiceQuotaIncrease.

    The capacity review reads SageMaker's "ml.<type> for endpoint usage" quotas and the
    account-wide instance quota. So, for service code `sagemaker` only: ListAWSDefaultServiceQuotas
    and ListServiceQuotas (paginated with MaxResults/NextToken, as the API is), GetServiceQuota,
    and RequestServiceQuotaIncrease, which the emulator approves at once (AWS reviews a request
    first) and which, like AWS, takes only values above the current one. Quota codes are
    made up from the quota name (the real ones are not needed: the review matches names). The
    applied values live on the account/region backend, so a moto reset restores the defaults.
    Every other service code behaves as before.
    """
    import hashlib
    import json

    from moto.core.exceptions import JsonRESTError
    from moto.servicequotas.responses import ServiceQuotasResponse

    names = [f"{kind} for endpoint usage" for kind in SAGEMAKER_QUOTA_TYPES] + [SAGEMAKER_TOTAL_QUOTA[0]]

    def code_of(name: str) -> str:
        return "L-" + hashlib.sha256(name.encode()).hexdigest()[:8].upper()

    def default_value(name: str) -> float:
        return SAGEMAKER_TOTAL_QUOTA[1] if name == SAGEMAKER_TOTAL_QUOTA[0] else 0.0

    def quota(self: ServiceQuotasResponse, name: str, value: float) -> dict[str, Any]:
        code = code_of(name)
        return {
            "ServiceCode": "sagemaker", "ServiceName": "Amazon SageMaker", "QuotaCode": code, "QuotaName": name,
            "QuotaArn": f"arn:aws:servicequotas:{self.region}:{self.current_account}:sagemaker/{code}",
            "Value": value, "Unit": "None", "Adjustable": True, "GlobalQuota": False,
        }

    def applied(self: ServiceQuotasResponse) -> dict[str, float]:
        backend = self.backend
        if not hasattr(backend, "local_harness_sagemaker_quotas"):
            backend.local_harness_sagemaker_quotas = {name: default_value(name) for name in names}
        return backend.local_harness_sagemaker_quotas

    def page(self: ServiceQuotasResponse, quotas: list[dict[str, Any]]) -> str:
        params = json.loads(self.body or "{}")
        start = int(params.get("NextToken") or 0)
        size = int(params.get("MaxResults") or 100)
        answer: dict[str, Any] = {"Quotas": quotas[start : start + size]}
        if start + size < len(quotas):
            answer["NextToken"] = str(start + size)
        return json.dumps(answer)

    def by_code(self: ServiceQuotasResponse, code: str) -> str:
        name = next((n for n in names if code_of(n) == code), None)
        if name is None:
            raise JsonRESTError("NoSuchResourceException", f"The quota {code} does not exist for service sagemaker.")
        return name

    def sagemaker(method: Callable[[ServiceQuotasResponse], str]) -> Callable[[ServiceQuotasResponse], str]:
        original = getattr(ServiceQuotasResponse, method.__name__, None)

        def dispatch(self: ServiceQuotasResponse) -> str:
            if json.loads(self.body or "{}").get("ServiceCode") == "sagemaker" or original is None:
                return method(self)
            return original(self)

        dispatch.__name__ = method.__name__
        return dispatch

    @sagemaker
    def list_aws_default_service_quotas(self: ServiceQuotasResponse) -> str:
        return page(self, [quota(self, n, default_value(n)) for n in names])

    @sagemaker
    def list_service_quotas(self: ServiceQuotasResponse) -> str:
        return page(self, [quota(self, n, v) for n, v in applied(self).items()])

    @sagemaker
    def get_service_quota(self: ServiceQuotasResponse) -> str:
        name = by_code(self, json.loads(self.body)["QuotaCode"])
        return json.dumps({"Quota": quota(self, name, applied(self)[name])})

    @sagemaker
    def request_service_quota_increase(self: ServiceQuotasResponse) -> str:
        params = json.loads(self.body)
        name = by_code(self, params["QuotaCode"])
        desired = float(params["DesiredValue"])
        if desired <= applied(self)[name]:
            raise JsonRESTError(
                "IllegalArgumentException", f"The desired value {desired} is not above the applied value {applied(self)[name]} of {name}."
            )
        applied(self)[name] = desired
        return json.dumps({"RequestedQuota": {
            "Id": f"local-{code_of(name)}", "ServiceCode": "sagemaker", "QuotaCode": code_of(name), "QuotaName": name,
            "DesiredValue": desired, "Status": "APPROVED", "Unit": "None", "GlobalQuota": False,
        }})

    for handler in (list_aws_default_service_quotas, list_service_quotas, get_service_quota, request_service_quota_increase):
        setattr(ServiceQuotasResponse, handler.__name__, handler)


PATCHES: tuple[Callable[[], None], ...] = (
    _omit_empty_data_capture_config,
    _keep_enable_network_isolation,
    _keep_deployment_config,
    _add_update_endpoint,
    _add_application_autoscaling_tags,
    _describe_group_rule_descriptions,
    _add_sagemaker_service_quotas,
)
