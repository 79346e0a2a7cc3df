"""The two IAM rules, evaluated over statements from either policy form.

Not a check: the IAM checks of this folder share it (checkov puts the folder on sys.path).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any

from checkov.common.models.enums import CheckResult
from PolicyStatement import PolicyStatement, has_wildcard, is_literal_arn, json_statements

INVOKE = "lambda:InvokeFunction"
READ_SECRET = "secretsmanager:GetSecretValue"
# Resources whose IAM policy is JSON text (a `policy` or `inline_policy` argument).
JSON_POLICY_RESOURCES = [
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
]
FUNCTION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$"
)
SECRET_ARN = re.compile(
    r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$"
)


def invoke_names_functions(statements: list[PolicyStatement] | None) -> CheckResult:
    """Every statement that allows lambda:InvokeFunction names functions: no wildcard, no NotResource."""
    if statements is None:
        return CheckResult.UNKNOWN
    return worst(_resources_named(s, FUNCTION_ARN) for s in statements if s.allows(INVOKE))


def reads_one_secret(statements: list[PolicyStatement] | None) -> CheckResult:
    """The statements that allow GetSecretValue name exactly one secret, without a wildcard."""
    if statements is None:
        return CheckResult.UNKNOWN
    granting = [s for s in statements if s.allows(READ_SECRET)]
    result = worst(_resources_named(s, SECRET_ARN) for s in granting)
    if result is not CheckResult.PASSED:
        return result
    named = [r for s in granting for r in s.resources or ()]
    # Each value known only after apply may be another secret: count it on its own.
    secrets = len({r for r in named if r is not None}) + named.count(None)
    return CheckResult.FAILED if secrets > 1 else CheckResult.PASSED


CREATE_INTERFACE = "ec2:CreateNetworkInterface"
# Operators whose test of ec2:Vpc must hold; an ...IfExists operator would pass without the key.
_VPC_OPERATORS = ("arnequals", "arnlike", "stringequals", "stringlike")


def interfaces_in_vpc(statements: list[PolicyStatement] | None) -> CheckResult:
    """Every statement that allows ec2:CreateNetworkInterface carries an ec2:Vpc condition naming VPCs."""
    if statements is None:
        return CheckResult.UNKNOWN
    return worst(
        _has_vpc_condition(s) for s in statements if s.allows(CREATE_INTERFACE) is not False
    )


def _has_vpc_condition(statement: PolicyStatement) -> CheckResult:
    if statement.allows(CREATE_INTERFACE) is None:
        return CheckResult.UNKNOWN
    return condition_names(statement.condition, _VPC_OPERATORS, ("ec2:vpc",))


def condition_names(condition: Any, operators: Collection[str], keys: Collection[str]) -> CheckResult:
    """Whether a statement's JSON `Condition` tests one of `keys` with one of `operators` (both
    lower case) against values without a wildcard: FAILED without such a test or with a
    wildcard, UNKNOWN where checkov left the condition or a value unresolved. A value known
    only after apply (None) is an attribute of a resource, never a wildcard."""
    if condition is None:
        return CheckResult.FAILED
    if not isinstance(condition, dict):
        return CheckResult.UNKNOWN
    for operator, tests in condition.items():
        if (
            not isinstance(operator, str)
            or operator.lower() not in operators
            or not isinstance(tests, dict)
        ):
            continue
        for key, value in tests.items():
            if isinstance(key, str) and key.lower() in keys:
                values = value if isinstance(value, list) else [value]
                if not values or any(v is not None and not isinstance(v, str) for v in values):
                    return CheckResult.UNKNOWN
                return (
                    CheckResult.FAILED
                    if any(has_wildcard(v) for v in values)
                    else CheckResult.PASSED
                )
    return CheckResult.FAILED


def json_policies_of(
    conf: dict[str, Any], rule: Callable[[list[PolicyStatement] | None], CheckResult]
) -> CheckResult:
    """Apply a rule to every JSON policy of an IAM resource: `policy`, or `inline_policy` blocks of a role."""
    policies = [conf["policy"]] if conf.get("policy") not in (None, [None]) else []
    for block in conf.get("inline_policy") or []:
        if isinstance(block, dict) and block.get("policy") not in (None, [None]):
            policies.append(block["policy"])
    if not policies:
        return CheckResult.UNKNOWN  # e.g. a role without inline policies: nothing to judge
    return worst(rule(json_statements(p)) for p in policies)


def _resources_named(statement: PolicyStatement, arn_pattern: re.Pattern[str]) -> CheckResult:
    if statement.not_resources:
        return CheckResult.FAILED  # NotResource grants on everything else
    if statement.resources is None:
        return CheckResult.UNKNOWN
    for resource in statement.resources:
        if resource is None:
            continue  # known only after apply: an attribute of a resource, never a wildcard
        if has_wildcard(resource) or (is_literal_arn(resource) and not arn_pattern.match(resource)):
            return CheckResult.FAILED
    return CheckResult.PASSED


def worst(results: Iterable[CheckResult]) -> CheckResult:
    """FAILED if any result failed, else UNKNOWN if any is unknown, else PASSED."""
    found = set(results)
    for result in (CheckResult.FAILED, CheckResult.UNKNOWN):
        if result in found:
            return result
    return CheckResult.PASSED
