"""Turns pydantic validation errors into `Problem`s a person can act on: file, line, field, fix."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.catalog.yamlio import LoadedYaml
from generator.common.errors import Problem
from generator.common.rules import excerpt

# What to do about a field whose value does not match its pattern, by field name.
FIELD_FIXES: dict[str, str] = {
    "name": "use 1-48 letters, digits and hyphens, starting and ending with a letter or digit",
    "instance_type": "use a SageMaker ML instance type such as ml.m5.large",
    "initial_instance_count": "use a whole number of instances from 1 to 100",
    "initial_variant_weight": "use a positive number such as 1 or 0.5",
    "region": "use an AWS region code such as eu-west-1",
    "account_id": "quote the 12-digit AWS account ID, e.g. \"123456789012\"",
    "vpc_id": "use a VPC ID such as vpc-0a1b2c3d4e5f67890",
    "subnet_ids": "use subnet IDs such as subnet-0a1b2c3d4e5f67890",
    "s3_gateway_route_table_ids": "use route table IDs such as rtb-0a1b2c3d4e5f67890",
    "security_group_rule_quota": "use the account quota of inbound rules per security group, 1 to 1000 (AWS default 60)",
    "security_group_id": "use a security group ID such as sg-0a1b2c3d4e5f67890",
    "credentials_secret_arn": "use a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
    "credentials_kms_key_arn": "use a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
    "kms_key_arn": "use a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
    "auth": "use none, basic or bearer",
    "host": "use the registry's DNS name, optionally with :port, in lower case (registry.example.com)",
    "model_data_url": "use an S3 URL such as s3://bucket/prefix/model.tar.gz",
    "bucket": "use a valid S3 bucket name",
    "key": "use an S3 object key ending in .tfstate",
    "environments": "use existing environment names (lower case, digits, hyphens)",
    "tags": "use tag keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @",
    "container_environment": "use variable names of letters, digits and underscores, not starting with a digit",
}


def problems_from_validation(
    error: ValidationError,
    *,
    file: str,
    loaded: LoadedYaml | None,
    model: type[BaseModel],
    prefix: Sequence[str | int] = (),
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(prefix) + tuple(item["loc"])
        field = _dotted(loc) or "(document)"
        line = loaded.line_of(loc) if loaded else None
        fix, detail = _fix_for(item, loc, model, prefix)
        problems.append(Problem(file=file, line=line, field=field, fix=fix, detail=detail))
    return problems


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _last_name(loc: Sequence[str | int]) -> str:
    return next((s for s in reversed(loc) if isinstance(s, str)), "")


def _fix_for(
    item: Any, loc: tuple[str | int, ...], model: type[BaseModel], prefix: Sequence[str | int]
) -> tuple[str, str]:
    kind = item["type"]
    value = item.get("input")
    name = _last_name(loc)
    if kind == "value_error":
        # Our own validators phrase their message as "<fix> — <detail>".
        message = str(item["ctx"]["error"]) if "ctx" in item else item["msg"]
        fix, _, detail = message.partition(" — ")
        return fix, detail
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, tuple(item["loc"])[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"remove `{name}` or correct its spelling{hint}", f"unknown key {excerpt(name)}"
    if kind == "missing":
        return f"add `{name}:`", "required field is missing"
    base = FIELD_FIXES.get(name) or FIELD_FIXES.get(str(loc[-2]) if len(loc) > 1 else "", "")
    if not base:
        base = f"correct `{name}`"
    return base, f"{item['msg'].rstrip('.')}, got {excerpt(value)}" if value is not None else item["msg"]


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the model found at `loc`, for a "did you mean" style hint."""
    annotation: Any = model
    for step in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(step))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (dict, list):
            args = typing.get_args(annotation)
            annotation = args[-1] if args else Any
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the interesting type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation
