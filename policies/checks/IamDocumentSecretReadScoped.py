"""CKV_SMGO_6: an aws_iam_policy_document that allows secretsmanager:GetSecretValue names one secret.

The credentials Lambda's role reads its own registry secret and nothing else: the statements
that allow GetSecretValue (also through `secretsmanager:*` or `*`) name exactly one secret ARN,
with no wildcard and no NotResource. Effective in both scan modes (see CKV_SMGO_3); a reference
such as `var.secret_arn` counts as one secret.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.parser_functions import handle_dynamic_values
from iam_rules import reads_one_secret
from PolicyStatement import document_statements


class IamDocumentSecretReadScoped(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an IAM policy document that allows secretsmanager:GetSecretValue names exactly one secret ARN, without wildcards",
            id="CKV_SMGO_6",
            categories=[CheckCategories.SECRETS],
            supported_data=["aws_iam_policy_document"],
            guideline="policies/README.md#ckv_smgo_6: grant GetSecretValue on the one secret ARN the Lambda reads",
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        handle_dynamic_values(conf)
        self.evaluated_keys = ["statement"]
        return reads_one_secret(document_statements(conf))


check = IamDocumentSecretReadScoped()
