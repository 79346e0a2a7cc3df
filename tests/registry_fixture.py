"""A real private registry for the tests: Debian's docker-registry with TLS and htpasswd auth.

The session fixture `registry` makes a throw-away CA and a server certificate for 127.0.0.1,
an htpasswd file with a random password, starts `docker-registry serve` on a free loopback
port with storage in a temporary directory, builds small OCI images as an on-disk OCI layout
(no Docker engine) and pushes them with skopeo. The registry process is stopped when the
session ends, whatever happened in between.

The password is written to no file: the htpasswd file holds a bcrypt hash (htpasswd reads the
password from stdin), and skopeo gets it on its command line, which only this machine sees.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import ipaddress
import json
import secrets
import shutil
import socket
import ssl
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

REGISTRY_USER = "sagemaker-pull"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
TOOLS = {"docker-registry": "docker-registry", "skopeo": "skopeo", "htpasswd": "apache2-utils"}


@dataclass
class Registry:
    """A running registry: where it listens, how to trust it, how to log in, what it holds."""

    host: str  # 127.0.0.1:PORT, the form catalog images and environment.yaml use
    ca_file: Path  # the test CA (PEM), for --ca-bundle
    cert_dir: Path  # ca.crt alone, the layout skopeo's --cert-dir expects
    username: str
    password: str = field(repr=False)
    log_file: Path = field(repr=False, default=Path())
    directory: Path = field(repr=False, default=Path())  # tls/, data/ (the storage), logs
    digests: dict[str, str] = field(default_factory=dict)  # "repo:tag" -> digest skopeo reports

    @property
    def url(self) -> str:
        return f"https://{self.host}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def image(self, repository: str, tag: str) -> str:
        return f"{self.host}/{repository}:{tag}"


# --- certificates ---------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_certificates(
    directory: Path, common_name: str = "sagemaker-gitops test CA"
) -> tuple[Path, Path, Path]:
    """A self-signed CA and a server certificate for 127.0.0.1 and localhost.

    Returns the paths of the CA certificate, the server certificate and the server key (PEM).
    """
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    validity = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    ca_file, cert_file, key_file = (
        directory / "ca.crt",
        directory / "server.crt",
        directory / "server.key",
    )
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(_pem_key(server_key))
    key_file.chmod(0o600)
    return ca_file, cert_file, key_file


# --- OCI images on disk ---------------------------------------------------------------------


def _blob(layout: Path, content: bytes) -> dict[str, object]:
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    path = layout / "blobs" / "sha256" / digest.split(":", 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return {"digest": digest, "size": len(content)}


def _layer(files: dict[str, bytes]) -> tuple[bytes, str]:
    """A reproducible gzipped tar layer and the digest of its uncompressed tar (the diff ID)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    tar_bytes = raw.getvalue()
    return gzip.compress(tar_bytes, mtime=0), "sha256:" + hashlib.sha256(tar_bytes).hexdigest()


