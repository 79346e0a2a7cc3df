"""Which certificates the registry tooling trusts: the system store, or one explicit CA bundle.

SageMaker pulls only from registries whose certificate chains to a public CA, so the system
trust store is the default and the honest test. `--ca-bundle` swaps it for a private CA (a
test or staging registry); the commands then say loudly that SageMaker would not trust it.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

from generator.common.errors import UsageError

# OpenSSL reads these when it loads the system store; when set, "system" means these files.
TRUST_OVERRIDE_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")


def system_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def bundle_context(ca_bundle: Path) -> ssl.SSLContext:
    """A context that trusts only the CAs in `ca_bundle` (hostnames are still checked)."""
    try:
        return ssl.create_default_context(cafile=str(ca_bundle))
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(
            f"fix: pass a readable PEM file to --ca-bundle — {ca_bundle}: {exc}"
        ) from None


def context_for(ca_bundle: Path | None) -> ssl.SSLContext:
    return system_context() if ca_bundle is None else bundle_context(ca_bundle)


def private_ca_warning(ca_bundle: Path) -> str:
    return (
        f"WARNING: verifying TLS against the private CA bundle {ca_bundle}, NOT the system trust "
        "store. SageMaker trusts only public CAs: a registry that passes only this way cannot "
        "serve SageMaker."
    )


def trust_override_note() -> str | None:
    """A note when SSL_CERT_FILE/SSL_CERT_DIR point somewhere else than OpenSSL's own store."""
    paths = ssl.get_default_verify_paths()
    defaults = {"SSL_CERT_FILE": paths.openssl_cafile, "SSL_CERT_DIR": paths.openssl_capath}
    moved = [
        f"{name}={os.environ[name]}"
        for name in TRUST_OVERRIDE_VARIABLES
        if os.environ.get(name)
        and os.path.realpath(os.environ[name]) != os.path.realpath(defaults[name])
    ]
    if not moved:
        return None
    return f"note: the system trust store is replaced by {' and '.join(moved)}"
