"""A flat, hand-written-style Terraform configuration of exactly the root module's resources.

No modules, no variables, no `for_each`: one literal block per resource, values spelled out
the way a person writing the configuration by hand would (names, ARNs and hashes precomputed).
Its plan is compared with the root module's plan of the same environment: the difference is
what the modules cost Terraform. `same_resources` checks that both plans hold the same resources.

This mirrors modules/* as they are; when a module gains a resource, `same_resources` reports
the difference instead of letting the benchmark compare unlike plans.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = "sagemaker-gitops"
LAMBDA_PACKAGE = "../build/lambda/registry_credentials.zip"  # relative to the configuration dir
AWAIT_SCRIPT = "../modules/sagemaker_endpoint/scripts/await_endpoint.py"


# Catalog fields whose resources this configuration mirrors; others (features a module adds
# later) are dropped from the synthetic catalog so that both sides plan the same resources.
ENDPOINT_FIELDS = frozenset({
    "name", "description", "owner", "image", "instance_type", "initial_instance_count", "variants",
    "container_environment", "model_data_url", "enable_network_isolation", "tags", "environments",
})
VARIANT_FIELDS = frozenset({"instance_type", "initial_instance_count", "initial_variant_weight"})


def restrict(entry: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry trimmed to ENDPOINT_FIELDS / VARIANT_FIELDS, overrides included."""

    def trim(fields: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in fields.items() if k in ENDPOINT_FIELDS}
        if isinstance(kept.get("variants"), dict):
            kept["variants"] = {
                name: {k: v for k, v in (variant or {}).items() if k in VARIANT_FIELDS}
                for name, variant in kept["variants"].items()
            }
        return kept

    trimmed = trim(entry)
    trimmed["environments"] = {env: trim(o or {}) for env, o in (entry.get("environments") or {}).items()}
    return trimmed


def hcl(value: Any, indent: int = 0) -> str:
    """A literal HCL expression for JSON-like data."""
    pad = "  " * indent
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v, indent) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "".join(f"{pad}  {json.dumps(k)} = {hcl(v, indent + 1)}\n" for k, v in value.items())
        return "{\n" + inner + pad + "}"
    raise TypeError(f"no HCL literal for {type(value).__name__}")


def label(name: str) -> str:
    """A resource label from an endpoint or registry name (labels cannot start with a digit)."""
    return "x_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


class _Raw:
    """An expression written as is, e.g. a reference such as aws_iam_role.execution.arn."""

    def __init__(self, expr: str):
        self.expr = expr


def hcl_json(document: Any) -> str:
    """jsonencode(...) of a document that may hold reference expressions (`_Raw`)."""

    def expr(value: Any, indent: int) -> str:
        pad = "  " * indent
        if isinstance(value, _Raw):
            return value.expr
        if isinstance(value, dict):
            inner = "".join(f"{pad}  {json.dumps(k)} = {expr(v, indent + 1)}\n" for k, v in value.items())
            return "{\n" + inner + pad + "}"
        if isinstance(value, list):
            return "[" + ", ".join(expr(v, indent) for v in value) + "]"
        return hcl(value, indent)

    return f"jsonencode({expr(document, 1)})"


def _attrs(pairs: dict[str, Any], indent: int = 1) -> list[str]:
    return [f"{k} = {v.expr}" if isinstance(v, _Raw) else f"{k} = {hcl(v, indent)}" for k, v in pairs.items()]


def _nested(name: str, body: list[str]) -> list[str]:
    return [f"{name} {{", *("  " + line if line else "" for line in body), "}"]


def _ref_or_literal(value: str) -> Any:
    return _Raw(value) if value.startswith("aws_") else value


