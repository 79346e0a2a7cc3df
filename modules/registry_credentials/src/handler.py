"""Registry credentials provider for SageMaker (`RepositoryCredentialsProviderArn`).

SageMaker invokes this function before it pulls a model image from a private registry and
expects exactly `{"Credentials": {"Username": ..., "Password": ...}}`. With basic auth these
are the registry login; with bearer-token auth they are what the registry's token server
exchanges for a token.

Secret format. The function reads the Secrets Manager secret whose ARN is in the environment
variable `REGISTRY_SECRET_ARN`. Its `SecretString` must be a JSON object with two non-blank
string fields; other fields are ignored (room for rotation metadata):

    {"username": "<registry user>", "password": "<registry password or token>"}

Caching. A warm Lambda container keeps the login for `CACHE_SECONDS` (at most 5 minutes), so a
burst of instance launches costs one Secrets Manager call while a rotated secret still takes
effect within minutes.

Failures. A missing, unreadable, malformed or empty secret raises `CredentialsError` with a
message that names the secret and what to fix; the function never answers with empty
credentials. Neither log lines nor error messages ever contain a secret value.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any

import boto3

SECRET_ARN_VARIABLE = "REGISTRY_SECRET_ARN"
CACHE_SECONDS = 300.0

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Module state survives between invocations of a warm container; that is the cache.
_client: Any = None
_cache: dict[str, tuple[float, dict[str, str]]] = {}
_clock: Callable[[], float] = time.monotonic


class CredentialsError(RuntimeError):
    """The secret cannot give SageMaker a usable login; the invocation fails instead."""


def _secrets_client() -> Any:
    global _client
    if _client is None:
        _client = boto3.client("secretsmanager")
    return _client


def parse_secret(secret_id: str, secret_string: str | None) -> dict[str, str]:
    """Turn the secret's text into SageMaker's credentials shape, or raise `CredentialsError`.

    Messages describe the problem only, never the value: the text may be the password itself.
    """
    if secret_string is None:
        raise CredentialsError(
            f'fix: store the login as a JSON SecretString {{"username": ..., "password": ...}} '
            f"— secret {secret_id} has no SecretString"
        )
    try:
        document = json.loads(secret_string)
    except json.JSONDecodeError:
        # `from None`: the decoder's exception carries the document, which must not be logged.
        raise CredentialsError(
            f'fix: store the login as a JSON object {{"username": ..., "password": ...}} '
            f"— secret {secret_id} is not valid JSON"
        ) from None
    if not isinstance(document, dict):
        raise CredentialsError(
            f'fix: store the login as a JSON object {{"username": ..., "password": ...}} '
            f"— secret {secret_id} holds a JSON {type(document).__name__}, not an object"
        )
    blank = [
        key
        for key in ("username", "password")
        if not isinstance(document.get(key), str) or not document[key].strip()
    ]
    if blank:
        raise CredentialsError(
            f"fix: set non-empty string fields 'username' and 'password' in secret {secret_id} "
            f"— missing or empty: {', '.join(blank)}"
        )
    return {"Username": document["username"], "Password": document["password"]}


def read_credentials(client: Any, secret_id: str) -> dict[str, str]:
    """Read and parse the secret with the given Secrets Manager client (no caching)."""
    try:
        response = client.get_secret_value(SecretId=secret_id)
    except client.exceptions.ResourceNotFoundException:
        raise CredentialsError(
            f"fix: create the secret or correct {SECRET_ARN_VARIABLE} "
            f"— secret {secret_id} does not exist"
        ) from None
    except client.exceptions.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "unknown")
        raise CredentialsError(
            f"fix: allow secretsmanager:GetSecretValue (and kms:Decrypt) on {secret_id} "
            f"— reading the secret failed with {code}"
        ) from None
    return parse_secret(secret_id, response.get("SecretString"))


def cached_credentials(secret_id: str) -> dict[str, str]:
    """The login for `secret_id`, from the cache while it is younger than `CACHE_SECONDS`."""
    now = _clock()
    hit = _cache.get(secret_id)
    if hit is not None and now < hit[0]:
        return hit[1]
    credentials = read_credentials(_secrets_client(), secret_id)
    _cache[secret_id] = (now + CACHE_SECONDS, credentials)
    logger.info("read registry login from %s; cached for %.0f s", secret_id, CACHE_SECONDS)
    return credentials


def handler(event: dict[str, Any], context: Any) -> dict[str, dict[str, str]]:
    secret_id = os.environ.get(SECRET_ARN_VARIABLE, "").strip()
    if not secret_id:
        raise CredentialsError(
            f"fix: set the environment variable {SECRET_ARN_VARIABLE} to the registry secret's ARN "
            "— it is not set"
        )
    credentials = cached_credentials(secret_id)
    return {
        "Credentials": {"Username": credentials["Username"], "Password": credentials["Password"]}
    }
