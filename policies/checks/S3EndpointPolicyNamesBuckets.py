"""CKV_SMGO_10: an S3 VPC endpoint lets through only named actions on objects of named buckets.

An `aws_vpc_endpoint` whose service ends in `.s3` (gateway or interface) needs a `policy`
(without one AWS attaches full access); each Allow statement names actions without a wildcard
(no `s3:*`, no NotAction) and object ARNs `arn:<partition>:s3:::<bucket>/<key or prefix*>` whose
bucket has no wildcard (no `*`, no NotResource). Deny statements pass. Effective in plan mode,
where the policy JSON is known; in directory mode a policy checkov cannot evaluate gives no
result, while a missing policy fails in both modes. Other endpoints pass.
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from PolicyStatement import PolicyStatement, has_wildcard
from vpc_endpoint_policy import endpoint_policy_rule, only_resources

# The bucket part must be a literal name; the key part may end in a wildcard.
OBJECT_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$")


class S3EndpointPolicyNamesBuckets(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an S3 VPC endpoint has a policy that allows named actions on objects of named buckets only",
            id="CKV_SMGO_10",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_vpc_endpoint"],
            guideline="policies/README.md#ckv_smgo_10: list the buckets in s3.artifact_buckets / s3.capture_buckets of environments/<env>/environment.yaml",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["service_name", "policy"]
        return endpoint_policy_rule(conf, "s3", _names_buckets)


def _names_buckets(statement: PolicyStatement) -> CheckResult:
    if statement.not_actions:
        return CheckResult.FAILED
    if statement.actions is None:
        return CheckResult.UNKNOWN
    if any(has_wildcard(a) for a in statement.actions):
        return CheckResult.FAILED
    return only_resources(statement, _object_in_named_bucket)


def _object_in_named_bucket(resource: str) -> bool:
    """An object ARN whose bucket part has no wildcard (only the key part may hold one); an
    expression checkov left unresolved counts as such an ARN when its literal bucket part does."""
    if "/" not in resource:
        return False  # the bucket itself, or `*`
    bucket = resource.split(":::", 1)[-1].split("/", 1)[0]
    return not has_wildcard(bucket) and (bool(OBJECT_ARN.match(resource)) or "${" in resource)


check = S3EndpointPolicyNamesBuckets()
