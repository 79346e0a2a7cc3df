"""CKV_SMGO_7: a JSON IAM policy that allows secretsmanager:GetSecretValue names one secret.

The JSON counterpart of CKV_SMGO_6, for the resources and scan modes listed in CKV_SMGO_4.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from iam_rules import JSON_POLICY_RESOURCES, json_policies_of, reads_one_secret


class IamPolicySecretReadScoped(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an IAM policy that allows secretsmanager:GetSecretValue names exactly one secret ARN, without wildcards",
            id="CKV_SMGO_7",
            categories=[CheckCategories.SECRETS],
            supported_resources=JSON_POLICY_RESOURCES,
            guideline="policies/README.md#ckv_smgo_7: grant GetSecretValue on the one secret ARN the Lambda reads",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["policy", "inline_policy"]
        return json_policies_of(conf, reads_one_secret)


check = IamPolicySecretReadScoped()
