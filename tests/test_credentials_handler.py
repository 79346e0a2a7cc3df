"""The registry credentials Lambda against moto's Secrets Manager, in process."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.credentials_handler import load_handler

PASSWORD = "s3cr3t-Pa55word-for-tests"


class FakeClock:
    """Stands in for time.monotonic so cache expiry is a step the test takes, not a wait."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="eu-west-1")


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch, aws: Any) -> ModuleType:
    module = load_handler()
    monkeypatch.setattr(module, "_clock", FakeClock())
    return module


def put_secret(client: Any, monkeypatch: pytest.MonkeyPatch, value: str) -> str:
    arn = str(client.create_secret(Name="registry/platform", SecretString=value)["ARN"])
    monkeypatch.setenv("REGISTRY_SECRET_ARN", arn)
    return arn


def test_handler_returns_exactly_the_sagemaker_credentials_shape(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    put_secret(aws, monkeypatch, json.dumps({"username": "sagemaker-pull", "password": PASSWORD}))

    assert handler.handler({}, None) == {
        "Credentials": {"Username": "sagemaker-pull", "Password": PASSWORD}
    }


def test_handler_ignores_extra_secret_fields(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = {"username": "sagemaker-pull", "password": PASSWORD, "rotated_at": "2026-11-01"}
    put_secret(aws, monkeypatch, json.dumps(value))

    assert handler.handler({}, None) == {
        "Credentials": {"Username": "sagemaker-pull", "Password": PASSWORD}
    }


def test_handler_serves_the_cached_login_within_the_cache_period(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = put_secret(aws, monkeypatch, json.dumps({"username": "first", "password": PASSWORD}))
    handler.handler({}, None)
    aws.put_secret_value(
        SecretId=arn, SecretString=json.dumps({"username": "second", "password": PASSWORD})
    )
    handler._clock.now += handler.CACHE_SECONDS - 1

    assert handler.handler({}, None)["Credentials"]["Username"] == "first"


def test_handler_rereads_the_secret_when_the_cache_period_is_over(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = put_secret(aws, monkeypatch, json.dumps({"username": "first", "password": PASSWORD}))
    handler.handler({}, None)
    aws.put_secret_value(
        SecretId=arn, SecretString=json.dumps({"username": "rotated", "password": PASSWORD})
    )
    handler._clock.now += handler.CACHE_SECONDS

    assert handler.handler({}, None)["Credentials"]["Username"] == "rotated"


def test_handler_cache_period_is_at_most_five_minutes(handler: ModuleType) -> None:
    assert 0 < handler.CACHE_SECONDS <= 300


def test_handler_fails_when_the_secret_arn_variable_is_unset(
    handler: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REGISTRY_SECRET_ARN", raising=False)

    with pytest.raises(handler.CredentialsError) as caught:
        handler.handler({}, None)

    assert str(caught.value) == (
        "fix: set the environment variable REGISTRY_SECRET_ARN to the registry secret's ARN "
        "— it is not set"
    )


def test_handler_fails_when_the_secret_does_not_exist(
    handler: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/absent-AbCdEf"
    monkeypatch.setenv("REGISTRY_SECRET_ARN", arn)

    with pytest.raises(handler.CredentialsError) as caught:
        handler.handler({}, None)

    assert str(caught.value) == (
        f"fix: create the secret or correct REGISTRY_SECRET_ARN — secret {arn} does not exist"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (f"user:{PASSWORD}", "is not valid JSON"),
        ("", "is not valid JSON"),
        (json.dumps(["sagemaker-pull", PASSWORD]), "holds a JSON list, not an object"),
        (json.dumps(PASSWORD), "holds a JSON str, not an object"),
    ],
    ids=["colon-pair", "empty-string", "json-list", "json-string"],
)
def test_handler_rejects_a_secret_that_is_not_a_json_object(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch, value: str, problem: str
) -> None:
    # Secrets Manager refuses an empty SecretString, so that case is checked on the parser.
    if value:
        arn = put_secret(aws, monkeypatch, value)
        call = lambda: handler.handler({}, None)  # noqa: E731
    else:
        arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/platform-AbCdEf"
        call = lambda: handler.parse_secret(arn, value)  # noqa: E731

    with pytest.raises(handler.CredentialsError) as caught:
        call()

    assert str(caught.value) == (
        'fix: store the login as a JSON object {"username": ..., "password": ...} '
        f"— secret {arn} {problem}"
    )
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize(
    ("document", "blank"),
    [
        ({"username": "sagemaker-pull"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "", "password": ""}, "username, password"),
        ({"username": "sagemaker-pull", "password": "   "}, "password"),
        ({"username": 42, "password": PASSWORD}, "username"),
        ({"user": "sagemaker-pull", "pass": PASSWORD}, "username, password"),
    ],
    ids=[
        "no-password",
        "no-username",
        "both-empty",
        "blank-password",
        "number-username",
        "misnamed-keys",
    ],
)
def test_handler_never_returns_empty_credentials(
    handler: ModuleType,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    document: dict[str, Any],
    blank: str,
) -> None:
    arn = put_secret(aws, monkeypatch, json.dumps(document))

    with pytest.raises(handler.CredentialsError) as caught:
        handler.handler({}, None)

    assert str(caught.value) == (
        f"fix: set non-empty string fields 'username' and 'password' in secret {arn} "
        f"— missing or empty: {blank}"
    )


def test_handler_rejects_a_binary_secret(
    handler: ModuleType, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = str(aws.create_secret(Name="registry/binary", SecretBinary=PASSWORD.encode())["ARN"])
    monkeypatch.setenv("REGISTRY_SECRET_ARN", arn)

    with pytest.raises(handler.CredentialsError) as caught:
        handler.handler({}, None)

    assert str(caught.value) == (
        f'fix: store the login as a JSON SecretString {{"username": ..., "password": ...}} '
        f"— secret {arn} has no SecretString"
    )


def test_handler_never_logs_the_password(
    handler: ModuleType,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # INFO is the level the handler sets for the Lambda runtime (botocore's DEBUG dumps bodies).
    caplog.set_level(logging.INFO)
    arn = put_secret(
        aws, monkeypatch, json.dumps({"username": "sagemaker-pull", "password": PASSWORD})
    )
    handler.handler({}, None)
    aws.put_secret_value(SecretId=arn, SecretString=f"sagemaker-pull:{PASSWORD}")
    handler._clock.now += handler.CACHE_SECONDS
    with pytest.raises(handler.CredentialsError):
        handler.handler({}, None)

    captured = capsys.readouterr()
    assert f"read registry login from {arn}; cached for 300 s" in caplog.text
    assert PASSWORD not in caplog.text + captured.out + captured.err
