"""The embedded AWS of the `local` environment: start, seed, find and stop a moto server.

The server listens on 127.0.0.1 on a free port. Its pid, URL and log live under
`build/local/`, so `make local-up` / `make local-down` and every command in between find the
same server. Seeding creates what `environments/local/environment.yaml` refers to. moto makes
IDs from a random generator that the seed step seeds first, so the IDs come out the same on
every machine and the committed environment file can name them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.catalog.models import EnvironmentFile
from generator.common.errors import GeneratorError, UsageError
from generator.common.layout import build_dir

# Attempts of one AWS call against the emulator (SDKs and the provider), see Emulator.environ.
LOCAL_ATTEMPTS = 3

# Changing this changes every ID moto generates, and so environments/local/environment.yaml.
RANDOM_SEED = 20261125
ACCESS_KEY = "local-emulator"  # moto accepts any key pair; these are not credentials
SECRET_KEY = "local-emulator"
VPC_CIDR = "10.42.0.0/16"
# SageMaker quotas of the emulated account, so the capacity review runs offline. Constants
# rather than environment.yaml settings: they describe the emulator, not an environment. Enough
# for the local catalog with room for a blue/green update; every other instance type the
# emulator knows (ml.g5.xlarge, ml.p3.2xlarge, ...) keeps the default of a new account, 0.
SEEDED_QUOTAS = {
    "ml.t2.medium for endpoint usage": 2,
    "ml.m5.large for endpoint usage": 4,
    "ml.m5.xlarge for endpoint usage": 4,
    "ml.c5.xlarge for endpoint usage": 4,
    "Total number of instances allowed across SageMaker endpoints": 12,
}


class EmulatorError(GeneratorError):
    exit_code = 1


@dataclass(frozen=True)
class Emulator:
    url: str
    pid: int

    def environ(self, region: str) -> dict[str, str]:
        """Environment variables that point the AWS SDKs, the provider and the S3 backend here."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
            # An emulator error should fail in seconds, not after the provider's 25 retries.
            # AWS_MAX_ATTEMPTS caps the SDKs (boto3); hashicorp/aws ignores it and reads
            # max_retries, which the root module takes from this variable. Three, not two: the
            # Go client can close a connection under its own response ("use of closed network
            # connection", aws/aws-sdk-go-v2#2737; `replay` tells why) and retries by design
            # (#2949); an apply on a busy machine lost both of two attempts that way. The
            # emulator replays the lost answer to the retry (`replay.ReplayLostAnswers`).
            "AWS_MAX_ATTEMPTS": str(LOCAL_ATTEMPTS),
            "TF_VAR_aws_max_retries": str(LOCAL_ATTEMPTS),
            "AWS_PROFILE": "",
            "AWS_SESSION_TOKEN": "",
        }


def state_dir(root: Path) -> Path:
    return build_dir(root, "local")


def _files(root: Path) -> tuple[Path, Path, Path]:
    d = state_dir(root)
    return d / "moto.pid", d / "moto.url", d / "moto.log"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def running(root: Path) -> Emulator | None:
    pid_file, url_file, _ = _files(root)
    try:
        pid = int(pid_file.read_text().strip())
        url = url_file.read_text().strip()
    except (FileNotFoundError, ValueError):
        return None
    if _alive(pid) and _healthy(url):
        return Emulator(url=url, pid=pid)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(root: Path, timeout: float = 30.0) -> Emulator:
    """Start a server unless one is already running for this checkout; return it."""
    existing = running(root)
    if existing:
        return existing
    if importlib.util.find_spec("moto") is None:
        raise EmulatorError("fix: install the emulator extra (`make venv` does: pip install -e '.[dev,emulator]') — moto is not installed")
    pid_file, url_file, log_file = _files(root)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "emulator-server", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in `make` must not kill it half-way through a stop
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"fix: see {log_file} — the AWS emulator exited with code {process.returncode} while starting")
        if _healthy(url, timeout=0.5):
            pid_file.write_text(f"{process.pid}\n")
            url_file.write_text(f"{url}\n")
            return Emulator(url=url, pid=process.pid)
        time.sleep(0.1)
    process.kill()
    raise EmulatorError(f"fix: see {log_file} — the AWS emulator did not answer within {timeout:.0f}s")


def _command_line(pid: int) -> list[str]:
    """The arguments process `pid` was started with; empty when it is gone or cannot be read."""
    proc = Path(f"/proc/{pid}/cmdline")
    if proc.parent.parent.is_dir():
        try:
            return [os.fsdecode(a) for a in proc.read_bytes().split(b"\0")[:-1]]
        except OSError:
            return []
    # No /proc (macOS): ps prints the same arguments joined by spaces.
    listed = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    return listed.stdout.split()


def _is_this_emulator(pid: int, url: str) -> bool:
    """Whether `pid` is the server `start` launched for `url`: `<python> -m generator
    emulator-server --port <url's port>`. A pid file can outlive its process and the pid be
    reused by anything, so the pid alone never justifies a signal."""
    port = urllib.parse.urlsplit(url).port
    argv = _command_line(pid)
    return (
        port is not None
        and len(argv) == 6
        and Path(argv[0]).name.startswith("python")
        and argv[1:] == ["-m", "generator", "emulator-server", "--port", str(port)]
    )


def _terminate(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def stop(root: Path) -> str:
    """Stop the server of this checkout, and only that: returns the line `local down` prints.

    When the pid file names a process that is not this checkout's emulator (it exited and the
    pid went to another program, or the files were edited), nothing is signalled and the stale
    pid and URL files are removed.
    """
    pid_file, url_file, _ = _files(root)
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return "no AWS emulator was running"
    try:
        url = url_file.read_text().strip()
    except FileNotFoundError:
        url = ""
    if _is_this_emulator(pid, url):
        _terminate(pid)
        report = "AWS emulator stopped"
    else:
        port = urllib.parse.urlsplit(url).port if url else None
        pid_name, url_name = (p.relative_to(root).as_posix() for p in (pid_file, url_file))
        report = (
            f"nothing stopped: pid {pid} in {pid_name} is not the AWS emulator this checkout started "
            f"on port {port or '(unknown)'}; removed the stale {pid_name} and {url_name}"
        )
    pid_file.unlink(missing_ok=True)
    url_file.unlink(missing_ok=True)
    return report


def _post(url: str) -> None:
    request = urllib.request.Request(url, method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10):
        pass


def _secret_name(arn: str) -> str:
    match = re.match(r"^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:(?P<name>.+)-[A-Za-z0-9]{6}$", arn)
    if not match:
        raise EmulatorError(f"fix: use a full secret ARN ending in -XXXXXX in environments/local/environment.yaml — got {arn}")
    return match.group("name")


def seed(emulator: Emulator, env: EnvironmentFile) -> dict[str, str]:
    """Reset the emulator and create what the local environment refers to. Returns name → ID.

    Raises when moto handed out other IDs than the environment file names (a moto upgrade can
    do that): the message lists the IDs to write into the file.
    """
    import boto3

    _post(f"{emulator.url}/moto-api/reset")
    _post(f"{emulator.url}/moto-api/seed?a={RANDOM_SEED}")
    region = env.aws.region
    kwargs = {
        "endpoint_url": emulator.url,
        "region_name": region,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }
    ec2 = boto3.client("ec2", **kwargs)
    got: dict[str, str] = {}
    vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "sagemaker-gitops-local"}])
    got["network.vpc_id"] = vpc_id
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    for index, _ in enumerate(env.network.subnet_ids):
        subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.42.{index}.0/24", AvailabilityZone=zones[index % len(zones)])
        got[f"network.subnet_ids[{index}]"] = subnet["Subnet"]["SubnetId"]
    secretsmanager = boto3.client("secretsmanager", **kwargs)
    for name, registry in sorted(env.registries.items()):
        group = ec2.create_security_group(GroupName=f"registry-{name}", Description=f"Private registry {registry.host}", VpcId=vpc_id)
        got[f"registries.{name}.security_group_id"] = group["GroupId"]
        if registry.credentials_secret_arn:
            # A fresh random login each seed: the local secret is never written anywhere else.
            value = json.dumps({"username": "sagemaker-pull", "password": secrets.token_urlsafe(24)})
            arn = secretsmanager.create_secret(Name=_secret_name(registry.credentials_secret_arn), SecretString=value)["ARN"]
            got[f"registries.{name}.credentials_secret_arn"] = arn
    s3 = boto3.client("s3", **kwargs)
    create = {"Bucket": env.backend.bucket}
    if env.backend.region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": env.backend.region}
    s3.create_bucket(**create)
    s3.put_bucket_versioning(Bucket=env.backend.bucket, VersioningConfiguration={"Status": "Enabled"})
    if env.kms_key_arn:
        # Created last so the IDs above stay what they were before the key existed.
        kms = boto3.client("kms", **kwargs)
        got["kms_key_arn"] = kms.create_key(Description="Endpoint storage of the local environment")["KeyMetadata"]["Arn"]
    seed_quotas(boto3.client("service-quotas", **kwargs), SEEDED_QUOTAS)

    expected = {
        "kms_key_arn": env.kms_key_arn,
        "network.vpc_id": env.network.vpc_id,
        **{f"network.subnet_ids[{i}]": s for i, s in enumerate(env.network.subnet_ids)},
        **{f"registries.{n}.security_group_id": r.security_group_id for n, r in env.registries.items()},
        **{f"registries.{n}.credentials_secret_arn": r.credentials_secret_arn for n, r in env.registries.items() if r.credentials_secret_arn},
    }
    wrong = {k: v for k, v in got.items() if expected.get(k) != v}
    if wrong:
        listing = "; ".join(f"{k}: {v}" for k, v in sorted(wrong.items()))
        raise EmulatorError(
            f"fix: write these IDs into environments/local/environment.yaml — the emulator created other IDs than the file names: {listing}"
        )
    return got


def seed_quotas(client: Any, values: dict[str, int]) -> None:
    """Raise the emulator's SageMaker quotas by name (the emulator approves increases at once)."""
    codes = {
        q["QuotaName"]: q["QuotaCode"]
        for page in client.get_paginator("list_aws_default_service_quotas").paginate(ServiceCode="sagemaker")
        for q in page["Quotas"]
    }
    for name, value in values.items():
        if name not in codes:
            raise EmulatorError(f"fix: name a quota the emulator knows (generator/emulator/patches.py) — {name!r} is not one")
        client.request_service_quota_increase(ServiceCode="sagemaker", QuotaCode=codes[name], DesiredValue=float(value))


def up(root: Path) -> tuple[Emulator, bool, str]:
    """`make local-up`: the running emulator of this checkout, or a new one seeded for the
    environment marked `emulator: true`. Returns (emulator, whether it was started now, that
    environment's name)."""
    from generator.catalog.loader import load_repository

    repo = load_repository(root)
    local = next((e for e in repo.environments.values() if e.settings.emulator), None)
    existing = running(root)
    if existing:
        return existing, False, local.name if local else ""
    if local is None:
        raise UsageError("fix: mark one environment with `emulator: true` — none uses the embedded AWS")
    started = start(root)
    seed(started, local.settings)
    return started, True, local.name
