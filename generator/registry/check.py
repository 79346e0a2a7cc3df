"""`registry check`: is each registry of an environment fit for SageMaker to pull from?

For every registry of the environment, in order, each check depending on the one before:
TLS (the chain verifies against the system trust store, or the `--ca-bundle` CA, said
loudly), the V2 API (`Docker-Distribution-API-Version: registry/2.0` on `/v2/`), the login
(found, then accepted by `/v2/`), and the image of every endpoint deployed from it in that
environment (its digest exists: `HEAD /v2/<repo>/manifests/<digest>`). Results are a table;
any failure makes the exit code 1.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from generator.catalog.loader import load_repository, resolve
from generator.catalog.models import EnvironmentFile
from generator.common import rules
from generator.common.errors import GeneratorError, UsageError
from generator.registry.client import (
    API_VERSION,
    API_VERSION_HEADER,
    ConnectError,
    Login,
    RegistryClient,
    RegistryError,
    TlsError,
)
from generator.registry.credentials import login_for, override_login
from generator.registry.tls import context_for, private_ca_warning, trust_override_note

Status = Literal["PASS", "FAIL", "SKIP"]


@dataclass(frozen=True)
class Result:
    registry: str
    check: str
    status: Status
    detail: str


class _Failed(Exception):
    """Stops the checks of one registry at the failing one; the rest are reported as skipped."""


def fail(detail: str) -> NoReturn:
    raise _Failed(detail)


# The checks every registry gets, in order; each needs the one before it to have passed.
BASE_STEPS = ("TLS certificate", "V2 API", "credentials", "login")


@dataclass
class RegistryCheck:
    root: Path
    env_name: str
    env: EnvironmentFile
    name: str  # the registry's logical name in environment.yaml
    context: ssl.SSLContext
    ca_bundle: Path | None
    images: list[tuple[str, str]]  # (endpoint, image) deployed from this registry

    def run(self) -> list[Result]:
        """The base checks in order (the rest skipped after a failure), then every image."""
        image_steps = [f"image {endpoint}" for endpoint, _ in self.images]
        results: list[Result] = []
        clients: list[RegistryClient] = []
        try:
            for step, detail in zip(BASE_STEPS, self._base_checks(clients), strict=False):
                results.append(Result(self.name, step, "PASS", detail))
        except _Failed as failure:
            failed = BASE_STEPS[len(results)]
            results.append(Result(self.name, failed, "FAIL", str(failure)))
            skipped = [*BASE_STEPS[len(results) :], *image_steps]
            return results + [
                Result(self.name, s, "SKIP", f"skipped: {failed} failed") for s in skipped
            ]
        for step, (endpoint, image) in zip(image_steps, self.images, strict=True):
            try:
                results.append(
                    Result(self.name, step, "PASS", self._image(clients[0], endpoint, image))
                )
            except _Failed as failure:
                results.append(Result(self.name, step, "FAIL", str(failure)))
        return results

    def _base_checks(self, clients: list[RegistryClient]) -> Iterator[str]:
        """Yield the detail of each passed base check; `fail` stops. Leaves the logged-in
        client in `clients` for the image checks."""
        host = self.env.registries[self.name].host
        try:
            first = RegistryClient(host, None, self.context).send("GET", f"https://{host}/v2/")
        except ConnectError as exc:
            fail(f"fix: check registries.{self.name}.host and the network path — {exc}")
        except TlsError as exc:
            fail(
                "fix: serve a certificate chain from a public CA (or pass --ca-bundle for a private "
                f"test registry) — {exc}"
            )
        if self.ca_bundle is None:
            yield "chain verifies against the system trust store"
        else:
            yield f"chain verifies against PRIVATE CA {self.ca_bundle} only — SageMaker would reject it"

        version = first.header(API_VERSION_HEADER)
        if version != API_VERSION:
            found = (
                f"with {API_VERSION_HEADER}: {version}"
                if version
                else f"without {API_VERSION_HEADER}"
            )
            fail(
                f"fix: point registries.{self.name}.host at a Docker Registry HTTP API V2 server "
                f"— GET /v2/ answered {first.status} {found}"
            )
        yield f"{API_VERSION_HEADER}: {API_VERSION}"

        try:
            login = login_for(self.root, self.env_name, self.env, self.name)
        except GeneratorError as exc:
            fail(str(exc))
        yield (
            f"user {login.username} from {login.source}" if login else "auth none: no login needed"
        )

        settings = self.env.registries[self.name]
        clients.append(
            RegistryClient(
                host, login, self.context, token_hosts=settings.token_hosts, name=self.name
            )
        )
        yield self._login(clients[0], login)

    def _image(self, client: RegistryClient, endpoint: str, image: str) -> str:
        match = rules.digest_image_parts(image)
        assert match is not None  # the catalog validator accepts digest references only
        repository, digest = match.group("repository"), match.group("digest")
        try:
            found = client.manifest_digest(repository, digest)
        except RegistryError as exc:
            fail(str(exc))
        if found is None:
            fail(
                "fix: push the image, or pin a digest the registry has (python -m generator "
                f"registry pin) — {repository}@{digest} of endpoint {endpoint} is not in the registry"
            )
        return f"{repository}@{digest} present"

    def _login(self, client: RegistryClient, login: Login | None) -> str:
        try:
            response = client.ping()
        except RegistryError as exc:
            fail(str(exc))
        if response.status == 200:
            scheme = (
                f"{client.auth_scheme} auth"
                if client.auth_scheme
                else "the registry asked for no login"
            )
            return f"GET /v2/ answered 200 ({scheme})"
        if response.status == 401 and login is None:
            fail(
                f"fix: set registries.{self.name}.auth to basic or bearer with a credentials secret "
                "— the registry requires a login (401)"
            )
        if response.status == 401:
            assert login is not None
            fail(
                f"fix: correct the login in {login.source} — the registry refused user {login.username} (401)"
            )
        fail(f"fix: check the registry's auth setup — GET /v2/ answered {response.status}")


def format_table(results: list[Result]) -> str:
    header = Result("REGISTRY", "CHECK", "RESULT", "DETAIL")  # type: ignore[arg-type]
    rows = [header, *results]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("registry", "check", "status")]
    lines = [
        f"{r.registry:<{widths[0]}}  {r.check:<{widths[1]}}  {r.status:<{widths[2]}}  {r.detail}".rstrip()
        for r in rows
    ]
    return "\n".join(lines)


def check(root: Path, env_name: str, ca_bundle: Path | None) -> int:
    repo = load_repository(root)
    if env_name not in repo.environments:
        known = ", ".join(sorted(repo.environments))
        raise UsageError(
            f"fix: use one of the environments ({known}) — environment {env_name!r} does not exist"
        )
    override_login()  # a half-set login override is a usage error before any registry is asked
    endpoints = resolve(repo, [env_name])[env_name]
    env = repo.environments[env_name].settings
    context = context_for(ca_bundle)
    if ca_bundle is not None:
        print(private_ca_warning(ca_bundle), file=sys.stderr)
    note = trust_override_note()
    if note:
        print(note, file=sys.stderr)

    results: list[Result] = []
    for name in sorted(env.registries):
        images = [(e.name, e.settings.image) for e in endpoints.values() if e.registry == name]
        # Progress on stderr: each registry costs network round trips, one per image.
        print(f"==> checking registry {name} ({env.registries[name].host}): TLS, V2 API, login, {len(images)} image(s)", file=sys.stderr, flush=True)
        results += RegistryCheck(root, env_name, env, name, context, ca_bundle, images).run()

    print(f"registry check for environment {env_name}")
    print(format_table(results))
    failed = sum(r.status == "FAIL" for r in results)
    skipped = sum(r.status == "SKIP" for r in results)
    if failed:
        print(f"FAILED: {failed} of {len(results)} checks failed, {skipped} skipped")
        return 1
    print(f"ok: all {len(results)} checks passed")
    return 0
