"""End to end: the login the credentials Lambda hands SageMaker opens the real registry."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from types import ModuleType

import boto3
import pytest
from moto import mock_aws

from tests.credentials_handler import load_handler
from tests.registry_fixture import Registry

pytestmark = [pytest.mark.integration, pytest.mark.registry]


def get_v2(registry: Registry, username: str, password: str) -> tuple[int, str | None]:
    """GET /v2/ with basic auth, as the registry client in SageMaker would; (status, API header)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    request = urllib.request.Request(
        f"{registry.url}/v2/", headers={"Authorization": f"Basic {token}"}
    )
    try:
        with urllib.request.urlopen(
            request, context=registry.ssl_context(), timeout=10
        ) as response:
            return response.status, response.headers.get("Docker-Distribution-API-Version")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Docker-Distribution-API-Version")


def handler_credentials(monkeypatch: pytest.MonkeyPatch, secret: dict[str, str]) -> dict[str, str]:
    """Store `secret` in moto's Secrets Manager and invoke the Lambda handler against it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(
            Name="registry/platform", SecretString=json.dumps(secret)
        )["ARN"]
        monkeypatch.setenv("REGISTRY_SECRET_ARN", arn)
        handler: ModuleType = load_handler()
        return dict(handler.handler({}, None)["Credentials"])


def test_handler_credentials_authenticate_to_the_registry(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = handler_credentials(
        monkeypatch, {"username": registry.username, "password": registry.password}
    )

    assert get_v2(registry, credentials["Username"], credentials["Password"]) == (
        200,
        "registry/2.0",
    )


def test_handler_credentials_with_a_wrong_password_are_refused(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = handler_credentials(
        monkeypatch, {"username": registry.username, "password": "not-the-password"}
    )

    assert get_v2(registry, credentials["Username"], credentials["Password"]) == (
        401,
        "registry/2.0",
    )


def test_registry_fixture_holds_the_images_skopeo_pushed(registry: Registry) -> None:
    assert sorted(registry.digests) == ["ml/demo:v1", "ml/demo:v2", "ml/multi:v1"]
    assert len(set(registry.digests.values())) == 3
