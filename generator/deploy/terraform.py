"""The one place that runs Terraform.

Arguments are built by python-terraform's `generate_cmd_string` (a pure function), but the
process is run here rather than by python-terraform's `cmd`, because the library (0.10.1,
unmaintained since 2019) cannot do what this project needs with Terraform 1.11:
- it takes the child's environment only from `os.environ`, so TF_DATA_DIR / TF_CLI_CONFIG_FILE
  / emulator endpoints would have to be set process-wide;
- its `plan()`/`apply()` wrappers inject an empty temporary `-var-file`, and `destroy()` sends the
  `-force` flag that Terraform 1.x removed;
- with `-detailed-exitcode`, exit code 2 ("changes present") is logged as an error and raised;
- it streams to `sys.stdout` objects, which breaks under test capture, and has no timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from python_terraform import IsFlagged, Terraform

from generator.catalog.states import State
from generator.common.background import in_background
from generator.common.errors import GeneratorError, UsageError
from generator.common.layout import ENVIRONMENTS_DIR, build_dir

MINIMUM_VERSION = (1, 7, 0)
PROVIDER_MIRROR = Path(os.environ.get("SAGEMAKER_GITOPS_PROVIDER_MIRROR", "/opt/tf-plugins"))
CLI_CONFIG = "terraform.rc"
# Written into the data dir after a successful init: what that init was made from.
INIT_FINGERPRINT = "sagemaker-gitops-init.sha256"
# Terraform and its provider are Go programs that allocate heavily while they decode the
# provider's schema, refresh and plan; Go's default GOGC=100 collects garbage every time the
# heap doubles. At 400, the plan of a group of 100 applied endpoints used a quarter less CPU and
# took 10-15% less time, for about twice the peak memory (Terraform 0.27 -> 0.51 GB, the
# provider 0.31 -> 0.49 GB). A GOGC already in the environment wins: an Atlantis server short of
# memory sets its own.
GO_RUNTIME = {"GOGC": "400"}


class TerraformError(GeneratorError):
    """A Terraform command failed; carries its exit code and (when captured) its stderr."""

    exit_code = 1

    def __init__(self, command: Sequence[str], returncode: int, stderr: str = ""):
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        tail = stderr.strip().splitlines()[-20:]
        detail = ("\n" + "\n".join(tail)) if tail else ""
        super().__init__(f"fix: read Terraform's message above — `terraform {command[1]}` exited with {returncode}{detail}")


class StateLocked(GeneratorError):
    """Another Terraform run holds the environment's state lock (S3 lock file)."""

    exit_code = 1
    MARK = "Error acquiring the state lock"

    def __init__(self, environment: str, info: Mapping[str, str]):
        self.info = dict(info)
        lock_id = info.get("ID", "<lock ID>")
        operation = info.get("Operation", "").removeprefix("OperationType").lower()
        holder = ", ".join(
            part
            for part in (f"by {info['Who']}" if info.get("Who") else "", operation, f"since {info['Created']}" if info.get("Created") else "")
            if part
        )
        super().__init__(
            f"fix: wait until the other run on {environment} has finished, then run the command again "
            f"(if none is running any more: terraform force-unlock {lock_id}) — the state of {environment} "
            f"is locked{f' ({holder})' if holder else ''}; nothing was changed by this run"
        )

    @classmethod
    def from_stderr(cls, environment: str, stderr: str) -> StateLocked | None:
        text = re.sub(r"\x1b\[[0-9;]*m", "", stderr)
        if cls.MARK not in text:
            return None
        # Terraform prints the holder as "Lock Info:" then "  Key: value" lines inside its │ box.
        info = dict(re.findall(r"^[\s│]*(ID|Path|Operation|Who|Version|Created):\s+(.+?)\s*$", text, flags=re.MULTILINE))
        return cls(environment, info)


