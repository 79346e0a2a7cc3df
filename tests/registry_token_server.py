"""Bearer-token auth for the test registry: a token server and a second docker-registry using it.

This is the other half of the Docker token authentication protocol, written for the tests
because no token server ships with Debian: it checks the login with HTTP basic auth and
issues a JWT (RS256, the signing certificate in the `x5c` header) granting pull on the scope
the registry asked for. The registry verifies every token against the signing certificate,
exactly as it would with a production token server.

The second registry (`bearer_registry`) serves the same storage as `registry`, so it holds the
same images and digests; only its auth differs. Its token server listens on another port of
127.0.0.1 (`token_host`), so it is a token host environment.yaml must list, and it records for
every request whether it carried an Authorization header (never the header itself).
"""

from __future__ import annotations

import base64
import datetime
import http.server
import json
import secrets
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from tests.registry_fixture import Registry, free_port, registry_config, serving

SERVICE = "sagemaker-gitops-test-registry"
ISSUER = "sagemaker-gitops-test-token-server"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenSigner:
    """An RSA key and its self-signed certificate; the registry trusts the certificate."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER)])
        now = datetime.datetime.now(datetime.UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def token(self, subject: str, scopes: list[str]) -> str:
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        now = int(time.time())
        access = []
        for scope in scopes:  # repository:<name>:<actions>; only pull is ever granted
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if kind == "repository" and "pull" in actions.split(","):
                access.append({"type": "repository", "name": name, "actions": ["pull"]})
        claims = {
            "iss": ISSUER,
            "sub": subject,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": access,
        }
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        )
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64url(signature)}"


@dataclass
class BearerRegistry(Registry):
    """The token-auth registry, its token server's `host:port`, and what that server saw."""

    token_host: str = ""
    # One entry per token request, in order: whether it carried an Authorization header.
    token_requests: list[bool] = field(default_factory=list)


def _handler(
    signer: TokenSigner, username: str, password: str, seen: list[bool]
) -> type[http.server.BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    class TokenHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            seen.append("Authorization" in self.headers)
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path != "/token" or query.get("service") != [SERVICE]:
                self._answer(404, {"errors": [{"code": "NOT_FOUND"}]})
            elif not secrets.compare_digest(self.headers.get("Authorization", ""), expected):
                self._answer(401, {"errors": [{"code": "UNAUTHORIZED"}]})
            else:
                token = signer.token(username, query.get("scope", []))
                self._answer(200, {"token": token, "access_token": token, "expires_in": 300})

        def _answer(self, status: int, document: dict[str, object]) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
            pass

    return TokenHandler


@pytest.fixture(scope="session")
def bearer_registry(
    registry: Registry, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BearerRegistry]:
    """docker-registry with token auth on the storage of `registry`, and its token server."""
    directory = tmp_path_factory.mktemp("bearer-registry")
    signer = TokenSigner()
    bundle = directory / "token-signer.crt"
    bundle.write_bytes(signer.certificate_pem())

    seen: list[bool] = []
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), _handler(signer, registry.username, registry.password, seen)
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls: Path = registry.directory / "tls"
    context.load_cert_chain(tls / "server.crt", tls / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = free_port()
        token_host = f"127.0.0.1:{server.server_address[1]}"
        auth = {
            "token": {
                "realm": f"https://{token_host}/token",
                "service": SERVICE,
                "issuer": ISSUER,
                "rootcertbundle": str(bundle),
            }
        }
        config = directory / "config.yml"
        # Same storage and certificate as `registry`: the config reads both from its directory.
        config.write_text(registry_config(registry.directory, port, auth))
        shared = {f.name: getattr(registry, f.name) for f in fields(registry)}
        bearer = BearerRegistry(
            **shared | {"host": f"127.0.0.1:{port}", "log_file": directory / "registry.log"},
            token_host=token_host,
            token_requests=seen,
        )
        with serving(config, bearer):
            yield bearer
    finally:
        server.shutdown()
        server.server_close()
