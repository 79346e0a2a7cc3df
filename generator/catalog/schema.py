"""JSON Schemas of the hand-written inputs, generated from `generator.catalog.models` for editors.

Catalog and environment files name their schema in a first-line comment
(`# yaml-language-server: $schema=...`), so editors complete field names and flag a bad value
while it is typed. The schemas are derived from the pydantic models, then sharpened where a
rule lives in a Python validator that pydantic cannot express (digest-pinned images, registry
credentials that depend on `auth`, unique subnets, keys of pattern-keyed maps). The generator
stays the authority: the schema is an early warning, never a second source of truth.

Draft-07 is used because it is what every YAML language server understands.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.catalog.models import CatalogEntry, EnvironmentFile
from generator.common import rules
from generator.common.layout import SCHEMA_DIR

CATALOG_SCHEMA = "catalog.schema.json"
ENVIRONMENT_SCHEMA = "environment.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"
# What each catalog file and environment file puts on its first line.
CATALOG_SCHEMA_COMMENT = f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{CATALOG_SCHEMA}"
ENVIRONMENT_SCHEMA_COMMENT = f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{ENVIRONMENT_SCHEMA}"

# The rules are written in the regex subset ECMA-262 shares with Python and RE2.
IMAGE_PATTERN = rules.DIGEST_IMAGE

# Hover text for the fields people edit most. Models carry their own docstrings; the fields
# are described here because only editors show these words.
DESCRIPTIONS: dict[str, str] = {
    "name": "Endpoint name; equals the file name. 1-48 letters, digits and hyphens.",
    "description": "One line saying what the endpoint serves.",
    "owner": "Team or mailbox that answers for this endpoint.",
    "image": "Container image pinned by digest: <registry-host>/<repository>@sha256:<64 lowercase hex>. "
    "`python -m generator registry pin` turns a tag into a digest.",
    "instance_type": "SageMaker ML instance type, e.g. ml.m5.large.",
    "initial_instance_count": "Instances per variant when the endpoint is created (1-100).",
    "initial_variant_weight": "Share of traffic relative to the other variants.",
    "variants": "Production variants by name; unset fields inherit the endpoint's instance type and count.",
    "container_environment": "Environment variables of the serving container.",
    "model_data_url": "S3 URL of model artifacts (model.tar.gz), if the image does not embed the model.",
    "enable_network_isolation": "Run the container without network access.",
    "tags": "AWS tags added to every resource of this endpoint or environment.",
    "environments": "Environments this endpoint is deployed to; each value overrides fields for that "
    "environment (mappings merge key by key, everything else is replaced).",
    "autoscaling": "Target tracking on invocations per instance (min_capacity, max_capacity, "
    "target_invocations_per_instance); per variant or for the whole endpoint.",
    "data_capture": "Capture requests and/or responses to S3 (destination_s3_uri, sampling_percentage).",
    "deployment": "Blue/green guardrails for configuration changes: traffic_routing all_at_once, "
    "canary or linear, waits, and the alarms that roll a deployment back.",
    "traffic_routing": "all_at_once, canary (step_percent first, then the rest) or linear (step_percent per step).",
    "step_percent": "Share of capacity shifted first (canary) or per step (linear); only for canary and linear.",
    "rollback_alarm_names": "CloudWatch alarms that roll the deployment back when they fire (at most 9).",
    "emulator": "True only for the embedded local environment backed by the AWS emulator.",
    "aws": "Account and region of this environment.",
    "network": "VPC and subnets the endpoints run in.",
    "registries": "Private Docker registries by logical name; an image's host selects its registry.",
    "host": "Registry DNS name, optionally with :port, in lower case.",
    "auth": "none, basic (username/password) or bearer (credentials exchanged for a token).",
    "credentials_secret_arn": "Secrets Manager ARN of the registry login (required unless auth is none).",
    "credentials_kms_key_arn": "KMS key that encrypts the credentials secret, if not the AWS managed key.",
    "security_group_id": "Security group that lets the endpoints reach the registry.",
    "token_hosts": "Hosts (DNS name, optionally :port) of the registry's bearer token service, if not the "
    "registry host itself. `registry pin` and `registry check` send the login only to the registry host "
    "and these; a challenge naming any other realm is refused.",
    "kms_key_arn": "KMS key for endpoint storage volumes.",
    "s3": "S3 buckets endpoints of this environment may use (allow-lists); never the state bucket (backend.bucket).",
    "artifact_buckets": "Buckets model_data_url may point into; a model_data_url in any other bucket is refused.",
    "capture_buckets": "Buckets data_capture.destination_s3_uri may point into; any other bucket is refused.",
    "capture_kms_key_arns": "KMS keys data_capture.kms_key_arn may name besides kms_key_arn; any other key is refused.",
    "backend": "S3 bucket and key of this environment's Terraform state (locked with a lock file).",
}


def catalog_schema() -> dict[str, Any]:
    schema = _schema(CatalogEntry, "sagemaker-gitops catalog entry (catalog/<name>.yaml)")
    definitions = schema.get("definitions", {})
    if "DeploymentSettings" in definitions:
        # Mirrors DeploymentSettings._step: canary and linear need a step, all at once has none.
        definitions["DeploymentSettings"]["if"] = {
            "properties": {"traffic_routing": {"enum": ["canary", "linear"]}},
            "required": ["traffic_routing"],
        }
        definitions["DeploymentSettings"]["then"] = {"required": ["step_percent"]}
        definitions["DeploymentSettings"]["else"] = {"not": {"required": ["step_percent"]}}
    if "DataCaptureSettings" in definitions:
        # Mirrors DataCaptureSettings._unique_modes.
        definitions["DataCaptureSettings"]["properties"]["capture_modes"]["uniqueItems"] = True
    return schema


def environment_schema() -> dict[str, Any]:
    schema = _schema(EnvironmentFile, "sagemaker-gitops environment (environments/<env>/environment.yaml)")
    registry = schema["definitions"]["RegistrySettings"]
    # Mirrors RegistrySettings._secret_matches_auth.
    registry["if"] = {"properties": {"auth": {"const": "none"}}}
    registry["then"] = {
        "properties": {"credentials_secret_arn": {"type": "null"}, "credentials_kms_key_arn": {"type": "null"}}
    }
    registry["else"] = {
        "required": ["credentials_secret_arn"],
        "properties": {"credentials_secret_arn": {"type": "string"}},
    }
    # Mirrors NetworkSettings._unique.
    schema["definitions"]["NetworkSettings"]["properties"]["subnet_ids"]["uniqueItems"] = True
    return schema


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    _walk(schema, _sharpen)
    for definition in definitions.values():
        _walk(definition, _sharpen)
    document: dict[str, Any] = {"$schema": DRAFT, **schema, "title": title}
    if definitions:
        document["definitions"] = definitions
    return document


def _sharpen(node: dict[str, Any]) -> None:
    """Add what pydantic leaves out of one schema node."""
    # A pattern-keyed map rejects other keys in pydantic; JSON Schema would let them through.
    if "patternProperties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    for name, prop in node.get("properties", {}).items():
        if name in DESCRIPTIONS and "description" not in prop:
            prop["description"] = DESCRIPTIONS[name]
        prop.pop("title", None)  # "Instance Type" next to instance_type says nothing new
        if name == "image":
            # The digest rule is a field validator in the models, invisible to pydantic's schema.
            for option in prop.get("anyOf", [prop]):
                if option.get("type") == "string":
                    option["pattern"] = IMAGE_PATTERN


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_files(root: Path) -> dict[Path, str]:
    folder = root / SCHEMA_DIR
    return {
        folder / CATALOG_SCHEMA: dump(catalog_schema()),
        folder / ENVIRONMENT_SCHEMA: dump(environment_schema()),
    }
