"""The V2 client against the real registry, with basic auth and with bearer-token auth."""

from __future__ import annotations

import ssl

import pytest

from generator.registry.client import (
    Challenge,
    Login,
    RegistryClient,
    RegistryError,
    parse_challenge,
)
from tests.registry_fixture import Registry


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('Basic realm="registry"', Challenge("basic", {"realm": "registry"})),
        (
            'Bearer realm="https://auth.example.com/token",service="registry.example.com",'
            'scope="repository:ml/demo:pull"',
            Challenge(
                "bearer",
                {
                    "realm": "https://auth.example.com/token",
                    "service": "registry.example.com",
                    "scope": "repository:ml/demo:pull",
                },
            ),
        ),
        (
            'bearer realm="https://auth.example.com/token", service="r"',
            Challenge("bearer", {"realm": "https://auth.example.com/token", "service": "r"}),
        ),
    ],
    ids=["basic", "bearer-with-scope", "lower-case-with-spaces"],
)
def test_parse_challenge_reads_scheme_and_parameters(header: str, expected: Challenge) -> None:
    assert parse_challenge(header) == expected


def test_login_repr_hides_the_password() -> None:
    assert "hunter2" not in repr(
        Login("sagemaker-pull", "hunter2", "REGISTRY_USERNAME/REGISTRY_PASSWORD")
    )


def client(registry: Registry, password: str | None = None) -> RegistryClient:
    login = Login(registry.username, password or registry.password, "test")
    return RegistryClient(registry.host, login, registry.ssl_context())


@pytest.mark.integration
@pytest.mark.registry
def test_client_reads_a_tag_digest_with_basic_auth(registry: Registry) -> None:
    registry_client = client(registry)

    assert registry_client.manifest_digest("ml/demo", "v1") == registry.digests["ml/demo:v1"]
    assert registry_client.auth_scheme == "basic"


@pytest.mark.integration
@pytest.mark.registry
def test_client_confirms_a_digest_reference(registry: Registry) -> None:
    digest = registry.digests["ml/multi:v1"]

    assert client(registry).manifest_digest("ml/multi", digest) == digest


@pytest.mark.integration
@pytest.mark.registry
def test_client_answers_none_for_a_tag_the_registry_does_not_have(registry: Registry) -> None:
    assert client(registry).manifest_digest("ml/demo", "v404") is None


@pytest.mark.integration
@pytest.mark.registry
def test_client_reports_a_refused_basic_login(registry: Registry) -> None:
    with pytest.raises(RegistryError) as caught:
        client(registry, "wrong").manifest_digest("ml/demo", "v1")

    assert (
        str(caught.value)
        == f"fix: correct the registry login (test) — {registry.host} refused it for ml/demo"
    )


@pytest.mark.integration
@pytest.mark.registry
def test_client_exchanges_the_login_for_a_bearer_token(bearer_registry: Registry) -> None:
    registry_client = client(bearer_registry)

    assert registry_client.manifest_digest("ml/demo", "v2") == bearer_registry.digests["ml/demo:v2"]
    assert registry_client.auth_scheme == "bearer"


@pytest.mark.integration
@pytest.mark.registry
def test_client_gets_no_bearer_token_for_a_wrong_login(bearer_registry: Registry) -> None:
    response = client(bearer_registry, "wrong").ping()

    assert (response.status, client(bearer_registry).ping().status) == (401, 200)


def test_client_never_sends_a_login_over_plain_http() -> None:
    plain = RegistryClient(
        "127.0.0.1:9", Login("sagemaker-pull", "hunter2", "test"), ssl.create_default_context()
    )

    with pytest.raises(RegistryError) as caught:
        plain.send("GET", "http://127.0.0.1:9/token")

    assert str(caught.value) == (
        "fix: serve http://127.0.0.1:9/token over HTTPS — the registry tooling never sends logins in clear text"
    )
