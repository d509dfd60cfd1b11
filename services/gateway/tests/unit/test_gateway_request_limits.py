"""``RequestGuard``'s limits on a request's head (how many headers, how many bytes) and on a body
that stops coming, called as ASGI directly so that each scope is exactly what the test says."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from careerflow_gateway.auth import mint_token
from careerflow_gateway.request_guard import RequestGuard
from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef-0123456789"
PROBLEM = b"application/problem+json"
# A backstop only: without the idle timeout these calls would wait for ever.
BACKSTOP_S = 10.0
NO_BODY: Message = {"type": "http.request", "body": b"", "more_body": False}


def _settings(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(environment="test", jwt_secret=SECRET, **overrides)


def _scope(
    headers: list[tuple[bytes, bytes]], *, path: str = "/livez", method: str = "GET"
) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "server": ("gw", 80),
        "client": ("127.0.0.1", 50000),
    }


@dataclass
class BodyReader:
    """An ASGI app that reads the body, then (with ``await_disconnect``) waits for the client to
    go, as a streaming response does; answers 400 to a failed read, as FastAPI does."""

    await_disconnect: bool = False
    calls: int = 0
    outcome: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        status = 200
        try:
            more = True
            while more:
                message = await receive()
                more = message.get("more_body", False)
            if self.await_disconnect:
                self.outcome.append((await receive())["type"])
        except Exception:
            status = 400
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"app"})


@dataclass
class Client:
    """The server side of one connection: the body messages to hand out, then silence (or a
    disconnect after ``disconnect_after_s``); records what the guard sends."""

    body: list[Message] = field(default_factory=lambda: [dict(NO_BODY)])
    disconnect_after_s: float | None = None
    sent: list[Message] = field(default_factory=list)

    async def receive(self) -> Message:
        if self.body:
            return self.body.pop(0)
        if self.disconnect_after_s is None:
            await asyncio.Event().wait()  # the client stalls
        await asyncio.sleep(self.disconnect_after_s or 0)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def problem(self) -> dict[str, Any]:
        body = b"".join(m.get("body", b"") for m in self.sent[1:])
        parsed: dict[str, Any] = json.loads(body)
        return parsed


async def _serve(
    settings: GatewaySettings, scope: Scope, client: Client, app: BodyReader | None = None
) -> BodyReader:
    app = app or BodyReader()
    async with asyncio.timeout(BACKSTOP_S):
        await RequestGuard(app, settings=settings)(scope, client.receive, client.send)
    return app


# --- the head ----------------------------------------------------------------------------------


def _filler(count: int) -> list[tuple[bytes, bytes]]:
    return [(b"x-filler", b"1") for _ in range(count)]


async def test_more_headers_than_the_limit_is_431_before_the_app() -> None:
    settings = _settings(max_request_headers=20)
    at_limit = await _serve(settings, _scope(_filler(20)), Client())
    assert at_limit.calls == 1

    client = Client()
    app = await _serve(settings, _scope(_filler(21)), client)
    assert app.calls == 0
    assert client.status == 431
    assert client.headers[b"content-type"] == PROBLEM
    assert client.problem["status"] == 431
    assert "20 headers" in client.problem["detail"]


async def test_a_head_over_its_bytes_is_431_before_the_app_or_the_token_is_read() -> None:
    settings = _settings(max_request_head_bytes=2048)
    path = "/v1/sessions"
    # The head counted: the path (12 bytes) and each header's name and value.
    fits = [(b"x-padding", b"a" * (2048 - len(path) - len(b"x-padding")))]
    token = mint_token(SECRET, "alice").encode()
    over_by_one = [(b"authorization", b"Bearer " + token), *fits]

    at_limit = Client()
    await _serve(settings, _scope(fits, path=path), at_limit)
    assert at_limit.status == 401  # judged on its credential: the head itself was fine

    client = Client()
    app = await _serve(settings, _scope(over_by_one, path=path), client)
    assert app.calls == 0
    assert client.status == 431
    assert client.headers[b"content-type"] == PROBLEM
    assert "2048 bytes" in client.problem["detail"]


async def test_a_refused_head_with_a_body_to_come_closes_the_connection() -> None:
    client = Client()
    headers = [*_filler(101), (b"content-length", b"10")]
    await _serve(_settings(), _scope(headers, method="POST"), client)
    assert client.status == 431
    assert client.headers[b"connection"] == b"close"


# --- a body that stops coming ------------------------------------------------------------------


def _answer_scope(length: int) -> Scope:
    token = mint_token(SECRET, "alice").encode()
    headers = [(b"authorization", b"Bearer " + token), (b"content-length", str(length).encode())]
    return _scope(headers, path="/v1/sessions/x/answers", method="POST")


@pytest.mark.parametrize(
    ("scope", "first"),
    [
        (_answer_scope(100), [{"type": "http.request", "body": b"0123456789", "more_body": True}]),
        (_answer_scope(100), []),  # not a byte of the body
        # The resume upload, which its own reader counts, is held to the same timeout.
        (
            _scope([(b"content-length", b"1000")], path="/v1/sessions", method="POST"),
            [{"type": "http.request", "body": b"--boundary\r\n", "more_body": True}],
        ),
    ],
    ids=["json-body", "no-body-byte", "upload"],
)
async def test_a_body_that_stops_coming_is_408_and_closes(
    scope: Scope, first: list[Message]
) -> None:
    settings = _settings(body_idle_timeout_s=0.01)
    if scope["path"] == "/v1/sessions":
        token = mint_token(SECRET, "alice").encode()
        scope["headers"].append((b"authorization", b"Bearer " + token))
    client = Client(body=list(first))
    await _serve(settings, scope, client)
    # The app answered 400 to the failed read; the guard answers in its place.
    assert client.status == 408
    assert client.headers[b"content-type"] == PROBLEM
    assert client.headers[b"connection"] == b"close"
    assert "0.01 s" in client.problem["detail"]


async def test_a_finished_body_is_not_held_to_the_timeout() -> None:
    # Once the body is in, waiting on receive() is waiting for the client to go (an event
    # stream does it for minutes): no timeout applies to it.
    settings = _settings(body_idle_timeout_s=0.01)
    client = Client(
        body=[{"type": "http.request", "body": b"{}", "more_body": False}],
        disconnect_after_s=0.2,
    )
    app = await _serve(settings, _answer_scope(2), client, BodyReader(await_disconnect=True))
    assert client.status == 200
    assert app.outcome == ["http.disconnect"]
