"""WSGI middleware of the emulator: the answer to an AWS SDK call, replayed to the SDK's retry of
that very call when the client lost it.

Why it exists: the AWS provider's Go SDK (smithy-go) wraps each request body in a reader that,
once closed, answers `io.EOF` as an *error* from `WriteTo`, and closes it as soon as the response
headers arrive. Go's transport writes the body to the socket and only then reads the body once
more to check that it ended; when the server answers before that last read (a loopback emulator
answering in milliseconds to a client whose thread lost the CPU on a loaded machine), the read
fails, the transport's write loop closes the connection, and the response body that was on its way
is lost: `use of closed network connection` (aws/aws-sdk-go-v2#1825, #2737). A packet capture of
a local apply shows exactly that: request, response headers, the client's FIN, the response
body, a reset. The SDK then retries, which is harmless for a read and fatal for a call that
changed something: the retry of `RevokeSecurityGroupEgress` finds the rule gone
(`InvalidPermission.NotFound`), the retry of a create finds the resource there.

What it does: every SDK call carries `amz-sdk-invocation-id` (one id per call, the same on each
of its attempts) and `amz-sdk-request: attempt=N; max=M`. A successful (2xx) answer is kept under
its invocation id, the latest CAPACITY of them; an attempt after the first whose invocation
already has a kept answer gets that answer again without running the call twice, which is what
the client asked for and never read. A failed attempt (4xx, 5xx) is not kept: its retry runs
again, as against AWS. Requests without those headers (curl, the test harness) pass through.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# Answers kept for a retry: a retry follows its attempt within seconds (the SDK's backoff), and
# Terraform has at most ten calls in flight per process.
CAPACITY = 512
# Larger answers (a big state file read from S3) are not kept; a read is safe to run again.
MAX_BODY_BYTES = 1 << 20
ATTEMPT = re.compile(r"(?:^|;)\s*attempt=(\d+)")


@dataclass(frozen=True)
class Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def answer_of(app: WsgiApp, environ: dict[str, Any], start_response: Callable[..., Any]) -> Answer:
    """Run a WSGI application to the end of its body (which it may compute lazily), passing its
    status and headers on to `start_response`; the answer as it was sent."""
    seen: dict[str, Any] = {}

    def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen["status"], seen["headers"] = status, list(headers)
        return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

    result = app(environ, remember)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Answer(seen.get("status", ""), seen.get("headers", []), body)


def attempt_of(environ: dict[str, Any]) -> int:
    """The attempt number the AWS SDK put in `amz-sdk-request` (1 when it says nothing)."""
    match = ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
    return int(match.group(1)) if match else 1


class ReplayLostAnswers:
    def __init__(self, app: WsgiApp, capacity: int = CAPACITY, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self._app = app
        self._capacity = capacity
        self._max_body_bytes = max_body_bytes
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._log = logging.getLogger("emulator")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "")
        attempt = attempt_of(environ)
        if invocation and attempt > 1:
            with self._lock:
                kept = self._answers.get(invocation)
            if kept is not None:
                self._log.info("attempt %d of SDK call %s: replaying the answer its client lost (%s)", attempt, invocation, kept.status)
                start_response(kept.status, list(kept.headers))
                return [kept.body]

        answer = answer_of(self._app, environ, start_response)
        if invocation and answer.status.startswith("2") and len(answer.body) <= self._max_body_bytes:
            with self._lock:
                self._answers[invocation] = answer
                self._answers.move_to_end(invocation)
                while len(self._answers) > self._capacity:
                    self._answers.popitem(last=False)
        return [answer.body]
