"""CKV_SMGO_3: an aws_iam_policy_document that allows lambda:InvokeFunction names the functions.

Effective in both scan modes: directory mode sees the statements as written (a reference such
as `values(var.credentials_lambda_arns)` passes; a literal `*` or `function:*` fails), plan mode
sees the resolved ARNs (ARNs known only after apply are attributes of functions, never wildcards).
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.parser_functions import handle_dynamic_values
from iam_rules import invoke_names_functions
from PolicyStatement import document_statements


class IamDocumentLambdaInvokeNamesFunctions(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an IAM policy document that allows lambda:InvokeFunction names specific function ARNs, never *",
            id="CKV_SMGO_3",
            categories=[CheckCategories.IAM],
            supported_data=["aws_iam_policy_document"],
            guideline="policies/README.md#ckv_smgo_3: list the credentials Lambda ARNs in resources",
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        handle_dynamic_values(conf)
        self.evaluated_keys = ["statement"]
        return invoke_names_functions(document_statements(conf))


check = IamDocumentLambdaInvokeNamesFunctions()
