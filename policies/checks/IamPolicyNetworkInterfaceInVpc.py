"""CKV_SMGO_11: a JSON IAM policy that allows ec2:CreateNetworkInterface conditions it on ec2:Vpc.

SageMaker creates the models' network interfaces with the execution role; without an ec2:Vpc
condition the role could attach interfaces in any VPC of the account. Every Allow statement that
grants ec2:CreateNetworkInterface (also via `ec2:*`, `*`, NotAction) needs an ArnEquals, ArnLike,
StringEquals or StringLike test of `ec2:Vpc` whose values have no wildcard (an ...IfExists test
would pass without the key). Resources as CKV_SMGO_4; effective in whichever mode can read the
JSON (plan mode when it is known at plan time, directory mode for `jsonencode` of literals).
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from iam_rules import JSON_POLICY_RESOURCES, interfaces_in_vpc, json_policies_of


class IamPolicyNetworkInterfaceInVpc(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an IAM policy that allows ec2:CreateNetworkInterface has an ec2:Vpc condition",
            id="CKV_SMGO_11",
            categories=[CheckCategories.IAM],
            supported_resources=JSON_POLICY_RESOURCES,
            guideline='policies/README.md#ckv_smgo_11: add Condition = { ArnEquals = { "ec2:Vpc" = <VPC ARN> } } as modules/iam does',
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["policy", "inline_policy"]
        return json_policies_of(conf, interfaces_in_vpc)


check = IamPolicyNetworkInterfaceInVpc()
