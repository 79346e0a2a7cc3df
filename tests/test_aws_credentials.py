"""The boto3 session of the generator's own AWS look-ups signs with what `aws_for` hands Terraform."""

from __future__ import annotations

import pytest

from generator.catalog.loader import load_repository
from generator.deploy.aws_credentials import check_credentials, session_for
from tests.helpers import REPO_ROOT


def test_session_of_an_assumed_role_carries_its_session_token() -> None:
    # Atlantis plans with the plan role assumed: its keys are refused without their token.
    session, _ = session_for({"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token"})

    credentials = session.get_credentials()
    assert (credentials.access_key, credentials.secret_key, credentials.token) == ("ASIAEXAMPLE", "secret", "token")


def test_session_of_long_lived_keys_has_no_token(monkeypatch) -> None:
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    session, _ = session_for({"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": ""})

    assert session.get_credentials().token is None


def test_clients_of_the_emulator_go_to_its_url() -> None:
    session, kwargs = session_for({"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"})

    client = session.client("sagemaker", region_name="eu-west-1", **kwargs)
    assert client.meta.endpoint_url == "http://127.0.0.1:4566"
    assert client.meta.config.retries["mode"] == "adaptive"


@pytest.mark.integration
def test_check_credentials_signs_with_the_assumed_roles_keys(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)  # botocore reads it: STS is the emulator's
    env = load_repository(REPO_ROOT).environments["local"].settings
    role = {"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token", "AWS_PROFILE": ""}

    assert check_credentials("local", env, role).startswith("arn:aws:sts::123456789012:")
