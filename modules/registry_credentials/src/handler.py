"""Registry credentials provider for SageMaker (RepositoryCredentialsProviderArn).

SageMaker invokes this function before pulling a model image from a private registry and
expects {"Credentials": {"Username": ..., "Password": ...}}. The login is read from the
Secrets Manager secret named by REGISTRY_SECRET_ARN, a JSON object:

    {"username": "<registry user>", "password": "<registry password or token>"}
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

_client = None


def _secrets_client() -> Any:
    global _client
    if _client is None:
        _client = boto3.client("secretsmanager")
    return _client


class CredentialsError(RuntimeError):
    """The secret is missing or malformed; SageMaker must not receive empty credentials."""


def read_credentials(secret_id: str) -> dict[str, str]:
    value = _secrets_client().get_secret_value(SecretId=secret_id).get("SecretString")
    try:
        document = json.loads(value or "")
    except json.JSONDecodeError as exc:
        raise CredentialsError(f"secret {secret_id} is not a JSON object") from exc
    if not isinstance(document, dict):
        raise CredentialsError(f"secret {secret_id} is not a JSON object")
    username, password = document.get("username"), document.get("password")
    if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
        raise CredentialsError(f"secret {secret_id} needs non-empty string fields 'username' and 'password'")
    return {"Username": username, "Password": password}


def handler(event: dict[str, Any], context: Any) -> dict[str, dict[str, str]]:
    return {"Credentials": read_credentials(os.environ["REGISTRY_SECRET_ARN"])}
