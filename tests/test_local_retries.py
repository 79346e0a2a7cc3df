"""Local runs give up on a failing AWS call after three attempts instead of the provider's 25.

moto cannot be made to fail on demand, so a stub HTTP server stands in for it here and answers
every call with a 500; the root module, the real provider and the emulator launcher's
environment variables are the ones `make plan ENV=local` uses.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.deploy.terraform import check_toolchain
from generator.emulator.launcher import LOCAL_ATTEMPTS, Emulator
from tests.helpers import run_generator

ERROR = b"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>emulator failure</Message></Error></ErrorResponse>"


class FailingAws(http.server.ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.actions: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FailingAws

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.actions.append(body.split("&", 1)[0])
        self.send_response(500)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(ERROR)))
        self.end_headers()
        self.wfile.write(ERROR)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def failing_aws() -> Iterator[FailingAws]:
    server = FailingAws()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.integration
def test_local_plan_gives_up_after_three_attempts(repo_copy: Path, failing_aws: FailingAws) -> None:
    assert run_generator("package-lambda", cwd=repo_copy).returncode == 0
    root = repo_copy / "terraform" / "group"
    # The state backend is not under test: keep the state in a local file.
    (root / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(repo_copy),
        "TF_CLI_CONFIG_FILE": str(repo_copy / "terraform.rc"),
        "TF_DATA_DIR": str(repo_copy / "build" / ".terraform"),
        "TF_IN_AUTOMATION": "1",
        **Emulator(url=failing_aws.url, pid=0).environ("us-east-1"),
    }
    terraform = check_toolchain(repo_copy)
    local = repo_copy / "environments" / "local"
    var_files = [f"-var-file={local / name}" for name in ("environment.tfvars.json", "groups/default.tfvars.json")]
    subprocess.run([terraform, "init", "-input=false", "-no-color"], cwd=root, env=env, check=True, capture_output=True)

    plan = subprocess.run(
        [terraform, "plan", "-input=false", "-no-color", "-lock=false", *var_files],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert plan.returncode == 1
    assert f"exceeded maximum number of attempts, {LOCAL_ATTEMPTS}" in plan.stderr
    assert "StatusCode: 500" in plan.stderr
    # Each call the provider made was tried exactly that often.
    assert failing_aws.actions and all(failing_aws.actions.count(a) % LOCAL_ATTEMPTS == 0 for a in set(failing_aws.actions))
