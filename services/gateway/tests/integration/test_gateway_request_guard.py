"""Bodies are judged before they are read: a caller without a valid token, or a body over its
limit, is answered without the gateway pulling the body in.

Through the in-process transport, ``CountedBody`` counts the bytes the gateway asked for; over a
real socket, the gateway must answer a request whose body has not been sent at all.
"""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from gateway_testkit import PROBLEM, Gateway, bearer, gateway_settings, live_server, new_id

from careerflow_gateway.app import create_app
from careerflow_messaging import Topology

pytestmark = [pytest.mark.database, pytest.mark.broker]

KIB = 1024
MIB = 1024 * KIB
JSON_BODY_LIMIT = 64 * KIB


@dataclass
class CountedBody:
    """A body of ``total`` bytes made on demand in ``chunk``-sized pieces; counts what is pulled."""

    total: int
    chunk: int = 64 * KIB
    filler: bytes = b" "
    pulled: int = 0

    async def stream(self) -> AsyncIterator[bytes]:
        block = self.filler * self.chunk
        while self.pulled < self.total:
            piece = block[: self.total - self.pulled]
            self.pulled += len(piece)
            yield piece


def _answers_path() -> str:
    return f"/v1/sessions/{new_id()}/answers"


async def _post_an_answer(
    gateway: Gateway, headers: dict[str, str], body: CountedBody
) -> tuple[httpx.Response, int]:
    """POST ``body`` as an answer; the response, and the bytes the traced memory's peak grew by
    while the gateway handled it."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        response = await gateway.client.post(
            _answers_path(), headers=headers, content=body.stream()
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak - before


UNAUTHENTICATED: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer not-a-token"},
    {"Authorization": "Basic YWxpY2U6eA=="},
]


async def test_an_unauthenticated_json_body_is_refused_before_it_is_read(
    gateway: Gateway,
) -> None:
    for auth in UNAUTHENTICATED:
        for declared in (True, False):  # with a Content-Length, and chunked
            body = CountedBody(total=60 * MIB)
            headers = {**auth, "Content-Type": "application/json"}
            if declared:
                headers["Content-Length"] = str(body.total)
            response, grown = await _post_an_answer(gateway, headers, body)
            case = (auth, declared)
            assert response.status_code == 401, case
            assert response.headers["content-type"] == PROBLEM
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert body.pulled == 0, f"{case}: the gateway read {body.pulled} bytes"
            assert grown < 1 * MIB, f"{case}: peak grew by {grown / MIB:.1f} MiB"


async def test_an_unauthenticated_upload_is_refused_before_it_is_read(gateway: Gateway) -> None:
    for auth in UNAUTHENTICATED:
        body = CountedBody(total=60 * MIB)
        headers = {**auth, "Content-Type": "multipart/form-data; boundary=careerflowboundary"}
        response = await gateway.client.post("/v1/sessions", headers=headers, content=body.stream())
        assert response.status_code == 401, auth
        assert response.headers["content-type"] == PROBLEM
        assert body.pulled == 0, auth


async def _response_head(base_url: str, head: str) -> tuple[int, bytes]:
    """Send only ``head`` (no body) to the server at ``base_url`` and return the status and the
    rest the gateway sent."""
    url = httpx.URL(base_url)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(head.encode("latin-1"))
        await writer.drain()
        # Without the guard the gateway waits for the body forever; 10 s is only a backstop.
        async with asyncio.timeout(10):
            received = await reader.readuntil(b"\r\n\r\n")
            status = int(received.split(b" ", 2)[1])
            rest = await reader.read()  # until the gateway closes the connection
    finally:
        writer.close()
    return status, received + rest


async def test_the_gateway_answers_before_a_refused_body_is_sent(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    app = create_app(gateway_settings(database_url, amqp_url), topology=topology)
    token = bearer("alice")["Authorization"]
    async with live_server(app) as base_url:
        anonymous = (
            f"POST {_answers_path()} HTTP/1.1\r\nHost: gateway\r\n"
            f"Content-Type: application/json\r\nContent-Length: {60 * MIB}\r\n\r\n"
        )
        status, answer = await _response_head(base_url, anonymous)
        assert status == 401
        assert PROBLEM.encode() in answer

        oversized = (
            f"POST {_answers_path()} HTTP/1.1\r\nHost: gateway\r\nAuthorization: {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {JSON_BODY_LIMIT + 1}\r\n\r\n"
        )
        status, answer = await _response_head(base_url, oversized)
        assert status == 413
        assert PROBLEM.encode() in answer
        assert str(JSON_BODY_LIMIT).encode() in answer  # the detail names the limit


async def test_a_declared_body_over_64_kib_is_413_before_it_is_read(gateway: Gateway) -> None:
    for method, path in [
        ("POST", "/v1/sessions/{sid}/answers"),
        ("POST", "/v1/sessions/{sid}/regenerate"),
        ("GET", "/v1/sessions"),
        ("DELETE", "/v1/sessions/{sid}"),
    ]:
        body = CountedBody(total=JSON_BODY_LIMIT + 1)
        headers = {
            **bearer("alice"),
            "Content-Type": "application/json",
            "Content-Length": str(body.total),
        }
        response = await gateway.client.request(
            method, path.format(sid=new_id()), headers=headers, content=body.stream()
        )
        assert response.status_code == 413, (method, path)
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == 413
        assert str(JSON_BODY_LIMIT) in problem["detail"]
        assert body.pulled == 0, (method, path)


async def test_a_chunked_body_that_streams_past_64_kib_is_413(gateway: Gateway) -> None:
    body = CountedBody(total=60 * MIB, chunk=16 * KIB)
    headers = {**bearer("alice"), "Content-Type": "application/json"}
    response, grown = await _post_an_answer(gateway, headers, body)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert str(JSON_BODY_LIMIT) in response.json()["detail"]
    # Reading stops at the first chunk past the limit.
    assert body.pulled <= JSON_BODY_LIMIT + body.chunk, f"pulled {body.pulled} bytes"
    assert grown < 1 * MIB, f"peak grew by {grown / MIB:.1f} MiB"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_of_exactly_64_kib_is_read_and_judged(
    gateway: Gateway, declared: bool
) -> None:
    answer = b'{"question_id": "not-a-uuid", "text": ""}'
    padded = answer + b" " * (JSON_BODY_LIMIT - len(answer))
    headers = {**bearer("alice"), "Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(len(padded))

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(padded), 10_000):
            yield padded[start : start + 10_000]

    response = await gateway.client.post(_answers_path(), headers=headers, content=chunks())
    # Read whole and validated: the problem names the fields, not the size.
    assert response.status_code == 422, response.text
    assert {p["name"] for p in response.json()["invalid_params"]} == {"question_id", "text"}


async def test_health_metrics_and_the_api_description_need_no_token(gateway: Gateway) -> None:
    for path in ("/livez", "/readyz", "/metrics", "/openapi.json"):
        response = await gateway.client.get(path)
        assert response.status_code == 200, (path, response.text)
    # /health answers its own document without a token: 200, or 503 while the broker link the
    # gateway opens in the background is still connecting; never the guard's 401.
    health = await gateway.client.get("/health")
    assert health.status_code in (200, 503), health.text
    assert health.json()["serviceId"] == "gateway"
    # Paths outside the API are not the guard's to refuse: an unknown one is still 404.
    assert (await gateway.client.get("/nowhere")).status_code == 404


async def test_a_malformed_content_length_is_400(gateway: Gateway) -> None:
    for value in ("sixty", "-1", "1e9"):
        headers = {**bearer("alice"), "Content-Type": "application/json", "Content-Length": value}
        body = CountedBody(total=JSON_BODY_LIMIT * 4)
        response = await gateway.client.post(
            _answers_path(), headers=headers, content=body.stream()
        )
        assert response.status_code == 400, (value, response.status_code)
        assert response.headers["content-type"] == PROBLEM
        assert body.pulled == 0


async def test_the_answer_route_documents_its_body_refusals(gateway: Gateway) -> None:
    spec = (await gateway.client.get("/openapi.json")).json()
    responses = spec["paths"]["/v1/sessions/{session_id}/answers"]["post"]["responses"]
    for status in ("400", "413"):
        assert PROBLEM in responses[status]["content"], status