def _run_showing_stderr(cmd: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run with output on the terminal as it comes, keeping stderr to recognise a held lock."""
    kept: list[str] = []
    with subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, **kwargs) as process:  # type: ignore[call-overload]
        for line in process.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            kept.append(line)
        returncode = process.wait()
    return subprocess.CompletedProcess(list(cmd), returncode, None, "".join(kept))


def build_command(binary: str, command: str, *args: str, **options: object) -> list[str]:
    """Pure argument building, e.g. build_command("terraform", "plan", out="x", input=False)."""
    return Terraform(terraform_bin_path=binary).generate_cmd_string(command, *args, **options)


_CHECKS: dict[tuple[Path, str | None], Future[str]] = {}
_CHECKS_LOCK = threading.Lock()


def start_toolchain_check(root: Path) -> Future[str]:
    """Start `check_toolchain` in a thread of its own, once per process and binary, and return its
    outcome to come. The command line starts it before importing the workflow, so `terraform
    version` runs while Python imports; every state of a plan then shares the one outcome."""
    key = (root, shutil.which("terraform"))
    with _CHECKS_LOCK:
        check = _CHECKS.get(key)
        if check is None:
            check = _CHECKS[key] = in_background("toolchain", lambda: _check_toolchain(root))
        return check


def check_toolchain(root: Path) -> str:
    """Return the terraform binary, or explain exactly what is missing (checked once per process
    and binary: every state of a plan asks)."""
    return start_toolchain_check(root).result()


def _check_toolchain(root: Path) -> str:
    binary = shutil.which("terraform")
    if binary is None:
        raise UsageError("fix: install Terraform >= 1.7 and put `terraform` on PATH — it was not found")
    out = subprocess.run([binary, "version", "-json"], capture_output=True, text=True, env=base_environ(root), check=False)
    try:
        version = json.loads(out.stdout)["terraform_version"]
    except (json.JSONDecodeError, KeyError):
        version = "0.0.0"
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:3])
    if parts < MINIMUM_VERSION:
        raise UsageError(f"fix: install Terraform >= 1.7 — found {version} at {binary}")
    provider_dir = PROVIDER_MIRROR / "registry.terraform.io" / "hashicorp" / "aws"
    if not provider_dir.is_dir() or not any(provider_dir.iterdir()):
        raise UsageError(
            f"fix: put the hashicorp/aws provider into the filesystem mirror {PROVIDER_MIRROR} "
            f"(registry.terraform.io/hashicorp/aws/<version>/linux_amd64/) — providers are never downloaded"
        )
    if not (root / CLI_CONFIG).is_file():
        raise UsageError(f"fix: restore {CLI_CONFIG} at the repository root — Terraform's CLI config is missing")
    return binary


def base_environ(root: Path) -> dict[str, str]:
    """The environment of every Terraform command the project runs (a state's runner adds its data
    dir and AWS settings): the project's CLI config, automation mode, the Go runtime settings."""
    env = {**GO_RUNTIME, **os.environ}
    env["TF_CLI_CONFIG_FILE"] = str((root / CLI_CONFIG).resolve())
    env["TF_IN_AUTOMATION"] = "1"
    env["TF_INPUT"] = "0"
    # The endpoint module's rollout wait (local-exec) runs with the interpreter that runs the
    # generator, which has boto3, whatever `python3` on PATH is.
    env.setdefault("SAGEMAKER_GITOPS_PYTHON", sys.executable)
    env.pop("TF_WORKSPACE", None)
    return env


def wants_color() -> bool:
    # https://no-color.org: a NO_COLOR that is present and not empty turns colour off.
    return not os.environ.get("NO_COLOR") and os.isatty(1)


@dataclass
class TerraformRunner:
    """Terraform for one state of one environment: its root module, data dir, backend key and var files.

    With `log` set, Terraform's output goes to that file instead of the terminal (states planned
    side by side would otherwise interleave their output).
    """

    root: Path
    state: State
    backend_key: str
    binary: str = "terraform"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    capture: bool = False
    log: Path | None = None

    @property
    def environment(self) -> str:
        return self.state.environment

    @property
    def working_dir(self) -> Path:
        return self.root / self.state.root_module

    @property
    def data_dir(self) -> Path:
        # One data dir per state: switching ENV or GROUP never needs a manual re-init.
        return build_dir(self.root, self.environment) / self.state.name / ".terraform"

    @property
    def env_dir(self) -> Path:
        return self.root / ENVIRONMENTS_DIR / self.environment

    def environ(self) -> dict[str, str]:
        env = base_environ(self.root)
        env["TF_DATA_DIR"] = str(self.data_dir.resolve())
        env.update(self.extra_env)
        return {k: v for k, v in env.items() if v != ""}

    def run(
        self,
        command: str,
        *args: str,
        ok_codes: Sequence[int] = (0,),
        capture: bool | None = None,
        colour_flag: bool = True,
        **options: object,
    ) -> subprocess.CompletedProcess[str]:
        """Run one Terraform command in this state's working dir. `capture` overrides the
        runner's own setting for this command; `colour_flag=False` leaves out `-no-color`, which
        the `state` subcommands refuse (they print no colour)."""
        if colour_flag and not wants_color():
            options.setdefault("no_color", IsFlagged)
        cmd = build_command(self.binary, command, *args, **options)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        captured = self.capture if capture is None else capture
        # Streamed to the terminal unless captured: init and plan show their own progress.
        if captured:
            result = subprocess.run(cmd, cwd=self.working_dir, env=self.environ(), text=True, capture_output=True, check=False)
        elif self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log, "a", encoding="utf-8") as log:
                log.write(f"$ {' '.join(cmd[1:])}\n")
                log.flush()
                result = subprocess.run(cmd, cwd=self.working_dir, env=self.environ(), text=True, stdout=log, stderr=subprocess.PIPE, check=False)
                log.write(result.stderr)
        else:
            result = _run_showing_stderr(cmd, cwd=self.working_dir, env=self.environ())
        if result.returncode not in ok_codes:
            locked = StateLocked.from_stderr(self.state.project, result.stderr or "")
            if locked is not None:
                raise locked
            # Shown already when streamed; repeated in the message when captured or logged.
            raise TerraformError(cmd, result.returncode, "" if self.log is None and not captured else (result.stderr or ""))
        return result

    def var_files(self) -> list[str]:
        files = [self.env_dir / "environment.tfvars.json"]
        if self.state.group_tfvars is not None:
            files.append(self.root / self.state.group_tfvars)
        return [str(p.resolve()) for p in files]

    def init_fingerprint(self) -> str:
        """A hash of everything `terraform init` reads: backend settings and key, CLI config, lock
        file, every configuration file (module calls, required providers) and the Terraform binary."""
        digest = hashlib.sha256()
        digest.update(f"key={self.backend_key}\0".encode())
        files = [self.env_dir / "backend.hcl", self.root / CLI_CONFIG, self.working_dir / ".terraform.lock.hcl"]
        files += sorted(self.working_dir.glob("*.tf"))
        files += sorted(p for p in (self.root / "modules").rglob("*.tf") if ".terraform" not in p.parts)
        for path in files:
            digest.update(f"{path}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        binary = Path(shutil.which(self.binary) or self.binary)
        stat = binary.stat() if binary.exists() else None
        digest.update(f"{binary}\0{stat.st_size if stat else 0}\0{stat.st_mtime_ns if stat else 0}".encode())
        return digest.hexdigest()

    def init(self) -> bool:
        """Run `terraform init`, unless this data dir was initialised from exactly the same inputs.

        A warm `make plan` would otherwise spend a second or more re-initialising for nothing
        (measured by `make bench`). Returns True when init ran.
        """
        stamp = self.data_dir / INIT_FINGERPRINT
        fingerprint = self.init_fingerprint()
        if (self.data_dir / "terraform.tfstate").is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
            return False
        stamp.unlink(missing_ok=True)
        self.run(
            "init",
            backend_config=[str((self.env_dir / "backend.hcl").resolve()), f"key={self.backend_key}"],
            reconfigure=IsFlagged,
            input=False,
            lockfile="readonly",
        )
        stamp.write_text(fingerprint)
        return True

    def plan(self, plan_file: Path, *, destroy: bool = False) -> bool:
        """Write a plan file; True when it contains changes."""
        result = self.run(
            "plan",
            var_file=self.var_files(),
            out=str(plan_file.resolve()),
            input=False,
            detailed_exitcode=IsFlagged,
            destroy=IsFlagged if destroy else None,
            ok_codes=(0, 2),
        )
        return result.returncode == 2

    def show_json(self, plan_file: Path) -> str:
        return self.run("show", str(plan_file.resolve()), json=IsFlagged, capture=True).stdout

    def state_command(self, *args: str) -> str:
        """`terraform state <args>` in this state's working dir; its stdout."""
        return self.run("state", *args, capture=True, colour_flag=False).stdout

    def apply(self, plan_file: Path) -> None:
        self.run("apply", str(plan_file.resolve()), input=False, auto_approve=IsFlagged)
