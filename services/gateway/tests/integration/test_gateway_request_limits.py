"""Over a real socket, with uvicorn run as ``gateway serve`` runs it: a head too large or with
too many headers is refused, and a body that stops coming is answered 408 and its connection
closed, where it used to be held open for ever."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from gateway_testkit import PROBLEM, bearer, gateway_settings, new_id

from careerflow_gateway.app import create_app
from careerflow_gateway.main import uvicorn_options
from careerflow_gateway.settings import GatewaySettings
from careerflow_messaging import Topology

pytestmark = [pytest.mark.database, pytest.mark.broker]

KIB = 1024
BACKSTOP_S = 20.0
"""Only so that a regression fails instead of hanging: nothing here should take near this."""


@asynccontextmanager
async def gateway_server(settings: GatewaySettings, topology: Topology) -> AsyncIterator[int]:
    """The gateway in uvicorn with the options ``gateway serve`` uses, on an ephemeral port."""
    options: dict[str, Any] = {
        **uvicorn_options(settings),
        "host": "127.0.0.1",
        "port": 0,
        "log_level": "warning",
    }
    server = uvicorn.Server(uvicorn.Config(create_app(settings, topology=topology), **options))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.02)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def settings(database_url: str, amqp_url: str) -> GatewaySettings:
    return gateway_settings(database_url, amqp_url, body_idle_timeout_s=1.0)


RESET = 0
"""The status ``_exchange`` gives a connection reset before any answer came."""


async def _exchange(port: int, *pieces: bytes, pause_s: float = 0.0) -> tuple[int, bytes]:
    """Send ``pieces`` (``pause_s`` apart), then read until the gateway closes the connection;
    the status and all it sent. A connection the gateway keeps open fails at the backstop.

    A server that refuses a request and closes with bytes of it still unread makes the kernel
    reset the connection, which can beat its answer to the client: that is ``RESET``.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answer = b""
    try:
        async with asyncio.timeout(BACKSTOP_S):
            for index, piece in enumerate(pieces):
                if index and pause_s:
                    await asyncio.sleep(pause_s)
                writer.write(piece)
                await writer.drain()
            while chunk := await reader.read(64 * KIB):  # until the gateway closes
                answer += chunk
    except ConnectionResetError:
        pass
    finally:
        writer.close()
    status = int(answer.split(b" ", 2)[1]) if answer else RESET
    return status, answer


def _head(*lines: str, path: str = "/livez", method: str = "GET") -> bytes:
    # Connection: close, so that a request that is answered ends the exchange as well.
    fields = ["Host: gateway", "Connection: close", *lines]
    return (f"{method} {path} HTTP/1.1\r\n" + "".join(f"{f}\r\n" for f in fields) + "\r\n").encode()


async def test_a_head_past_the_guards_limits_is_431_problem_json(
    settings: GatewaySettings, topology: Topology
) -> None:
    async with gateway_server(settings, topology) as port:
        status, answer = await _exchange(port, _head(*["X-Filler: 1"] * 101))
        assert status == 431, answer[:200]
        assert PROBLEM.encode() in answer
        assert b"100 headers" in answer

        # Past the guard's 16 KiB, within what uvicorn buffers: the guard's answer, wherever
        # the head's bytes happen to be split.
        padding = "X-Padding: " + "a" * (17 * KIB - 200)
        status, answer = await _exchange(port, _head(padding))
        assert status == 431, answer[:200]
        assert PROBLEM.encode() in answer

        # What a browser sends is far from either limit.
        status, _ = await _exchange(port, _head(*[f"X-Filler-{n}: 1" for n in range(90)]))
        assert status == 200


async def test_a_head_within_the_limit_is_accepted_however_it_arrives(
    settings: GatewaySettings, topology: Topology
) -> None:
    # uvicorn's own bound on an incomplete head (h11's, 16 KiB by default) must not cut a head
    # the guard accepts when its bytes come in pieces, as they do over a real network.
    counted = len(b"/livez") + len(b"hostgateway") + len(b"connectionclose")
    padding = "X-Padding: " + "a" * (settings.max_request_head_bytes - counted - len("X-Padding"))
    head = _head(padding)
    async with gateway_server(settings, topology) as port:
        # Its first piece alone is past h11's default bound, and short of its end by 5 bytes.
        status, answer = await _exchange(port, head[:-5], head[-5:], pause_s=0.3)
    assert status == 200, answer[:200]


async def test_the_reviewers_heads_are_refused(
    settings: GatewaySettings, topology: Topology
) -> None:
    huge = _head("X-Padding: " + "a" * 100 * KIB)
    many = _head(*["X-Filler: 1"] * 10_000)
    async with gateway_server(settings, topology) as port:
        for head in (huge, many):
            # Sent whole: the guard's 431 when uvicorn reads it in one piece; uvicorn's 400
            # when it comes in pieces and the part without its end outgrows uvicorn's bound
            # (then the rest is unread at the close, and a reset may come first). Accepted, it
            # would be the health check's 200.
            status, answer = await _exchange(port, head)
            assert status in (400, 431, RESET), answer[:200]
            # Without its end: uvicorn's bound, before the head is complete.
            status, answer = await _exchange(port, head[: 32 * KIB])
            assert status in (400, RESET), answer[:200]


async def test_a_body_that_stops_coming_is_408_and_the_connection_closed(
    settings: GatewaySettings, topology: Topology
) -> None:
    token = bearer("alice")["Authorization"]
    answer_head = _head(
        f"Authorization: {token}",
        "Content-Type: application/json",
        "Content-Length: 100",
        path=f"/v1/sessions/{new_id()}/answers",
        method="POST",
    )
    upload_head = _head(
        f"Authorization: {token}",
        "Content-Type: multipart/form-data; boundary=careerflow",
        "Content-Length: 1000",
        path="/v1/sessions",
        method="POST",
    )

    async def stopped(request: bytes) -> tuple[int, bytes, float]:
        began = time.monotonic()
        status, answer = await _exchange(port, request)
        return status, answer, time.monotonic() - began

    async with gateway_server(settings, topology) as port:
        # At once, on three connections: each waits out its own idle timeout.
        outcomes = await asyncio.gather(
            stopped(answer_head + b'{"question_'),  # 10 bytes of the 100 declared
            stopped(answer_head),  # not a byte of the body
            stopped(upload_head + b"--careerflow\r\nContent-Disposition: form-data; name="),
        )
    for status, answer, waited in outcomes:
        assert status == 408, answer[:300]
        assert PROBLEM.encode() in answer
        assert b"connection: close" in answer.lower()
        # _exchange returned: the gateway closed the connection, after the idle timeout.
        assert waited >= settings.body_idle_timeout_s


async def test_a_slow_body_that_keeps_coming_is_not_cut(
    settings: GatewaySettings, topology: Topology
) -> None:
    body = b'{"question_id": "%s", "text": "An answer that comes slowly."}' % new_id().encode()
    head = _head(
        bearer("alice")["Authorization"].join(["Authorization: ", ""]),
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        path=f"/v1/sessions/{new_id()}/answers",
        method="POST",
    )
    pieces = [body[start : start + 8] for start in range(0, len(body), 8)]
    async with gateway_server(settings, topology) as port:
        began = time.monotonic()
        # Each pause well within the 1 s idle timeout; all of them well past it.
        status, answer = await _exchange(port, head, *pieces, pause_s=0.2)
        took = time.monotonic() - began
    assert took > 2 * settings.body_idle_timeout_s
    # Read whole and judged by the route: no such session.
    assert status == 404, answer[:300]
    assert PROBLEM.encode() in answer
