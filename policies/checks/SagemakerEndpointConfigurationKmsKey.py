"""CKV_SMGO_5: a SageMaker endpoint configuration encrypts its storage with a KMS key of its own.

Effective in plan mode, where `kms_key_arn` is resolved per environment (null fails). In
directory mode a module's `kms_key_arn = var.kms_key_arn` is a reference and passes; a missing
or null `kms_key_arn` fails in both modes.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from terraform_values import scalar


class SagemakerEndpointConfigurationKmsKey(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a SageMaker endpoint configuration sets kms_key_arn",
            id="CKV_SMGO_5",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_sagemaker_endpoint_configuration"],
            guideline="policies/README.md#ckv_smgo_5: set kms_key_arn in environments/<env>/environment.yaml",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["kms_key_arn"]
        key = scalar(conf.get("kms_key_arn"))
        return CheckResult.PASSED if isinstance(key, str) and key.strip() else CheckResult.FAILED


check = SagemakerEndpointConfigurationKmsKey()
