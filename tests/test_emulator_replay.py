"""The emulator answers an AWS SDK retry with the answer of the attempt its client lost, instead
of running a call that changed something a second time."""

from __future__ import annotations

import http.client
import uuid
from typing import Any

import pytest

from generator.emulator.replay import ReplayLostAnswers, attempt_of


class CountingApp:
    """A WSGI app standing in for moto: counts the calls it runs, numbers its answers."""

    def __init__(self, status: str = "200 OK") -> None:
        self.status = status
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        start_response(self.status, [("Content-Type", "text/xml"), ("X-Call", str(self.calls))])
        return iter([b"<answer>", str(self.calls).encode(), b"</answer>"])


def _sdk_call(app: ReplayLostAnswers, invocation: str | None, attempt: int | None) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": ""}
    if invocation is not None:
        environ["HTTP_AMZ_SDK_INVOCATION_ID"] = invocation
    if attempt is not None:
        environ["HTTP_AMZ_SDK_REQUEST"] = f"attempt={attempt}; max=3"
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def test_a_retry_of_a_successful_call_gets_its_answer_without_running_it_again() -> None:
    moto = CountingApp()
    app = ReplayLostAnswers(moto)

    first = _sdk_call(app, "inv-1", 1)
    retry = _sdk_call(app, "inv-1", 2)

    assert moto.calls == 1
    assert retry == first == ("200 OK", {"Content-Type": "text/xml", "X-Call": "1"}, b"<answer>1</answer>")


def test_a_retry_of_a_failed_call_runs_again() -> None:
    moto = CountingApp(status="503 Service Unavailable")
    app = ReplayLostAnswers(moto)

    _sdk_call(app, "inv-1", 1)
    _sdk_call(app, "inv-1", 2)

    assert moto.calls == 2


def test_a_first_attempt_always_runs_even_with_a_known_invocation_id() -> None:
    moto = CountingApp()
    app = ReplayLostAnswers(moto)

    _sdk_call(app, "inv-1", 1)
    _sdk_call(app, "inv-1", 1)

    assert moto.calls == 2


def test_calls_of_other_invocations_and_without_sdk_headers_run() -> None:
    moto = CountingApp()
    app = ReplayLostAnswers(moto)

    _sdk_call(app, "inv-1", 1)
    _sdk_call(app, "inv-2", 2)
    _sdk_call(app, None, None)
    _sdk_call(app, None, None)

    assert moto.calls == 4


def test_only_the_latest_answers_are_kept() -> None:
    moto = CountingApp()
    app = ReplayLostAnswers(moto, capacity=2)
    for invocation in ("inv-1", "inv-2", "inv-3"):
        _sdk_call(app, invocation, 1)

    _sdk_call(app, "inv-3", 2)
    assert moto.calls == 3
    _sdk_call(app, "inv-1", 2)
    assert moto.calls == 4


def test_a_large_answer_is_not_kept() -> None:
    moto = CountingApp()
    app = ReplayLostAnswers(moto, max_body_bytes=4)

    _sdk_call(app, "inv-1", 1)
    _sdk_call(app, "inv-1", 2)

    assert moto.calls == 2


@pytest.mark.parametrize(
    ("header", "attempt"),
    [("attempt=2; max=3", 2), ("attempt=1; max=5", 1), ("ttl=20261201T000000Z; attempt=3; max=3", 3), ("", 1), ("garbage", 1)],
)
def test_attempt_number_is_read_from_the_sdk_request_header(header: str, attempt: int) -> None:
    assert attempt_of({"HTTP_AMZ_SDK_REQUEST": header}) == attempt


@pytest.mark.integration
def test_the_running_emulator_replays_a_lost_answer_of_a_call_that_changed_something(moto_server: str) -> None:
    """End to end through waitress and moto: a repeated CreateSecurityGroup would fail with
    InvalidGroup.Duplicate; as the SDK's retry of the same invocation it gets the first answer."""
    name = f"replayed-{uuid.uuid4().hex[:8]}"
    vpc = _ec2(moto_server, "Action=CreateVpc&CidrBlock=10.9.0.0%2F16&Version=2016-11-15", f"vpc-{name}", 1)[1]
    vpc_id = vpc.split(b"<vpcId>")[1].split(b"</vpcId>")[0].decode()
    create = f"Action=CreateSecurityGroup&GroupName={name}&GroupDescription=d&VpcId={vpc_id}&Version=2016-11-15"

    first = _ec2(moto_server, create, name, 1)
    retry = _ec2(moto_server, create, name, 2)
    repeat = _ec2(moto_server, create, f"{name}-again", 1)

    assert first[0] == retry[0] == 200
    assert retry[1] == first[1]
    assert repeat[0] == 400 and b"InvalidGroup.Duplicate" in repeat[1]


def _ec2(url: str, body: str, invocation: str, attempt: int) -> tuple[int, bytes]:
    host = url.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        connection.request("POST", "/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0",
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max=3",
        })
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()

