"""The registry login for an environment: the one SageMaker will get, or an explicit override.

Where the login comes from, in this order:

1. `auth: none` in environment.yaml: no login.
2. `REGISTRY_HOST`, `REGISTRY_USERNAME` and `REGISTRY_PASSWORD` all set, and the registry's
   `host` equals `REGISTRY_HOST`: that login, for that one registry only (a login is never
   offered to a registry it was not meant for). Meant for CI jobs with a pull-only robot
   account and for people without read access to the production secret. Setting only some of
   the three is an error.
3. Otherwise the registry's `credentials_secret_arn`, read from Secrets Manager with the
   default AWS credential chain (AWS_PROFILE, SSO, instance role; AWS_ENDPOINT_URL is honoured)
   in the secret's region. For the embedded `emulator: true` environment the secret is read
   from the running emulator of this checkout (`make local-up`).

The secret is parsed by the credentials Lambda's own code (`parse_secret`), so a secret that
`registry check` accepts is one the Lambda accepts, with the same messages when it is not.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.catalog.models import EnvironmentFile
from generator.common import rules
from generator.common.errors import UsageError
from generator.common.layout import LAMBDA_SOURCE_DIR
from generator.emulator import launcher as emulator
from generator.registry.client import Login, RegistryError, authority

HOST_VARIABLE = "REGISTRY_HOST"
USERNAME_VARIABLE = "REGISTRY_USERNAME"
PASSWORD_VARIABLE = "REGISTRY_PASSWORD"


@functools.cache
def _handler_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("registry_credentials_handler", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise UsageError(
            f"fix: run from the repository root or pass --root — {path} does not exist"
        )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def override_login() -> tuple[str, Login] | None:
    """(registry host, login) from the environment variables, or None when none is set."""
    host = os.environ.get(HOST_VARIABLE, "").strip()
    username = os.environ.get(USERNAME_VARIABLE, "")
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if bool(username) != bool(password):
        missing = PASSWORD_VARIABLE if username else USERNAME_VARIABLE
        raise UsageError(
            f"fix: set {missing} as well, or unset both — the login override needs "
            f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE} together"
        )
    if not username:
        if host:
            raise UsageError(
                f"fix: set {USERNAME_VARIABLE} and {PASSWORD_VARIABLE} as well, or unset {HOST_VARIABLE} "
                f"— {HOST_VARIABLE} names the registry that the login override is for"
            )
        return None
    if not host:
        raise UsageError(
            f"fix: set {HOST_VARIABLE} to the host of the registry this login is for (its `host` in "
            f"environment.yaml, e.g. registry.ml.example.com) — {USERNAME_VARIABLE}/{PASSWORD_VARIABLE} "
            "are sent to that one registry only"
        )
    if not rules.matches(rules.REGISTRY_HOST, host.lower()):
        raise UsageError(
            f"fix: set {HOST_VARIABLE} to a registry host as environment.yaml writes it (DNS name, "
            f"optionally :port; no scheme or path) — got {host!r}"
        )
    return host, Login(username, password, f"{USERNAME_VARIABLE}/{PASSWORD_VARIABLE}")


def _secrets_client(root: Path, env_name: str, env: EnvironmentFile, region: str) -> Any:
    import boto3

    if not env.emulator:
        return boto3.client("secretsmanager", region_name=region)
    running = emulator.running(root)
    if running is None:
        raise UsageError(
            f"fix: run `make local-up` (python -m generator local up) — environment {env_name!r} reads "
            "its registry secret from the embedded AWS, which is not running"
        )
    settings = running.environ(region)
    return boto3.client(
        "secretsmanager",
        endpoint_url=running.url,
        region_name=region,
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
    )


def login_for(root: Path, env_name: str, env: EnvironmentFile, registry: str) -> Login | None:
    """The login for one registry of an environment (None for `auth: none`)."""
    import botocore.exceptions

    settings = env.registries[registry]
    if settings.auth == "none":
        return None
    override = override_login()
    if override is not None and authority(override[0]) == authority(settings.host):
        return override[1]
    arn = settings.credentials_secret_arn
    assert arn is not None  # the model requires a secret whenever auth is not none
    region = arn.split(":")[3]
    client = _secrets_client(root, env_name, env, region)
    handler = _handler_module((root / LAMBDA_SOURCE_DIR / "handler.py").resolve())
    try:
        credentials = handler.read_credentials(client, arn)
    except handler.CredentialsError as exc:
        raise RegistryError(str(exc)) from None
    except botocore.exceptions.NoCredentialsError:
        raise RegistryError(
            f"fix: configure AWS credentials that may read {arn}, or set {HOST_VARIABLE}={settings.host}, "
            f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE} — no AWS credentials were found"
        ) from None
    except botocore.exceptions.BotoCoreError as exc:
        raise RegistryError(
            f"fix: check the AWS configuration and network path to Secrets Manager in {region} — {exc}"
        ) from None
    return Login(credentials["Username"], credentials["Password"], f"secret {arn}")
