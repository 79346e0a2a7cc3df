"""CKV_SMGO_1: a SageMaker model pulls an image from outside ECR only through the VPC.

Effective in both scan modes. In directory mode a module's `image = var.image` is unresolved and
counts as "not ECR", so the module itself must set Vpc access and `vpc_config`; in plan mode the
resolved image decides, and a model whose images all come from ECR passes.
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from terraform_values import blocks, containers, is_unresolved, scalar

ECR_IMAGE = re.compile(r"^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/")


class SagemakerModelPrivateImageInVpc(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name='Ensure a SageMaker model whose image is not on ECR uses image_config.repository_access_mode = "Vpc" and a vpc_config',
            id="CKV_SMGO_1",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
            guideline='policies/README.md#ckv_smgo_1: set image_config { repository_access_mode = "Vpc" } and vpc_config { subnets, security_group_ids }',
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        private = [c for c in containers(conf) if _pulls_from_private_registry(c)]
        self.evaluated_keys = ["primary_container/[0]/image_config", "container", "vpc_config"]
        if not private:
            return CheckResult.PASSED
        modes = [
            scalar(b.get("repository_access_mode"))
            for c in private
            for b in blocks(c, "image_config") or [{}]
        ]
        if any(m != "Vpc" and not is_unresolved(m) for m in modes):
            return CheckResult.FAILED
        if not blocks(conf, "vpc_config"):
            return CheckResult.FAILED
        return CheckResult.UNKNOWN if any(is_unresolved(m) for m in modes) else CheckResult.PASSED


def _pulls_from_private_registry(container: dict[str, Any]) -> bool:
    image = scalar(container.get("image"))
    if image is None:
        return False  # a model package or inference specification brings its own image
    return not (isinstance(image, str) and not is_unresolved(image) and ECR_IMAGE.match(image))


check = SagemakerModelPrivateImageInVpc()
