"""Names that Terraform gives by convention (modules/naming), where Python needs them too.

The quota estimate sizes the group's execution policy, which names each credentials Lambda it
may invoke. `tests/test_naming.py` pins the same example as modules/naming's `terraform test`,
so the two spellings cannot drift apart unnoticed.
"""

from __future__ import annotations

PREFIX = "sagemaker-gitops"


def environment_prefix(environment: str) -> str:
    """Prefix of every name in an environment: sagemaker-gitops-<environment>."""
    return f"{PREFIX}-{environment}"


def credentials_function_name(environment: str, registry: str) -> str:
    """The credentials Lambda of a registry that needs a login (underscores become hyphens)."""
    return f"{environment_prefix(environment)}-{registry.replace('_', '-')}-creds"


def credentials_function_arn(partition: str, region: str, account_id: str, environment: str, registry: str) -> str:
    return f"arn:{partition}:lambda:{region}:{account_id}:function:{credentials_function_name(environment, registry)}"
