"""The emulator runs moto one request at a time, because moto's backends are not thread-safe, and
gives web pages no way in (no CORS)."""

from __future__ import annotations

import http.client
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from generator.emulator.server import OneRequestAtATime


class CountingApp:
    """A WSGI app that records how many requests it is handling at the same moment."""

    def __init__(self, status: str = "200 OK") -> None:
        self.status = status
        self.in_flight = 0
        self.most_in_flight = 0
        self._guard = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._guard:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        start_response(self.status, [("Content-Type", "text/plain")])

        def body() -> Any:
            time.sleep(0.01)  # a lazily computed body still counts as handling the request
            yield b"ok"
            with self._guard:
                self.in_flight -= 1

        return body()


def _call(app: OneRequestAtATime, action: str = "Action=DescribeVpcs") -> tuple[str, bytes]:
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = status

    body = b"".join(
        app({"REQUEST_METHOD": "POST", "QUERY_STRING": action, "PATH_INFO": "/"}, start_response)
    )
    return seen["status"], body


def test_concurrent_requests_reach_moto_one_at_a_time() -> None:
    inner = CountingApp()
    app = OneRequestAtATime(inner)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _call(app), range(32)))

    assert results == [("200 OK", b"ok")] * 32
    assert inner.most_in_flight == 1


def test_a_server_error_is_logged_with_the_action(caplog: pytest.LogCaptureFixture) -> None:
    app = OneRequestAtATime(CountingApp(status="500 Internal Server Error"))

    with caplog.at_level(logging.ERROR, logger="emulator"):
        status, _ = _call(app, action="Action=AuthorizeSecurityGroupEgress")

    assert status.startswith("500")
    assert "AuthorizeSecurityGroupEgress" in caplog.text


def _headers_for(url: str, method: str, headers: dict[str, str]) -> dict[str, str]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:  # an AWS error answer still carries headers
        return {k.lower(): v for k, v in error.headers.items()}


def test_a_cross_origin_preflight_gets_no_permission(moto_server: str) -> None:
    headers = _headers_for(
        f"{moto_server}/",
        "OPTIONS",
        {"Origin": "https://attacker.example", "Access-Control-Request-Method": "POST"},
    )

    assert "access-control-allow-origin" not in headers


def test_a_request_from_a_web_page_gets_no_permission_to_read_the_answer(moto_server: str) -> None:
    headers = _headers_for(f"{moto_server}/?Action=DescribeVpcs&Version=2016-11-15", "GET", {"Origin": "https://attacker.example"})

    assert "access-control-allow-origin" not in headers


def test_the_emulator_keeps_the_connection_open_for_the_next_request(moto_server: str) -> None:
    """The provider's HTTP client pools connections; each answer must leave its connection usable."""
    address = urllib.parse.urlsplit(moto_server)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    answers = []
    try:
        for _ in range(3):
            connection.request("GET", "/moto-api/")
            response = connection.getresponse()
            response.read()
            answers.append((response.status, response.will_close, connection.sock))
    finally:
        connection.close()

    first_socket = answers[0][2]
    assert [(status, will_close) for status, will_close, _ in answers] == [(200, False)] * 3
    assert first_socket is not None and all(sock is first_socket for _, _, sock in answers)