def _short_hash(content: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()[:10]


def _port(host: str) -> int:
    parts = host.split(":")
    return int(parts[1]) if len(parts) == 2 else 443


def package_hash(zip_path: Path) -> str:
    """filebase64sha256() of the Lambda zip, precomputed as a hand-written file would carry it."""
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()


@dataclass
class _Flat:
    """One environment's settings and the blocks written so far."""

    environment: dict[str, Any]
    endpoints: dict[str, Any]
    lambda_hash: str
    lines: list[str] = field(default_factory=list)
    lambda_arns: dict[str, str] = field(default_factory=dict)  # registry -> reference to its Lambda ARN

    @property
    def name(self) -> str:
        return f"{PROJECT}-{self.environment['environment']}"

    @property
    def region(self) -> str:
        return self.environment["aws_region"]

    @property
    def account(self) -> str:
        return self.environment["aws_account_id"]

    @property
    def network(self) -> dict[str, Any]:
        return self.environment["network"]

    @property
    def kms(self) -> str | None:
        return self.environment.get("kms_key_arn")

    def block(self, header: str, body: list[str]) -> None:
        self.lines += [header + " {", *("  " + line if line else "" for line in body), "}", ""]

    def resource(self, kind: str, label_: str, attributes: dict[str, Any], *nested: list[str]) -> None:
        body = _attrs(attributes)
        for lines in nested:
            body += ["", *lines]
        self.block(f'resource "{kind}" "{label_}"', body)


def configuration(environment: dict[str, Any], endpoints: dict[str, Any], lambda_hash: str) -> str:
    """main.tf of the flat configuration for one rendered environment (its two tfvars documents)."""
    flat = _Flat(environment, endpoints, lambda_hash)
    _provider(flat)
    _vpc_endpoint(flat)
    for registry, settings in sorted(flat.environment["registries"].items()):
        if settings["auth"] != "none":
            _registry_credentials(flat, registry, settings)
    role_arn = _execution_role(flat)
    for name in sorted(endpoints):
        _endpoint(flat, name, endpoints[name], role_arn)
    return "\n".join(flat.lines)


def _provider(flat: _Flat) -> None:
    provider_tags = {
        **flat.environment.get("tags", {}),
        "sagemaker-gitops:environment": flat.environment["environment"],
        "managed-by": "sagemaker-gitops",
    }
    flat.block("terraform", [
        *_nested("required_providers", ["aws = {", '  source  = "hashicorp/aws"', '  version = "~> 5.100"', "}"]),
        "",
        'backend "s3" {}',
    ])
    flat.block('provider "aws"', [
        f"region              = {hcl(flat.region)}",
        f"allowed_account_ids = {hcl([flat.account])}",
        "",
        *_nested("default_tags", [f"tags = {hcl(provider_tags, 1)}"]),
    ])


def _vpc_endpoint(flat: _Flat) -> None:
    """modules/vpc_endpoints: the Lambda interface endpoint, its group, and a zone without private DNS."""
    network, name = flat.network, flat.name
    lambda_dns = f"lambda.{flat.region}.amazonaws.com"
    lifecycle = _nested("lifecycle", ["create_before_destroy = true"])
    flat.resource("aws_security_group", "lambda_endpoint", {
        "name_prefix": f"{name}-lambda-endpoint-",
        "description": "Lambda interface endpoint: HTTPS from SageMaker model security groups only",
        "vpc_id": network["vpc_id"],
        "tags": {"Name": f"{name}-lambda-endpoint"},
    }, lifecycle)
    private_dns = network.get("lambda_endpoint_private_dns", True)
    flat.resource("aws_vpc_endpoint", "lambda", {
        "vpc_id": network["vpc_id"],
        "service_name": f"com.amazonaws.{flat.region}.lambda",
        "vpc_endpoint_type": "Interface",
        "subnet_ids": network["subnet_ids"],
        "security_group_ids": _Raw("[aws_security_group.lambda_endpoint.id]"),
        "private_dns_enabled": private_dns,
        "tags": {"Name": f"{name}-lambda"},
    })
    if private_dns:
        return
    flat.block('resource "aws_route53_zone" "lambda"', [
        *_attrs({"name": lambda_dns, "comment": f"Routes {lambda_dns} to the VPC endpoint (private DNS is off)", "tags": {}}),
        *_nested("vpc", [f"vpc_id = {hcl(network['vpc_id'])}"]),
    ])
    flat.block('resource "aws_route53_record" "lambda"', [
        *_attrs({"zone_id": _Raw("aws_route53_zone.lambda.zone_id"), "name": lambda_dns, "type": "A"}),
        *_nested("alias", [
            "name                   = aws_vpc_endpoint.lambda.dns_entry[0].dns_name",
            "zone_id                = aws_vpc_endpoint.lambda.dns_entry[0].hosted_zone_id",
            "evaluate_target_health = false",
        ]),
    ])


def _registry_credentials(flat: _Flat, registry: str, settings: dict[str, Any]) -> None:
    """modules/registry_credentials: role, log group, policy and function for one registry."""
    function = f"{flat.name}-{registry.replace('_', '-')}-creds"
    x = f"{label(registry)}_creds"
    flat.lambda_arns[registry] = f"aws_lambda_function.{x}.arn"
    secret = settings["credentials_secret_arn"]
    trust = {"Version": "2012-10-17", "Statement": [
        {"Sid": "LambdaAssumeRole", "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}},
    ]}
    flat.resource("aws_iam_role", x, {
        "name": f"{function}-role",
        "description": f"Registry credentials Lambda {function}: reads one secret",
        "assume_role_policy": _Raw(hcl_json(trust)),
        "tags": {},
    })
    flat.resource("aws_cloudwatch_log_group", x, {"name": f"/aws/lambda/{function}", "retention_in_days": 30, "tags": {}})
    statements: list[Any] = [
        {"Sid": "ReadRegistrySecret", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [secret]},
    ]
    if settings.get("credentials_kms_key_arn"):
        via = f"secretsmanager.{secret.split(':')[3]}.amazonaws.com"
        statements.append({
            "Sid": "DecryptRegistrySecret", "Effect": "Allow", "Action": ["kms:Decrypt"],
            "Resource": [settings["credentials_kms_key_arn"]], "Condition": {"StringEquals": {"kms:ViaService": via}},
        })
    statements.append({
        "Sid": "WriteOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [_Raw(f'"${{aws_cloudwatch_log_group.{x}.arn}}:*"')],
    })
    flat.resource("aws_iam_role_policy", x, {
        "name": "read-registry-secret",
        "role": _Raw(f"aws_iam_role.{x}.id"),
        "policy": _Raw(hcl_json({"Version": "2012-10-17", "Statement": statements})),
    })
    flat.resource("aws_lambda_function", x, {
        "function_name": function,
        "description": "Returns private-registry credentials to SageMaker",
        "role": _Raw(f"aws_iam_role.{x}.arn"),
        "runtime": "python3.12",
        "handler": "handler.handler",
        "filename": LAMBDA_PACKAGE,
        "source_code_hash": flat.lambda_hash,
        "timeout": 10,
        "memory_size": 128,
        "reserved_concurrent_executions": 5,
        "tags": {},
    }, _nested("environment", [f"variables = {hcl({'REGISTRY_SECRET_ARN': secret}, 2)}"]),
        [f"depends_on = [aws_cloudwatch_log_group.{x}, aws_iam_role_policy.{x}]"])


def _execution_role(flat: _Flat) -> str:
    """modules/iam: the SageMaker execution role and its policy; returns the role's ARN."""
    ec2 = f"arn:aws:ec2:{flat.region}:{flat.account}"
    logs = f"arn:aws:logs:{flat.region}:{flat.account}:log-group:/aws/sagemaker/Endpoints/*"
    in_vpc = {"ArnEquals": {"ec2:Vpc": f"{ec2}:vpc/{flat.network['vpc_id']}"}}
    subnets = [f"{ec2}:subnet/{s}" for s in sorted(flat.network["subnet_ids"])]
    statements: list[Any] = [
        {"Sid": "CreateNetworkInterfacesInModelSubnets", "Effect": "Allow", "Action": ["ec2:CreateNetworkInterface"],
         "Resource": [*subnets, f"{ec2}:security-group/*", f"{ec2}:network-interface/*"], "Condition": in_vpc},
        {"Sid": "ManageModelNetworkInterfaces", "Effect": "Allow",
         "Action": ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
         "Resource": [f"{ec2}:network-interface/*"], "Condition": in_vpc},
        {"Sid": "DescribeModelNetwork", "Effect": "Allow", "Resource": ["*"], "Action": [
            "ec2:DeleteNetworkInterfacePermission", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
        ]},
        {"Sid": "WriteEndpointLogs", "Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
         "Resource": [logs, f"{logs}:log-stream:*"]},
        {"Sid": "PutEndpointMetrics", "Effect": "Allow", "Action": ["cloudwatch:PutMetricData"], "Resource": ["*"],
         "Condition": {"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}},
    ]
    if flat.lambda_arns:
        arns = _Raw("[" + ", ".join(flat.lambda_arns[k] for k in sorted(flat.lambda_arns)) + "]")
        statements.append({"Sid": "InvokeRegistryCredentialsProviders", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": arns})
    artifacts = sorted({
        f"arn:aws:s3:::{e['model_data_url'].removeprefix('s3://')}" for e in flat.endpoints.values() if e.get("model_data_url")
    })
    if artifacts:
        statements.append({"Sid": "ReadModelArtifacts", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": artifacts})
    if flat.kms:
        statements.append({"Sid": "DecryptWithKeys", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [flat.kms]})
    role_name = f"{flat.name}-execution"
    trust = {"Version": "2012-10-17", "Statement": [{
        "Sid": "SageMakerAssumeRole", "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"Service": "sagemaker.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": flat.account}},
    }]}
    flat.resource("aws_iam_role", "execution", {
        "name": role_name,
        "description": "SageMaker execution role for private-registry endpoints",
        "assume_role_policy": _Raw(hcl_json(trust)),
        "max_session_duration": 3600,
        "tags": {},
    })
    flat.resource("aws_iam_role_policy", "execution", {
        "name": "sagemaker-execution",
        "role": _Raw("aws_iam_role.execution.id"),
        "policy": _Raw(hcl_json({"Version": "2012-10-17", "Statement": statements})),
    })
    return f"arn:aws:iam::{flat.account}:role/{role_name}"


def _endpoint(flat: _Flat, ep: str, e: dict[str, Any], role_arn: str) -> None:
    """modules/sagemaker_endpoint for one endpoint: group, rules, model, configuration, endpoint, wait."""
    x = label(ep)
    registry = flat.environment["registries"][e["registry"]]
    port = _port(registry["host"])
    needs_credentials = registry["auth"] != "none"
    tags = {**e["tags"], "sagemaker-gitops:endpoint": ep}
    lifecycle = _nested("lifecycle", ["create_before_destroy = true"])
    group = f"aws_security_group.{x}.id"

    flat.resource("aws_security_group", x, {
        "name_prefix": f"{ep}-model-",
        "description": f"SageMaker model {ep}: HTTPS to the private registry and the Lambda endpoint",
        "vpc_id": flat.network["vpc_id"],
        "tags": {**tags, "Name": f"{ep}-model"},
    }, lifecycle)
    rules = [
        ("egress", "to_registry", "Image pull from the private registry", group, registry["security_group_id"], port),
        ("ingress", "registry_from_model", f"Image pull by SageMaker model {ep}", registry["security_group_id"], group, port),
    ]
    if needs_credentials:
        lambda_group = "aws_security_group.lambda_endpoint.id"
        rules += [
            ("egress", "to_lambda_endpoint", "Registry credentials from the Lambda interface endpoint", group, lambda_group, 443),
            ("ingress", "lambda_endpoint_from_model", f"Registry credentials for SageMaker model {ep}", lambda_group, group, 443),
        ]
    for direction, rule, description, owner, referenced, rule_port in rules:
        flat.resource(f"aws_vpc_security_group_{direction}_rule", f"{x}_{rule}", {
            "security_group_id": _ref_or_literal(owner),
            "description": description,
            "ip_protocol": "tcp",
            "from_port": rule_port,
            "to_port": rule_port,
            "referenced_security_group_id": _ref_or_literal(referenced),
            "tags": tags,
        })

    # Content-addressed names, as the module makes them, precomputed the way a person would pin them.
    model_name = f"{ep}-" + _short_hash({
        "image": e["image"], "container_environment": e["container_environment"], "model_data_url": e.get("model_data_url"),
        "enable_network_isolation": e["enable_network_isolation"], "execution_role_arn": role_arn,
        "credentials_registry": e["registry"] if needs_credentials else None,
        "subnet_ids": sorted(flat.network["subnet_ids"]), "security_group": x,
    })
    image_config = ['repository_access_mode = "Vpc"']
    if needs_credentials:
        provider_arn = f"repository_credentials_provider_arn = {flat.lambda_arns[e['registry']]}"
        image_config += ["", *_nested("repository_auth_config", [provider_arn])]
    container = _attrs({"image": e["image"], "mode": "SingleModel", "model_data_url": e.get("model_data_url"), "environment": e["container_environment"]}, 2)
    flat.resource("aws_sagemaker_model", x, {
        "name": model_name,
        "execution_role_arn": _Raw("aws_iam_role.execution.arn"),
        "enable_network_isolation": e["enable_network_isolation"],
        "tags": tags,
    },
        _nested("primary_container", [*container, "", *_nested("image_config", image_config)]),
        _nested("vpc_config", [f"subnets            = {hcl(flat.network['subnet_ids'])}", f"security_group_ids = [{group}]"]),
        lifecycle,
    )
    variants = [
        _nested("production_variants", [
            f"variant_name           = {hcl(variant)}",
            f"model_name             = aws_sagemaker_model.{x}.name",
            f"instance_type          = {hcl(v['instance_type'])}",
            f"initial_instance_count = {hcl(v['initial_instance_count'])}",
            f"initial_variant_weight = {hcl(v['initial_variant_weight'])}",
        ])
        for variant, v in sorted(e["variants"].items())
    ]
    config_name = f"{ep}-" + _short_hash({"model_name": model_name, "variants": e["variants"], "kms_key_arn": flat.kms})
    flat.resource("aws_sagemaker_endpoint_configuration", x, {"name": config_name, "kms_key_arn": flat.kms, "tags": tags}, *variants, lifecycle)
    endpoint, configuration_ = f"aws_sagemaker_endpoint.{x}", f"aws_sagemaker_endpoint_configuration.{x}"
    flat.resource("aws_sagemaker_endpoint", x, {"name": ep, "endpoint_config_name": _Raw(f"{configuration_}.name"), "tags": tags})
    # The module's wait for a configuration swap (terraform_data + local-exec), written out.
    command = (f"python3 {AWAIT_SCRIPT} --endpoint-arn ${{{endpoint}.arn}} "
               f"--configuration ${{{configuration_}.name}} --timeout 3600")
    flat.block(f'resource "terraform_data" "{x}_await_endpoint_update"', [
        "triggers_replace = {",
        f"  endpoint_arn                = {endpoint}.arn",
        f"  endpoint_configuration_name = {configuration_}.name",
        "}",
        "",
        *_nested('provisioner "local-exec"', [f"command = {json.dumps(command)}"]),
    ])


# --- comparing the two plans -------------------------------------------------------------------

def _signature(change: dict[str, Any]) -> tuple[str, str]:
    """A planned resource independent of its address: its type, action and tags."""
    after = change["change"].get("after") or {}
    return change["type"], json.dumps([change["change"]["actions"], after.get("tags")], sort_keys=True)


def same_resources(module_plan: dict[str, Any], flat_plan: dict[str, Any]) -> list[str]:
    """Differences between the managed resources two plans create; empty when they match."""

    def managed(plan: dict[str, Any]) -> Counter[tuple[str, str]]:
        return Counter(_signature(c) for c in plan.get("resource_changes", []) if c.get("mode") == "managed")

    mine, theirs = managed(module_plan), managed(flat_plan)
    only_modules = mine - theirs
    only_flat = theirs - mine
    problems = [f"only in the root module's plan: {t} {s} (x{n})" for (t, s), n in sorted(only_modules.items())]
    problems += [f"only in the flat plan: {t} {s} (x{n})" for (t, s), n in sorted(only_flat.items())]
    return problems
