"""CKV_SMGO_2: every image of a SageMaker model is pinned by digest, never by tag.

Effective in plan mode, where the image is resolved. In directory mode the module's
`image = var.endpoint.image` is unresolved: the check gives no result there (terraform/group's
validation of `endpoints` enforces the digest form instead); literal images are checked in both
modes.
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from terraform_values import containers, is_unresolved, scalar

# A copy of generator.common.rules.DIGEST_IMAGE (this check runs where generator cannot be
# imported); tests/test_rules_parity.py keeps the two equal.
DIGEST_IMAGE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*@sha256:[0-9a-f]{64}$")


class SagemakerModelImagePinnedByDigest(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every SageMaker model image is pinned by digest (image@sha256:<64 hex>)",
            id="CKV_SMGO_2",
            categories=[CheckCategories.SUPPLY_CHAIN],
            supported_resources=["aws_sagemaker_model"],
            guideline="policies/README.md#ckv_smgo_2: use `python -m generator registry pin` to replace the tag with its digest",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        images = [scalar(c.get("image")) for c in containers(conf)]
        images = [i for i in images if i is not None]
        self.evaluated_keys = ["primary_container/[0]/image", "container"]
        if any(
            isinstance(i, str) and not is_unresolved(i) and not DIGEST_IMAGE.fullmatch(i) for i in images
        ):
            return CheckResult.FAILED
        if not images or any(not isinstance(i, str) or is_unresolved(i) for i in images):
            return CheckResult.UNKNOWN
        return CheckResult.PASSED


check = SagemakerModelImagePinnedByDigest()
