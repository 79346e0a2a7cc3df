"""The boto3 session of the generator's own AWS look-ups signs with what `aws_for` hands Terraform."""

from __future__ import annotations

from generator.deploy.aws_credentials import session_for


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
