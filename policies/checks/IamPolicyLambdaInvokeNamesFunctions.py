"""CKV_SMGO_4: a JSON IAM policy that allows lambda:InvokeFunction names the functions.

Covers `policy` of aws_iam_policy / aws_iam_role_policy / aws_iam_user_policy /
aws_iam_group_policy and `inline_policy` of aws_iam_role. Effective in plan mode when the JSON
is known at plan time, and in directory mode when checkov can evaluate it (a literal or a
`jsonencode` of literals); a policy built from values known only after apply gives no result.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from iam_rules import JSON_POLICY_RESOURCES, invoke_names_functions, json_policies_of


class IamPolicyLambdaInvokeNamesFunctions(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an IAM policy that allows lambda:InvokeFunction names specific function ARNs, never *",
            id="CKV_SMGO_4",
            categories=[CheckCategories.IAM],
            supported_resources=JSON_POLICY_RESOURCES,
            guideline="policies/README.md#ckv_smgo_4: list the credentials Lambda ARNs in Resource",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["policy", "inline_policy"]
        return json_policies_of(conf, invoke_names_functions)


check = IamPolicyLambdaInvokeNamesFunctions()
