"""Entry point of the embedded AWS emulator: moto's server, on loopback only.

Started as its own process by `generator.emulator.launcher` (`python -m generator.emulator.server`).
Local-harness adjustments to moto belong in `generator.emulator.patches` (what moto answers) and
`generator.emulator.speedups` (how fast), applied here before the server starts, so they can never
leak into a run against real AWS.

Terraform sends up to ten requests at once. moto's backends are not safe for concurrent use
(its documentation says so), and a race there can fail a request after it has changed the
state: the provider then retries a create that already happened and gets an error such as
`InvalidPermission.Duplicate`. So connections are accepted on threads, but the moto
application runs one request at a time. moto holds the GIL for nearly all of its work anyway,
so serialising costs little throughput.

The HTTP server is waitress (threads, HTTP/1.1 keep-alive), not werkzeug's development server.
That server ends every answer with `Connection: close` and shuts the socket (its source: keep-alive
"isn't handled well by Python's http.server"), so the provider's Go client, built to pool
connections, dials a fresh TCP connection for every call (some 3,400 in the 50-endpoint apply)
and the server tears each one down right after its answer. Answers were lost on that path: the
request log showed the same security-group rule request twice, 200 then
`InvalidPermission.Duplicate` (or NotFound when deleting) half a second later, the AWS SDK's
retry of a call whose answer never arrived although moto had acted. Patching moto to accept
repeats hid that in one API only. waitress keeps a connection open between requests and closes
an idle one only after IDLE_SECONDS, longer than any client keeps one (Go: 90 s), so the client
always closes first and never sends into a connection the server is closing. (waitress drops
request headers with an underscore in the name; moto's werkzeug handler restored them for S3
metadata keys, which nothing here sends.)

Keep-alive does not save every answer: the provider's Go client can still close a connection
under its own response when the server answers fast (a client-side race, `replay`'s docstring
tells it), and its SDK then retries a call that already ran. `ReplayLostAnswers` gives such a
retry the answer of the attempt the client lost instead of running the call twice.

No CORS: moto's server lets any web page call it from a browser (flask-cors on every answer)
unless MOTO_DISABLE_GLOBAL_CORS is set. A page open in the developer's browser could then drive
the local AWS (read the registry login secret, change the state); `serve` sets it.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from generator.emulator.replay import ReplayLostAnswers, WsgiApp, answer_of

# The HTTP server: as many threads as Terraform sends requests at once (-parallelism=10).
THREADS = 10
# Keep an idle connection longer than any client does (Go's http.Transport: 90 s), so the client
# always closes first and never sends a request on a connection the server is closing.
IDLE_SECONDS = 600
# Two Terraform runs (the state-lock test), boto3 and the S3 backend, with room to spare.
CONNECTION_LIMIT = 200

# Identifiers worth a line in the request log; never values (a secret can be a parameter).
LOGGED_PARAMETERS = re.compile(
    r"^(GroupName|(.*\.)?GroupId|.*PrefixListId|SecurityGroupRuleId(\.\d+)?|VpcEndpointId(\.\d+)?"
    r"|EndpointName|EndpointConfigName|ModelName|RoleName|FunctionName)$"
)
# IDs that a create call hands out, read from its response for the log.
CREATED_IDS = re.compile(rb"<(?:groupId|securityGroupRuleId|vpcEndpointId)>([a-z]+-[0-9a-f]+)<")


def describe_request(environ: dict[str, Any], body: bytes) -> str:
    """`METHOD action identifiers` of one AWS API request, safe to log."""
    method = environ.get("REQUEST_METHOD", "")
    target = environ.get("HTTP_X_AMZ_TARGET")
    params: dict[str, Any] = {}
    if target:
        try:
            decoded = json.loads(body or b"{}")
        except ValueError:
            decoded = {}
        params = decoded if isinstance(decoded, dict) else {}
        action = target
    else:
        form = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            form.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        params = {k: v[0] for k, v in form.items()}
        action = params.get("Action") or environ.get("PATH_INFO", "")
    ids = " ".join(f"{k}={v}" for k, v in sorted(params.items()) if LOGGED_PARAMETERS.match(k) and isinstance(v, str))
    return f"{method} {action} {ids}".rstrip()


class OneRequestAtATime:
    """WSGI middleware: runs the wrapped application, body included, under one lock.

    The request body is read before taking the lock (a slow client must not stall the others)
    and the response body inside it, because a WSGI application may compute it lazily. Every
    request gets a line in the log (action, identifiers, status, time), server errors at error
    level, so a failed local apply can be traced back to the emulator.
    """

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._log = logging.getLogger("emulator")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request_body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(request_body)
        started = time.monotonic()
        with self._lock:
            waited = time.monotonic() - started
            answer = answer_of(self._app, environ, start_response)
        status = answer.status
        level = logging.ERROR if status.startswith("5") else logging.INFO
        if self._log.isEnabledFor(level):
            request = describe_request(environ, request_body)
            if " Create" in request or " Authorize" in request:
                created = sorted({m.decode() for m in CREATED_IDS.findall(answer.body)})
                status = f"{status} {' '.join(created)}".rstrip()
            self._log.log(
                level,
                "%s -> %s (%.0f ms, %.0f ms waiting)",
                request,
                status,
                (time.monotonic() - started) * 1000,
                waited * 1000,
            )
        return [answer.body]


def serve(port: int) -> None:
    """Serve moto on 127.0.0.1:`port` until interrupted (`python -m generator emulator-server`)."""
    # Before moto is first imported: moto reads its settings at import time.
    os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"

    from generator.emulator import patches as emulator_patches
    from generator.emulator import speedups

    emulator_patches.apply()
    speedups.apply()  # after the patches: it remembers the response classes' methods
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    logging.getLogger("emulator").setLevel(logging.INFO)  # the request log
    # Requests wait for one another by design (OneRequestAtATime); a queue is no news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from waitress.server import create_server

    app = OneRequestAtATime(ReplayLostAnswers(DomainDispatcherApplication(create_backend_app)))
    server = create_server(
        app,
        host="127.0.0.1",
        port=port,
        threads=THREADS,
        channel_timeout=IDLE_SECONDS,
        connection_limit=CONNECTION_LIMIT,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
