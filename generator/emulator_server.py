"""Entry point of the embedded AWS emulator: moto's server, on loopback only.

Started as its own process by `generator.emulator` (`python -m generator.emulator_server`).
Local-harness adjustments to moto belong in `generator.emulator_patches`, applied here before
the server starts, so they can never leak into a run against real AWS.

Terraform sends up to ten requests at once. moto's backends are not safe for concurrent use
(its documentation says so), and a race there can fail a request after it has changed the
state: the provider then retries a create that already happened and gets an error such as
`InvalidPermission.Duplicate`. So connections are accepted on threads, but the moto
application runs one request at a time. moto holds the GIL for nearly all of its work anyway,
so serialising costs little throughput.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneRequestAtATime:
    """WSGI middleware: runs the wrapped application, body included, under one lock.

    The body is read inside the lock because a WSGI application may compute it lazily.
    Server errors are written to the log with the AWS action, so a failed local apply can be
    traced back to the emulator.
    """

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen: dict[str, str] = {}

        def remember_status(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"] = status
            return (
                start_response(status, headers, exc_info)
                if exc_info
                else start_response(status, headers)
            )

        with self._lock:
            result = self._app(environ, remember_status)
            try:
                body = list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        if seen.get("status", "200").startswith("5"):
            target = (
                environ.get("HTTP_X_AMZ_TARGET")
                or environ.get("QUERY_STRING")
                or environ.get("PATH_INFO", "")
            )
            logging.getLogger("emulator").error(
                "server error %s on %s %s", seen["status"], environ.get("REQUEST_METHOD"), target
            )
        return body


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Embedded AWS emulator (moto) for the local environment"
    )
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    from generator import emulator_patches

    emulator_patches.apply()
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        "127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
