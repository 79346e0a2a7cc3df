"""CKV_SMGO_9: the Lambda interface endpoint lets through only lambda:InvokeFunction on named functions.

An `aws_vpc_endpoint` whose service ends in `.lambda` needs a `policy` (without one AWS attaches
full access); each Allow statement may name only `lambda:InvokeFunction` (no other action, no
wildcard, no NotAction) on function ARNs (no wildcard, no NotResource). Deny statements pass.
Effective in plan mode, where the policy JSON is known; in directory mode a policy checkov cannot
evaluate gives no result, while a missing policy fails in both modes. Other endpoints pass.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from iam_rules import FUNCTION_ARN, INVOKE, worst
from PolicyStatement import PolicyStatement, has_wildcard
from vpc_endpoint_policy import endpoint_policy_rule, only_actions, only_resources


class LambdaEndpointPolicyInvokesNamedFunctions(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a Lambda VPC endpoint has a policy that allows only lambda:InvokeFunction on named functions",
            id="CKV_SMGO_9",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_vpc_endpoint"],
            guideline="policies/README.md#ckv_smgo_9: pass the credentials function ARNs as lambda_endpoint_function_arns of modules/vpc_endpoints",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["service_name", "policy"]
        return endpoint_policy_rule(conf, "lambda", _invokes_named_functions)


def _invokes_named_functions(statement: PolicyStatement) -> CheckResult:
    return worst([only_actions(statement, [INVOKE]), only_resources(statement, _function)])


def _function(resource: str) -> bool:
    """A function ARN without a wildcard (an expression checkov left unresolved counts as one)."""
    return not has_wildcard(resource) and (bool(FUNCTION_ARN.match(resource)) or "${" in resource)


check = LambdaEndpointPolicyInvokesNamedFunctions()
