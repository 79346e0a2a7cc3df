"""A small client for the Docker Registry HTTP API V2: ping, and manifest digests by HEAD.

Authentication follows the registry's challenge: a 401 with `WWW-Authenticate: Basic` is
answered with the login; `WWW-Authenticate: Bearer realm=...,service=...,scope=...` sends the
login to the token server named by `realm` and retries with the token it returns. The login
goes only to the registry host itself and to the token hosts environment.yaml lists for it
(`token_hosts`): the registry's answer names the realm, and a registry that is compromised or
impersonated must not be able to send the login anywhere else. A realm elsewhere is refused
before anything is sent to it. The login is sent only over verified TLS and never appears in
messages.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import ssl
import urllib.parse
from dataclasses import dataclass, field

from generator.common import rules
from generator.common.errors import GeneratorError

# Every manifest shape a SageMaker-pullable image can have: single-platform manifests and
# multi-platform indexes, OCI and Docker. A registry answers a HEAD for a type the client does
# not accept with 404 or a converted manifest, whose digest would be the wrong one to pin.
MANIFEST_MEDIA_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
API_VERSION_HEADER = "Docker-Distribution-API-Version"
API_VERSION = "registry/2.0"
_CHALLENGE_PARAM_RE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


class RegistryError(GeneratorError):
    """The registry could not be reached, refused us, or answered something unusable."""

    exit_code = 1


class TlsError(RegistryError):
    """The TLS handshake failed, usually because the certificate chain does not verify."""


class ConnectError(RegistryError):
    """Nothing answered at the registry's address."""


@dataclass(frozen=True)
class Login:
    """A registry login and where it came from (`source` is shown; the password never is)."""

    username: str
    password: str = field(repr=False)
    source: str


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Challenge:
    scheme: str  # "basic" or "bearer", lower case
    params: dict[str, str]


def parse_challenge(value: str) -> Challenge:
    scheme, _, rest = value.strip().partition(" ")
    return Challenge(scheme.lower(), dict(_CHALLENGE_PARAM_RE.findall(rest)))


def _basic(login: Login) -> str:
    return "Basic " + base64.b64encode(f"{login.username}:{login.password}".encode()).decode()


def authority(host: str) -> str:
    """`host[:port]` as compared for sending the login: lower case, without the default :443."""
    host = host.lower()
    return host.removesuffix(":443")


def realm_authority(realm: str) -> str:
    """The `host[:port]` a realm URL points at, in the form `authority` gives."""
    parts = urllib.parse.urlsplit(realm)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or parts.netloc
    return authority(f"{host}:{port}" if port is not None else host)


