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


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def block(self, header: str, body: list[str]) -> None:
        self.lines.append(header + " {")
        self.lines.extend("  " + line if line else "" for line in body)
        self.lines.append("}")
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines)


def _attrs(pairs: dict[str, Any], indent: int = 1) -> list[str]:
    return [f"{k} = {hcl(v, indent)}" if not isinstance(v, _Raw) else f"{k} = {v.expr}" for k, v in pairs.items()]


class _Raw:
    """A reference expression written as is (e.g. aws_iam_role.x.arn)."""

    def __init__(self, expr: str):
        self.expr = expr


def _list_of(*exprs: str) -> _Raw:
    return _Raw("[" + ", ".join(exprs) + "]")


def _nested(name: str, body: list[str]) -> list[str]:
    return [f"{name} {{", *("  " + line if line else "" for line in body), "}"]


def _port(host: str) -> int:
    parts = host.split(":")
    return int(parts[1]) if len(parts) == 2 else 443


def package_hash(zip_path: Path) -> str:
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()


def configuration(environment: dict[str, Any], endpoints: dict[str, Any], lambda_hash: str) -> str:
    """main.tf of the flat configuration for one rendered environment (its two tfvars documents)."""
    env = environment["environment"]
    region = environment["aws_region"]
    account = environment["aws_account_id"]
    network = environment["network"]
    registries = environment["registries"]
    kms = environment.get("kms_key_arn")
    name = f"{PROJECT}-{env}"
    w = _Writer()

    w.block("terraform", [
        *_nested("required_providers", ['aws = {', '  source  = "hashicorp/aws"', '  version = "~> 5.100"', "}"]),
        "",
        'backend "s3" {}',
    ])
    w.block('provider "aws"', [
        f"region              = {hcl(region)}",
        f"allowed_account_ids = {hcl([account])}",
        "",
        *_nested("default_tags", [f"tags = {hcl({**environment.get('tags', {}), 'sagemaker-gitops:environment': env, 'managed-by': 'sagemaker-gitops'}, 1)}"]),
    ])

    # --- the Lambda interface endpoint (modules/vpc_endpoints) ---
    lambda_dns = f"lambda.{region}.amazonaws.com"
    w.block('resource "aws_security_group" "lambda_endpoint"', [
        *_attrs({
            "name_prefix": f"{name}-lambda-endpoint-",
            "description": "Lambda interface endpoint: HTTPS from SageMaker model security groups only",
            "vpc_id": network["vpc_id"],
            "tags": {"Name": f"{name}-lambda-endpoint"},
        }),
        "",
        *_nested("lifecycle", ["create_before_destroy = true"]),
    ])
    private_dns = network.get("lambda_endpoint_private_dns", True)
    w.block('resource "aws_vpc_endpoint" "lambda"', _attrs({
        "vpc_id": network["vpc_id"],
        "service_name": f"com.amazonaws.{region}.lambda",
        "vpc_endpoint_type": "Interface",
        "subnet_ids": network["subnet_ids"],
        "security_group_ids": _list_of("aws_security_group.lambda_endpoint.id"),
        "private_dns_enabled": private_dns,
        "tags": {"Name": f"{name}-lambda"},
    }))
    if not private_dns:
        w.block('resource "aws_route53_zone" "lambda"', [
            *_attrs({
                "name": lambda_dns,
                "comment": f"Routes {lambda_dns} to the VPC endpoint (private DNS is off)",
                "tags": {},
            }),
            *_nested("vpc", [f"vpc_id = {hcl(network['vpc_id'])}"]),
        ])
        w.block('resource "aws_route53_record" "lambda"', [
            *_attrs({"zone_id": _Raw("aws_route53_zone.lambda.zone_id"), "name": lambda_dns, "type": "A"}),
            *_nested("alias", [
                "name                   = aws_vpc_endpoint.lambda.dns_entry[0].dns_name",
                "zone_id                = aws_vpc_endpoint.lambda.dns_entry[0].hosted_zone_id",
                "evaluate_target_health = false",
            ]),
        ])

    # --- one credentials Lambda per authenticated registry (modules/registry_credentials) ---
    lambda_arns: dict[str, str] = {}
    for reg_name, reg in sorted(registries.items()):
        if reg["auth"] == "none":
            continue
        fn = f"{name}-{reg_name.replace('_', '-')}-creds"
        x = label(reg_name)
        lambda_arns[reg_name] = f"aws_lambda_function.{x}_creds.arn"
        w.block(f'resource "aws_iam_role" "{x}_creds"', _attrs({
            "name": f"{fn}-role",
            "description": f"Registry credentials Lambda {fn}: reads one secret",
            "assume_role_policy": _Raw(hcl_json({
                "Version": "2012-10-17",
                "Statement": [{"Sid": "LambdaAssumeRole", "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}],
            })),
            "tags": {},
        }))
        w.block(f'resource "aws_cloudwatch_log_group" "{x}_creds"', _attrs({
            "name": f"/aws/lambda/{fn}", "retention_in_days": 30, "tags": {},
        }))
        statements: list[Any] = [{"Sid": "ReadRegistrySecret", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [reg["credentials_secret_arn"]]}]
        if reg.get("credentials_kms_key_arn"):
            statements.append({
                "Sid": "DecryptRegistrySecret", "Effect": "Allow", "Action": ["kms:Decrypt"],
                "Resource": [reg["credentials_kms_key_arn"]],
                "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{reg['credentials_secret_arn'].split(':')[3]}.amazonaws.com"}},
            })
        statements.append({"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [_Raw(f'"${{aws_cloudwatch_log_group.{x}_creds.arn}}:*"')]})
        w.block(f'resource "aws_iam_role_policy" "{x}_creds"', _attrs({
            "name": "read-registry-secret",
            "role": _Raw(f"aws_iam_role.{x}_creds.id"),
            "policy": _Raw(hcl_json({"Version": "2012-10-17", "Statement": statements})),
        }))
        w.block(f'resource "aws_lambda_function" "{x}_creds"', [
            *_attrs({
                "function_name": fn,
                "description": "Returns private-registry credentials to SageMaker",
                "role": _Raw(f"aws_iam_role.{x}_creds.arn"),
                "runtime": "python3.12",
                "handler": "handler.handler",
                "filename": LAMBDA_PACKAGE,
                "source_code_hash": lambda_hash,
                "timeout": 10,
                "memory_size": 128,
                "reserved_concurrent_executions": 5,
                "tags": {},
            }),
            "",
            *_nested("environment", [f"variables = {hcl({'REGISTRY_SECRET_ARN': reg['credentials_secret_arn']}, 2)}"]),
            "",
            f"depends_on = [aws_cloudwatch_log_group.{x}_creds, aws_iam_role_policy.{x}_creds]",
        ])

    # --- the SageMaker execution role (modules/iam) ---
    ec2 = f"arn:aws:ec2:{region}:{account}"
    logs = f"arn:aws:logs:{region}:{account}:log-group:/aws/sagemaker/Endpoints/*"
    in_vpc = {"ArnEquals": {"ec2:Vpc": f"{ec2}:vpc/{network['vpc_id']}"}}
    execution: list[Any] = [
        {"Sid": "CreateNetworkInterfacesInModelSubnets", "Effect": "Allow", "Action": ["ec2:CreateNetworkInterface"],
         "Resource": [*(f"{ec2}:subnet/{s}" for s in sorted(network["subnet_ids"])), f"{ec2}:security-group/*", f"{ec2}:network-interface/*"],
         "Condition": in_vpc},
        {"Sid": "ManageModelNetworkInterfaces", "Effect": "Allow", "Action": ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
         "Resource": [f"{ec2}:network-interface/*"], "Condition": in_vpc},
        {"Sid": "DescribeModelNetwork", "Effect": "Allow", "Resource": ["*"], "Action": [
            "ec2:DeleteNetworkInterfacePermission", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
        ]},
        {"Sid": "WriteEndpointLogs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], "Resource": [logs, f"{logs}:log-stream:*"]},
        {"Sid": "PutEndpointMetrics", "Effect": "Allow", "Action": ["cloudwatch:PutMetricData"], "Resource": ["*"],
         "Condition": {"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}},
    ]
    if lambda_arns:
        execution.append({"Sid": "InvokeRegistryCredentialsProviders", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": _Raw("[" + ", ".join(lambda_arns[k] for k in sorted(lambda_arns)) + "]")})
    artifacts = sorted({f"arn:aws:s3:::{e['model_data_url'].removeprefix('s3://')}" for e in endpoints.values() if e.get("model_data_url")})
    if artifacts:
        execution.append({"Sid": "ReadModelArtifacts", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": artifacts})
    if kms:
        execution.append({"Sid": "DecryptWithKeys", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [kms]})
    role_name = f"{name}-execution"
    w.block('resource "aws_iam_role" "execution"', _attrs({
        "name": role_name,
        "description": "SageMaker execution role for private-registry endpoints",
        "assume_role_policy": _Raw(hcl_json({"Version": "2012-10-17", "Statement": [{
            "Sid": "SageMakerAssumeRole", "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }]})),
        "max_session_duration": 3600,
        "tags": {},
    }))
    w.block('resource "aws_iam_role_policy" "execution"', _attrs({
        "name": "sagemaker-execution",
        "role": _Raw("aws_iam_role.execution.id"),
        "policy": _Raw(hcl_json({"Version": "2012-10-17", "Statement": execution})),
    }))

    # --- one stack per endpoint (modules/sagemaker_endpoint) ---
    role_arn = f"arn:aws:iam::{account}:role/{role_name}"
    for ep_name in sorted(endpoints):
        _endpoint(w, ep_name, endpoints[ep_name], registries, network, kms, lambda_arns, role_arn)
    return w.text()


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


def _endpoint(
    w: _Writer, ep: str, e: dict[str, Any], registries: dict[str, Any], network: dict[str, Any],
    kms: str | None, lambda_arns: dict[str, str], role_arn: str,
) -> None:
    x = label(ep)
    reg = registries[e["registry"]]
    port = _port(reg["host"])
    needs_credentials = reg["auth"] != "none"
    tags = {**e["tags"], "sagemaker-gitops:endpoint": ep}
    w.block(f'resource "aws_security_group" "{x}"', [
        *_attrs({
            "name_prefix": f"{ep}-model-",
            "description": f"SageMaker model {ep}: HTTPS to the private registry and the Lambda endpoint",
            "vpc_id": network["vpc_id"],
            "tags": {**tags, "Name": f"{ep}-model"},
        }),
        "",
        *_nested("lifecycle", ["create_before_destroy = true"]),
    ])
    rules = [
        ("aws_vpc_security_group_egress_rule", f"{x}_to_registry", "Image pull from the private registry", f"aws_security_group.{x}.id", reg["security_group_id"], port),
        ("aws_vpc_security_group_ingress_rule", f"{x}_registry_from_model", f"Image pull by SageMaker model {ep}", reg["security_group_id"], f"aws_security_group.{x}.id", port),
    ]
    if needs_credentials:
        rules += [
            ("aws_vpc_security_group_egress_rule", f"{x}_to_lambda_endpoint", "Registry credentials from the Lambda interface endpoint", f"aws_security_group.{x}.id", "aws_security_group.lambda_endpoint.id", 443),
            ("aws_vpc_security_group_ingress_rule", f"{x}_lambda_endpoint_from_model", f"Registry credentials for SageMaker model {ep}", "aws_security_group.lambda_endpoint.id", f"aws_security_group.{x}.id", 443),
        ]
    for kind, rule_label, description, group, referenced, rule_port in rules:
        w.block(f'resource "{kind}" "{rule_label}"', _attrs({
            "security_group_id": _ref_or_literal(group),
            "description": description,
            "ip_protocol": "tcp",
            "from_port": rule_port,
            "to_port": rule_port,
            "referenced_security_group_id": _ref_or_literal(referenced),
            "tags": tags,
        }))

    model_content = {
        "image": e["image"], "container_environment": e["container_environment"], "model_data_url": e.get("model_data_url"),
        "enable_network_isolation": e["enable_network_isolation"], "execution_role_arn": role_arn,
        "credentials_registry": e["registry"] if needs_credentials else None, "subnet_ids": sorted(network["subnet_ids"]),
        "security_group": x,
    }
    model_name = f"{ep}-{_short_hash(model_content)}"
    image_config = ['repository_access_mode = "Vpc"']
    if needs_credentials:
        image_config += ["", *_nested("repository_auth_config", [f"repository_credentials_provider_arn = {lambda_arns[e['registry']]}"])]
    container = _attrs({"image": e["image"], "mode": "SingleModel", "model_data_url": e.get("model_data_url"), "environment": e["container_environment"]}, 2)
    w.block(f'resource "aws_sagemaker_model" "{x}"', [
        *_attrs({
            "name": model_name, "execution_role_arn": _Raw("aws_iam_role.execution.arn"),
            "enable_network_isolation": e["enable_network_isolation"], "tags": tags,
        }),
        "",
        *_nested("primary_container", [*container, "", *_nested("image_config", image_config)]),
        "",
        *_nested("vpc_config", [f"subnets            = {hcl(network['subnet_ids'])}", f"security_group_ids = [aws_security_group.{x}.id]"]),
        "",
        *_nested("lifecycle", ["create_before_destroy = true"]),
    ])
    variants: list[str] = []
    for variant in sorted(e["variants"]):
        v = e["variants"][variant]
        variants += ["", *_nested("production_variants", [
            f"variant_name           = {hcl(variant)}",
            f"model_name             = aws_sagemaker_model.{x}.name",
            f"instance_type          = {hcl(v['instance_type'])}",
            f"initial_instance_count = {hcl(v['initial_instance_count'])}",
            f"initial_variant_weight = {hcl(v['initial_variant_weight'])}",
        ])]
    config_name = f"{ep}-{_short_hash({'model_name': model_name, 'variants': e['variants'], 'kms_key_arn': kms})}"
    w.block(f'resource "aws_sagemaker_endpoint_configuration" "{x}"', [
        *_attrs({"name": config_name, "kms_key_arn": kms, "tags": tags}),
        *variants,
        "",
        *_nested("lifecycle", ["create_before_destroy = true"]),
    ])
    w.block(f'resource "aws_sagemaker_endpoint" "{x}"', _attrs({
        "name": ep, "endpoint_config_name": _Raw(f"aws_sagemaker_endpoint_configuration.{x}.name"), "tags": tags,
    }))
    # The module's wait for a configuration swap (terraform_data + local-exec), written out.
    w.block(f'resource "terraform_data" "{x}_await_endpoint_update"', [
        "triggers_replace = {",
        f"  endpoint_arn                = aws_sagemaker_endpoint.{x}.arn",
        f"  endpoint_configuration_name = aws_sagemaker_endpoint_configuration.{x}.name",
        "}",
        "",
        *_nested('provisioner "local-exec"', [
            f'command = "python3 {AWAIT_SCRIPT} --endpoint-arn ${{aws_sagemaker_endpoint.{x}.arn}} '
            f'--configuration ${{aws_sagemaker_endpoint_configuration.{x}.name}} --timeout 3600"',
        ]),
    ])


def _ref_or_literal(value: str) -> Any:
    return _Raw(value) if value.startswith("aws_") else value


def _short_hash(content: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()[:10]


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
