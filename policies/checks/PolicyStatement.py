"""IAM policy statements read from checkov's view of Terraform, in either scan mode.

Not a check: the IAM checks of this folder share it. checkov executes every module of the
folder and puts the folder on sys.path, so the checks import this one by its file name.

A value checkov could not resolve is kept as ``None`` ("unknown"), never guessed: directory
mode shows `${var.x}`-style expressions, plan mode shows values known only after apply as a
reference such as ``aws_lambda_function.this.arn`` (or null).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

_INTERPOLATION = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True)
class PolicyStatement:
    """One statement: ``None`` for an element checkov could not resolve."""

    effect: str | None
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[Any, ...] | None
    not_resources: tuple[Any, ...] | None
    # The JSON `Condition` and `Principal` as written (only read from JSON policies).
    condition: Any = None
    principal: Any = None

    def allows(self, action: str) -> bool | None:
        """Whether the statement allows `action` (``None`` when it cannot be told)."""
        if self.effect is not None and self.effect.lower() != "allow":
            return False
        if self.not_actions:
            return not any(_action_matches(pattern, action) for pattern in self.not_actions)
        if self.actions is None:
            return None
        return any(_action_matches(pattern, action) for pattern in self.actions)

    @classmethod
    def from_document_block(cls, block: dict[str, Any]) -> PolicyStatement:
        """A `statement` block of a `data "aws_iam_policy_document"` as checkov hands it over."""
        return cls(
            effect=_scalar(block.get("effect")),
            actions=_string_list(block.get("actions")),
            not_actions=_string_list(block.get("not_actions")),
            resources=_value_list(block.get("resources")),
            not_resources=_value_list(block.get("not_resources")),
        )

    @classmethod
    def from_json(cls, statement: dict[str, Any]) -> PolicyStatement:
        """One element of a JSON policy's `Statement`."""
        return cls(
            effect=statement.get("Effect") if isinstance(statement.get("Effect"), str) else None,
            actions=_json_list(statement.get("Action")),
            not_actions=_json_list(statement.get("NotAction")),
            resources=_json_list(statement.get("Resource")),
            not_resources=_json_list(statement.get("NotResource")),
            condition=statement.get("Condition"),
            principal=statement.get("Principal"),
        )


def document_statements(conf: dict[str, Any]) -> list[PolicyStatement] | None:
    """Statements of an `aws_iam_policy_document`, including JSON it merges in; None when unknown."""
    statements = [
        PolicyStatement.from_document_block(b)
        for b in conf.get("statement", [])
        if isinstance(b, dict)
    ]
    for key in (
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ):
        for document in _flatten(conf.get(key)):
            if document is None:
                continue
            merged = json_statements(document)
            if merged is None:
                return None
            statements.extend(merged)
    return statements


def json_statements(policy: Any) -> list[PolicyStatement] | None:
    """Statements of a JSON policy (a string, or the object checkov made of `jsonencode`); None when unknown."""
    if isinstance(policy, list) and len(policy) == 1:
        policy = policy[0]
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return None  # an unresolved expression such as data.x.json or jsonencode(concat(...))
    if not isinstance(policy, dict):
        return None
    raw = policy.get("Statement")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        return None
    return [PolicyStatement.from_json(s) for s in raw]


def has_wildcard(value: Any) -> bool:
    """Whether a literal part of the value (outside `${...}`) holds an IAM wildcard."""
    return isinstance(value, str) and any(c in _INTERPOLATION.sub("", value) for c in "*?")


def is_literal_arn(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("arn:") and "${" not in value


def _action_matches(pattern: str, action: str) -> bool:
    return isinstance(pattern, str) and fnmatchcase(action.lower(), pattern.lower())


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def _scalar(value: Any) -> Any:
    """checkov wraps every attribute value in a one-element list: unwrap it once."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _value_list(value: Any) -> tuple[Any, ...] | None:
    """[[a, b]] is the list a, b; [None] is "not set"; ["var.x"] an expression for the whole list."""
    value = _scalar(value)
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(_flatten(value))
    return (value,)


def _string_list(value: Any) -> tuple[str, ...] | None:
    """Action names; None when any of them is an unresolved expression rather than `service:Name` or `*`."""
    values = _value_list(value)
    if values is None or not all(_is_action_name(v) for v in values):
        return None
    return values  # type: ignore[return-value]


def _is_action_name(value: Any) -> bool:
    return isinstance(value, str) and "${" not in value and (value == "*" or ":" in value)


def _json_list(value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(value)
    return (value,)
