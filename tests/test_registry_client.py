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
    realm_authority,
)
from tests.registry_fixture import Registry
from tests.registry_token_server import BearerRegistry


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


@pytest.mark.parametrize(
    ("realm", "expected"),
    [
        ("https://auth.example.com/token", "auth.example.com"),
        ("https://Auth.Example.com:443/token?x=1", "auth.example.com"),
        ("https://127.0.0.1:5001/token", "127.0.0.1:5001"),
        ("https://pull@auth.example.com:8443/token", "auth.example.com:8443"),
    ],
)
def test_realm_authority_is_the_host_and_port_the_login_would_go_to(
    realm: str, expected: str
) -> None:
    assert realm_authority(realm) == expected


def client(
    registry: Registry, password: str | None = None, token_hosts: tuple[str, ...] = ()
) -> RegistryClient:
    login = Login(registry.username, password or registry.password, "test")
    return RegistryClient(registry.host, login, registry.ssl_context(), token_hosts=token_hosts)


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
def test_client_exchanges_the_login_for_a_bearer_token_at_a_listed_token_host(
    bearer_registry: BearerRegistry,
) -> None:
    registry_client = client(bearer_registry, token_hosts=(bearer_registry.token_host,))

    assert registry_client.manifest_digest("ml/demo", "v2") == bearer_registry.digests["ml/demo:v2"]
    assert registry_client.auth_scheme == "bearer"


@pytest.mark.integration
@pytest.mark.registry
def test_client_gets_no_bearer_token_for_a_wrong_login(bearer_registry: BearerRegistry) -> None:
    listed = (bearer_registry.token_host,)

    response = client(bearer_registry, "wrong", listed).ping()

    assert (response.status, client(bearer_registry, token_hosts=listed).ping().status) == (
        401,
        200,
    )


@pytest.mark.integration
@pytest.mark.registry
def test_client_sends_no_login_to_a_token_host_that_is_not_listed(
    bearer_registry: BearerRegistry,
) -> None:
    already = len(bearer_registry.token_requests)

    with pytest.raises(RegistryError) as caught:
        client(bearer_registry).ping()

    assert str(caught.value) == (
        f"fix: add {bearer_registry.token_host} to the registry's token_hosts in environment.yaml if it is "
        f"the registry's real token service — the registry {bearer_registry.host} asks for its login to be "
        f"sent to {bearer_registry.token_host}, which is neither the registry nor one of its token_hosts; "
        "the login was not sent"
    )
    assert bearer_registry.token_requests[already:] == []


@pytest.mark.integration
@pytest.mark.registry
def test_client_sends_no_login_to_the_token_server_under_another_host_name(
    bearer_registry: BearerRegistry,
) -> None:
    port = bearer_registry.token_host.rpartition(":")[2]
    already = len(bearer_registry.token_requests)

    with pytest.raises(RegistryError):
        client(bearer_registry, token_hosts=(f"localhost:{port}",)).ping()

    assert bearer_registry.token_requests[already:] == []


@pytest.mark.integration
@pytest.mark.registry
def test_client_without_a_login_asks_any_realm_for_an_anonymous_token(
    bearer_registry: BearerRegistry,
) -> None:
    already = len(bearer_registry.token_requests)
    anonymous = RegistryClient(bearer_registry.host, None, bearer_registry.ssl_context())

    assert anonymous.ping().status == 401  # the test token server grants no anonymous token
    assert bearer_registry.token_requests[already:] == [False]


def test_client_never_sends_a_login_over_plain_http() -> None:
    plain = RegistryClient(
        "127.0.0.1:9", Login("sagemaker-pull", "hunter2", "test"), ssl.create_default_context()
    )

    with pytest.raises(RegistryError) as caught:
        plain.send("GET", "http://127.0.0.1:9/token")

    assert str(caught.value) == (
        "fix: serve http://127.0.0.1:9/token over HTTPS — the registry tooling never sends logins in clear text"
    )
