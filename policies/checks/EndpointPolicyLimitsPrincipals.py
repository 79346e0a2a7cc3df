"""CKV_SMGO_12: Lambda and S3 VPC endpoint policies let through principals of named accounts only.

An endpoint policy is what limits the endpoint itself, whatever IAM policies the callers carry:
an Allow statement for `Principal = "*"` without a principal condition lets credentials of any
account that reach the VPC (a pull request's code running there, a compromised workload with
its own keys) invoke functions or read and write objects through it. Every Allow statement of an
endpoint whose service ends in `.lambda` or `.s3` needs a StringEquals test of
`aws:PrincipalAccount` or `aws:PrincipalOrgID` whose values have no wildcard (an ...IfExists
test would pass without the key), or a Principal that names principals without a wildcard.
Deny statements pass; an endpoint without a policy fails (AWS then attaches full access, for any
principal). Effective in plan mode, where the policy JSON is known; in directory mode a policy
checkov cannot evaluate gives no result. Other endpoints pass.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from iam_rules import condition_names, worst
from PolicyStatement import PolicyStatement, has_wildcard
from vpc_endpoint_policy import endpoint_policy_rule

SERVICES = ("lambda", "s3")
PRINCIPAL_KEYS = frozenset({"aws:principalaccount", "aws:principalorgid"})
OPERATORS = frozenset({"stringequals"})


class EndpointPolicyLimitsPrincipals(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Lambda and S3 VPC endpoint policies allow principals of named accounts only",
            id="CKV_SMGO_12",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_vpc_endpoint"],
            guideline='policies/README.md#ckv_smgo_12: add Condition = { StringEquals = { "aws:PrincipalAccount" = <account ID> } } as modules/vpc_endpoints does',
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["service_name", "policy"]
        return worst(endpoint_policy_rule(conf, service, limits_principals) for service in SERVICES)


def limits_principals(statement: PolicyStatement) -> CheckResult:
    """An Allow statement names its principals, or conditions `*` on their account or organisation."""
    named = _named_principals(statement.principal)
    if named is not CheckResult.FAILED:
        return named
    return condition_names(statement.condition, OPERATORS, PRINCIPAL_KEYS)


def _named_principals(principal: Any) -> CheckResult:
    """PASSED for principals named without a wildcard, FAILED for `*` (or a wildcard among them)."""
    if principal is None or principal == "*":
        return CheckResult.FAILED
    if not isinstance(principal, dict):
        return CheckResult.UNKNOWN
    values = [v for group in principal.values() for v in (group if isinstance(group, list) else [group])]
    if not values or any(isinstance(v, str) and has_wildcard(v) for v in values):
        return CheckResult.FAILED
    return CheckResult.PASSED if all(isinstance(v, str) for v in values) else CheckResult.UNKNOWN


check = EndpointPolicyLimitsPrincipals()
