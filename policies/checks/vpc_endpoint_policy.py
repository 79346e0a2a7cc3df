"""The policy of a VPC endpoint, read from checkov's view of an `aws_vpc_endpoint`.

Not a check: the VPC endpoint checks of this folder share it (checkov puts the folder on sys.path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from checkov.common.models.enums import CheckResult
from iam_rules import worst
from PolicyStatement import PolicyStatement, json_statements
from terraform_values import is_unresolved, scalar


def endpoint_policy_rule(
    conf: dict[str, Any], service: str, rule: Callable[[PolicyStatement], CheckResult]
) -> CheckResult:
    """Endpoints of other services pass; an endpoint of `service` without a policy fails (AWS then
    attaches its full-access default); otherwise every Allow statement must satisfy `rule`."""
    name = scalar(conf.get("service_name"))
    if not isinstance(name, str):
        return CheckResult.UNKNOWN
    if not name.endswith(f".{service}"):
        return CheckResult.PASSED
    policy = conf.get("policy")
    if policy in (None, [None], [""], ""):
        return CheckResult.FAILED
    statements = json_statements(policy)
    if statements is None:
        return CheckResult.UNKNOWN  # built from values checkov cannot resolve
    results = []
    for statement in statements:
        effect = statement.effect
        if effect is None:
            results.append(CheckResult.UNKNOWN)
        elif effect.lower() == "allow":
            results.append(rule(statement))
    return worst(results)


def only_actions(statement: PolicyStatement, allowed: Iterable[str]) -> CheckResult:
    """No NotAction, and every action one of `allowed` exactly (no wildcard)."""
    if statement.not_actions:
        return CheckResult.FAILED
    if statement.actions is None:
        return CheckResult.UNKNOWN
    names = {a.lower() for a in allowed}
    return (
        CheckResult.PASSED
        if all(a.lower() in names for a in statement.actions)
        else CheckResult.FAILED
    )


def only_resources(statement: PolicyStatement, acceptable: Callable[[str], bool]) -> CheckResult:
    """No NotResource, and every resource known at scan time is one that `acceptable` accepts."""
    if statement.not_resources:
        return CheckResult.FAILED
    if not statement.resources:
        return CheckResult.UNKNOWN
    result = CheckResult.PASSED
    for resource in statement.resources:
        if resource is None:
            continue  # known only after apply: an attribute of a resource, never a wildcard
        if is_unresolved(resource) and "${" not in resource:
            result = CheckResult.UNKNOWN  # a bare reference such as local.arns: could be anything
        elif not isinstance(resource, str) or not acceptable(resource):
            return CheckResult.FAILED
    return result