def _image_manifest(layout: Path, files: dict[str, bytes], architecture: str) -> dict[str, object]:
    layer, diff_id = _layer(files)
    config = {
        "architecture": architecture,
        "os": "linux",
        "config": {"Cmd": ["/serve"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": OCI_CONFIG,
            **_blob(layout, json.dumps(config, sort_keys=True).encode()),
        },
        "layers": [{"mediaType": OCI_LAYER, **_blob(layout, layer)}],
    }
    return {
        "mediaType": OCI_MANIFEST,
        **_blob(layout, json.dumps(manifest, sort_keys=True).encode()),
    }


def add_oci_image(
    layout: Path, tag: str, files: dict[str, bytes], architectures: tuple[str, ...] = ("amd64",)
) -> None:
    """Add a tagged image to an OCI layout: one manifest, or an index over several architectures."""
    (layout / "oci-layout").parent.mkdir(parents=True, exist_ok=True)
    (layout / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    if len(architectures) == 1:
        descriptor = _image_manifest(layout, files, architectures[0])
    else:
        entries = [
            {
                **_image_manifest(layout, {**files, "arch": arch.encode()}, arch),
                "platform": {"architecture": arch, "os": "linux"},
            }
            for arch in architectures
        ]
        index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}
        descriptor = {
            "mediaType": OCI_INDEX,
            **_blob(layout, json.dumps(index, sort_keys=True).encode()),
        }
    index_path = layout / "index.json"
    top = (
        json.loads(index_path.read_text())
        if index_path.exists()
        else {"schemaVersion": 2, "manifests": []}
    )
    top["manifests"].append(
        {**descriptor, "annotations": {"org.opencontainers.image.ref.name": tag}}
    )
    index_path.write_text(json.dumps(top, sort_keys=True))


# --- the registry process -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_tools() -> None:
    missing = sorted(package for tool, package in TOOLS.items() if shutil.which(tool) is None)
    if missing:
        pytest.fail(
            f"fix: run `make debian-tools` (apt-get install {' '.join(missing)}) "
            "— the registry tests need them"
        )


def _htpasswd(user: str, password: str) -> str:
    # -i reads the password from stdin, so it never shows in a process listing.
    result = subprocess.run(
        ["htpasswd", "-B", "-i", "-n", user],
        input=password,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() + "\n"


def registry_config(directory: Path, port: int, auth: dict[str, object]) -> str:
    config = {
        "version": 0.1,
        "log": {"level": "info", "formatter": "text", "accesslog": {"disabled": False}},
        "storage": {
            "filesystem": {"rootdirectory": str(directory / "data")},
            "delete": {"enabled": True},
        },
        "http": {
            "addr": f"127.0.0.1:{port}",
            "tls": {
                "certificate": str(directory / "tls" / "server.crt"),
                "key": str(directory / "tls" / "server.key"),
            },
        },
        "auth": auth,
    }
    return json.dumps(config, indent=2)  # YAML is a superset of JSON


@contextmanager
def serving(config: Path, registry: Registry) -> Iterator[None]:
    """Run `docker-registry serve config` until the block ends; always stop it."""
    with open(registry.log_file, "ab") as log:
        process = subprocess.Popen(
            ["docker-registry", "serve", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_up(registry.url, registry.ssl_context(), process, registry.log_file)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(
    url: str, context: ssl.SSLContext, process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"docker-registry exited with {process.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{url}/v2/", context=context, timeout=1)
            return
        except urllib.error.HTTPError as exc:  # 401 without credentials: it is up
            if exc.code == 401:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    pytest.fail(f"docker-registry did not answer on {url} within 30 s:\n{log.read_text()}")


def _skopeo(registry: Registry, policy: Path, *args: str) -> str:
    result = subprocess.run(
        ["skopeo", "--policy", str(policy), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"skopeo {args[0]} failed: {result.stderr.replace(registry.password, '***')}")
    return result.stdout


def push(
    registry: Registry,
    layout: Path,
    policy: Path,
    source_tag: str,
    target: str,
    *,
    all_images: bool,
) -> str:
    """Copy `layout:source_tag` to `target` (repo:tag) with skopeo; return the pushed digest.

    The digest is the SHA-256 of the manifest (or index) bytes `skopeo inspect --raw` reads
    back from the registry: the definition of a content digest, independent of our client.
    """
    destination = f"docker://{registry.host}/{target}"
    creds = f"{registry.username}:{registry.password}"  # argv of a loopback test process only
    copy_all = ["--all"] if all_images else []
    _skopeo(
        registry,
        policy,
        "copy",
        "--quiet",
        *copy_all,
        "--dest-cert-dir",
        str(registry.cert_dir),
        "--dest-creds",
        creds,
        f"oci:{layout}:{source_tag}",
        destination,
    )
    raw = _skopeo(
        registry,
        policy,
        "inspect",
        "--raw",
        "--cert-dir",
        str(registry.cert_dir),
        "--creds",
        creds,
        destination,
    )
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """docker-registry on 127.0.0.1 with TLS (test CA) and htpasswd auth, holding ml/demo:v1,
    ml/demo:v2 (single images) and ml/multi:v1 (an OCI index over amd64 and arm64)."""
    _require_tools()
    directory = tmp_path_factory.mktemp("registry")
    ca_file, _, _ = make_certificates(directory / "tls")
    cert_dir = directory / "certs.d"
    cert_dir.mkdir()
    shutil.copy(ca_file, cert_dir / "ca.crt")
    password = secrets.token_urlsafe(24)
    htpasswd = directory / "htpasswd"
    htpasswd.write_text(_htpasswd(REGISTRY_USER, password))
    port = free_port()
    config = directory / "config.yml"
    auth = {"htpasswd": {"realm": "sagemaker-gitops-test", "path": str(htpasswd)}}
    config.write_text(registry_config(directory, port, auth))
    log_file = directory / "registry.log"
    registry = Registry(
        f"127.0.0.1:{port}", ca_file, cert_dir, REGISTRY_USER, password, log_file, directory
    )

    with serving(config, registry):
        layout, policy = directory / "layout", directory / "policy.json"
        policy.write_text(json.dumps({"default": [{"type": "insecureAcceptAnything"}]}))
        add_oci_image(layout, "v1", {"model.txt": b"demo model, version 1\n"})
        add_oci_image(layout, "v2", {"model.txt": b"demo model, version 2\n"})
        add_oci_image(
            layout, "multi", {"model.txt": b"multi-arch model\n"}, architectures=("amd64", "arm64")
        )
        for source_tag, target, all_images in (
            ("v1", "ml/demo:v1", False),
            ("v2", "ml/demo:v2", False),
            ("multi", "ml/multi:v1", True),
        ):
            registry.digests[target] = push(
                registry, layout, policy, source_tag, target, all_images=all_images
            )
        yield registry