class RegistryClient:
    def __init__(
        self,
        host: str,
        login: Login | None,
        context: ssl.SSLContext,
        timeout: float = 15.0,
        *,
        token_hosts: tuple[str, ...] | list[str] = (),
        name: str | None = None,
    ):
        self.host = host
        self.login = login
        self.name = name  # the registry's logical name in environment.yaml, for messages
        # Where the login may go: the registry itself and its listed token services.
        self.login_hosts = frozenset(authority(h) for h in (host, *token_hosts))
        self.context = context
        self.timeout = timeout
        self.auth_scheme: str | None = None  # the scheme the registry challenged with, once seen
        self._basic_ok = False  # after one accepted basic login, send it without a challenge

    # --- transport ---------------------------------------------------------------------------

    def send(self, method: str, url: str, headers: dict[str, str] | None = None) -> Response:
        """One HTTPS round trip, no authentication, no redirects. Raises TlsError/ConnectError."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https":
            raise RegistryError(
                f"fix: serve {url} over HTTPS — the registry tooling never sends logins in clear text"
            )
        connection = http.client.HTTPSConnection(
            parts.netloc, context=self.context, timeout=self.timeout
        )
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, target or "/", headers=headers or {})
            raw = connection.getresponse()
            body = raw.read() if method != "HEAD" else b""
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, body)
        except ssl.SSLCertVerificationError as exc:
            raise TlsError(
                f"certificate of {parts.netloc} does not verify: {exc.verify_message}"
            ) from None
        except ssl.SSLError as exc:
            raise TlsError(
                f"TLS handshake with {parts.netloc} failed: {exc.reason or exc}"
            ) from None
        except (TimeoutError, ConnectionError, socket.gaierror, OSError) as exc:
            raise ConnectError(f"cannot connect to {parts.netloc}: {exc.strerror or exc}") from None
        finally:
            connection.close()

    # --- authenticated requests --------------------------------------------------------------

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> Response:
        """A request to the registry that answers an auth challenge once, as Docker clients do."""
        url = f"https://{self.host}{path}"
        headers = dict(headers or {})
        if self._basic_ok and self.login is not None:
            headers["Authorization"] = _basic(self.login)
        response = self.send(method, url, headers)
        challenge_header = response.header("WWW-Authenticate")
        if response.status != 401 or not challenge_header or "Authorization" in headers:
            return response
        challenge = parse_challenge(challenge_header)
        self.auth_scheme = challenge.scheme
        if challenge.scheme == "basic":
            if self.login is None:
                return response
            headers["Authorization"] = _basic(self.login)
            response = self.send(method, url, headers)
            self._basic_ok = response.status != 401
            return response
        if challenge.scheme == "bearer":
            token = self._token(challenge)
            if token is None:
                return Response(401, {}, b"")
            headers["Authorization"] = f"Bearer {token}"
            return self.send(method, url, headers)
        raise RegistryError(
            f"fix: configure the registry for basic or bearer-token auth "
            f"— it asks for {challenge.scheme!r}, which SageMaker cannot answer"
        )

    def _token(self, challenge: Challenge) -> str | None:
        """Exchange the login for a bearer token at the realm; None when the login is refused."""
        realm = challenge.params.get("realm")
        if not realm:
            raise RegistryError(
                "fix: give the registry's Bearer challenge a realm — it names no token server"
            )
        realm_host = realm_authority(realm)
        if self.login is not None and realm_host not in self.login_hosts:
            listing = (
                f"registries.{self.name}.token_hosts" if self.name else "the registry's token_hosts"
            )
            raise RegistryError(
                f"fix: add {realm_host} to {listing} in environment.yaml if it is the registry's real "
                f"token service — the registry {self.host} asks for its login to be sent to {realm_host}, "
                "which is neither the registry nor one of its token_hosts; the login was not sent"
            )
        query = {k: v for k, v in challenge.params.items() if k in ("service", "scope")}
        url = (
            realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(query)
            if query
            else realm
        )
        # Without a login this asks for an anonymous token, which public-read registries grant;
        # nothing secret is sent, so any realm may be asked.
        response = self.send(
            "GET", url, {"Authorization": _basic(self.login)} if self.login else {}
        )
        if response.status in (401, 403):
            return None
        if response.status != 200:
            raise RegistryError(
                f"fix: check the token server {realm} — it answered {response.status}"
            )
        try:
            document = json.loads(response.body)
            token = document.get("token") or document.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise RegistryError(f"fix: check the token server {realm} — its answer holds no token")
        return token

    # --- API ---------------------------------------------------------------------------------

    def ping(self) -> Response:
        """GET /v2/ with authentication: 200 when the login is accepted (or none is needed)."""
        return self.request("GET", "/v2/")

    def manifest_digest(self, repository: str, reference: str) -> str | None:
        """The digest of the manifest or index that `reference` (tag or digest) names, or None."""
        response = self.request(
            "HEAD",
            f"/v2/{repository}/manifests/{reference}",
            {"Accept": ", ".join(MANIFEST_MEDIA_TYPES)},
        )
        if response.status == 404:
            return None
        if response.status == 401:
            raise RegistryError(
                f"fix: correct the registry login ({self.login.source if self.login else 'none configured'}) "
                f"— {self.host} refused it for {repository}"
            )
        if response.status != 200:
            raise RegistryError(
                f"fix: check the registry {self.host} — HEAD {repository}:{reference} answered {response.status}"
            )
        digest = response.header("Docker-Content-Digest")
        if digest is None or not rules.matches(rules.DIGEST, digest):
            raise RegistryError(
                f"fix: use a registry that sends Docker-Content-Digest — HEAD {repository}:{reference} "
                f"answered without a sha256 digest ({digest!r})"
            )
        if rules.matches(rules.DIGEST, reference) and digest != reference:
            raise RegistryError(
                f"fix: check the registry {self.host} — asked for {repository}@{reference}, it answered {digest}"
            )
        return digest
