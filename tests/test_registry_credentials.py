"""Where `registry pin` and `registry check` get the login from (generator.registry.credentials)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.catalog.models import EnvironmentFile
from generator.common.errors import UsageError
from generator.emulator import launcher as emulator
from generator.registry.client import Login, RegistryError
from generator.registry.credentials import login_for
from tests.helpers import REPO_ROOT

SECRET_NAME = "sagemaker-gitops/registry/platform"


ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sagemaker-gitops/registry/platform-AbCdEf"
MIRROR_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sagemaker-gitops/registry/mirror-AbCdEf"


def environment(
    auth: str = "basic", secret_arn: str | None = None, emulated: bool = False
) -> EnvironmentFile:
    registry: dict[str, Any] = {
        "host": "registry.example.com",
        "auth": auth,
        "security_group_id": "sg-0a1b2c3d4e5f60002",
    }
    if secret_arn:
        registry["credentials_secret_arn"] = secret_arn
    mirror = {
        "host": "mirror.example.com:5000",
        "auth": "basic",
        "credentials_secret_arn": MIRROR_ARN,
        "security_group_id": "sg-0a1b2c3d4e5f60003",
    }
    return EnvironmentFile.model_validate(
        {
            "emulator": emulated,
            "aws": {"region": "us-east-1", "account_id": "123456789012"},
            "network": {
                "vpc_id": "vpc-0a1b2c3d4e5f60000",
                "subnet_ids": ["subnet-0a1b2c3d4e5f60001"],
            },
            "registries": {"platform": registry, "mirror": mirror},
            "backend": {"bucket": "state-bucket", "key": "test.tfstate", "region": "us-east-1"},
        }
    )


@pytest.fixture(autouse=True)
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGISTRY_HOST", raising=False)
    monkeypatch.delenv("REGISTRY_USERNAME", raising=False)
    monkeypatch.delenv("REGISTRY_PASSWORD", raising=False)


@pytest.fixture
def local_emulator(tmp_path: Path) -> Iterator[emulator.Emulator]:
    """The embedded AWS of a checkout at tmp_path, as `make local-up` starts it."""
    started = emulator.start(tmp_path)
    try:
        yield started
    finally:
        emulator.stop(tmp_path)


def test_login_for_needs_no_login_when_auth_is_none() -> None:
    assert login_for(REPO_ROOT, "test", environment(auth="none"), "platform") is None


def test_login_for_reads_the_local_secret_from_the_running_emulator(
    tmp_path: Path, local_emulator: emulator.Emulator
) -> None:
    client = boto3.client(
        "secretsmanager",
        endpoint_url=local_emulator.url,
        region_name="us-east-1",
        aws_access_key_id=emulator.ACCESS_KEY,
        aws_secret_access_key=emulator.SECRET_KEY,
    )
    value = json.dumps({"username": "sagemaker-pull", "password": "from-the-emulator"})
    arn = client.create_secret(Name=SECRET_NAME, SecretString=value)["ARN"]
    (tmp_path / "modules").symlink_to(REPO_ROOT / "modules")  # the handler parses the secret

    login = login_for(tmp_path, "local", environment(secret_arn=arn, emulated=True), "platform")

    assert login == Login("sagemaker-pull", "from-the-emulator", f"secret {arn}")


def test_login_for_asks_for_the_emulator_when_it_is_not_running(tmp_path: Path) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sagemaker-gitops/registry/platform-AbCdEf"

    with pytest.raises(UsageError) as caught:
        login_for(tmp_path, "local", environment(secret_arn=arn, emulated=True), "platform")

    assert str(caught.value) == (
        "fix: run `make local-up` (python -m generator local up) — environment 'local' reads its registry "
        "secret from the embedded AWS, which is not running"
    )


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_login_for_says_when_no_aws_credentials_are_configured(no_aws_credentials: None) -> None:
    with pytest.raises(RegistryError) as caught:
        login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "platform")

    assert str(caught.value) == (
        f"fix: configure AWS credentials that may read {ARN}, or set REGISTRY_HOST=registry.example.com, "
        "REGISTRY_USERNAME and REGISTRY_PASSWORD — no AWS credentials were found"
    )


def set_override(monkeypatch: pytest.MonkeyPatch, host: str | None) -> None:
    if host is not None:
        monkeypatch.setenv("REGISTRY_HOST", host)
    monkeypatch.setenv("REGISTRY_USERNAME", "robot")
    monkeypatch.setenv("REGISTRY_PASSWORD", "robot-password")


def test_login_for_prefers_the_environment_variable_override_for_the_registry_it_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_override(monkeypatch, "registry.example.com")

    login = login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "platform")

    assert login == Login("robot", "robot-password", "REGISTRY_USERNAME/REGISTRY_PASSWORD")


def test_login_for_reads_the_secret_of_a_registry_the_override_does_not_name(
    monkeypatch: pytest.MonkeyPatch, no_aws_credentials: None
) -> None:
    set_override(monkeypatch, "registry.example.com")

    with pytest.raises(RegistryError) as caught:  # it went for the mirror's secret
        login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "mirror")

    assert str(caught.value).startswith(f"fix: configure AWS credentials that may read {MIRROR_ARN}, ")


def test_login_for_refuses_an_override_without_registry_host(monkeypatch: pytest.MonkeyPatch) -> None:
    set_override(monkeypatch, None)

    with pytest.raises(UsageError) as caught:
        login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "platform")

    assert str(caught.value) == (
        "fix: set REGISTRY_HOST to the host of the registry this login is for (its `host` in "
        "environment.yaml, e.g. registry.ml.example.com) — REGISTRY_USERNAME/REGISTRY_PASSWORD "
        "are sent to that one registry only"
    )


def test_login_for_refuses_registry_host_without_a_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_HOST", "registry.example.com")

    with pytest.raises(UsageError) as caught:
        login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "platform")

    assert str(caught.value) == (
        "fix: set REGISTRY_USERNAME and REGISTRY_PASSWORD as well, or unset REGISTRY_HOST "
        "— REGISTRY_HOST names the registry that the login override is for"
    )


def test_login_for_refuses_a_registry_host_that_is_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    set_override(monkeypatch, "https://registry.example.com/v2/")

    with pytest.raises(UsageError) as caught:
        login_for(REPO_ROOT, "test", environment(secret_arn=ARN), "platform")

    assert str(caught.value) == (
        "fix: set REGISTRY_HOST to a registry host as environment.yaml writes it (DNS name, "
        "optionally :port; no scheme or path) — got 'https://registry.example.com/v2/'"
    )
