"""Reading Terraform values as checkov hands them to a check, in either scan mode.

Not a check: the SageMaker checks of this folder share it (checkov puts the folder on sys.path).
"""

from __future__ import annotations

import re
from typing import Any

# A bare reference checkov left unresolved: directory mode strips `${}` from `var.image`, and plan
# mode puts the configuration's expression where a value is known only after apply.
_REFERENCE = re.compile(r"^(var|local|module|data|each|count|self|aws_[a-z0-9_]+)\.[\w.\[\]\"*-]+$")
_METADATA = re.compile(r"^__.*__$|^(start_line|end_line)$")


def scalar(value: Any) -> Any:
    """checkov wraps every attribute value in a one-element list: unwrap it once."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def is_unresolved(value: Any) -> bool:
    """Whether the value is an expression checkov could not evaluate, not a literal."""
    return isinstance(value, str) and ("${" in value or bool(_REFERENCE.match(value)))


def blocks(conf: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The nested blocks called `name` that carry at least one setting (metadata keys ignored)."""
    found = []
    for block in conf.get(name) or []:
        if isinstance(block, list):  # plan mode wraps the list of blocks once more
            found.extend(b for b in block if isinstance(b, dict))
        elif isinstance(block, dict):
            found.append(block)
    return [b for b in found if any(not _METADATA.match(k) for k in b)]


def containers(conf: dict[str, Any]) -> list[dict[str, Any]]:
    """The container definitions of an `aws_sagemaker_model` (primary and inference pipeline)."""
    return blocks(conf, "primary_container") + blocks(conf, "container")
