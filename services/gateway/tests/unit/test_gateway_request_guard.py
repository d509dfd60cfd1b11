"""``RequestGuard`` in front of a small ASGI app that reads bodies the way routes do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from careerflow_gateway.auth import mint_token
from careerflow_gateway.request_guard import JSON_BODY_MAX, RequestGuard
from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef-0123456789"
KIB = 1024


@dataclass
class BodyReader:
    """An ASGI app that reads the whole body and answers 200 with its length.

    With ``catch``, a failed read is answered 400, as FastAPI answers a body it could not read.
    """

    catch: bool = False
    read: int = 0
    calls: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls.append(scope["path"])
        status, body = 200, b""
        try:
            more = True
            while more:
                message = await receive()
                self.read += len(message.get("body", b""))
                more = message.get("more_body", False)
            body = str(self.read).encode()
        except Exception:
            if not self.catch:
                raise
            status, body = 400, b"could not read the body"
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": body})


def _client(app: BodyReader) -> httpx.AsyncClient:
    settings = GatewaySettings(environment="test", jwt_secret=SECRET)
    guarded = RequestGuard(app, settings=settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="http://gw")


def _token() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}


async def _chunks(total: int, size: int = 8 * KIB) -> AsyncIterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.mark.parametrize("catch", [False, True], ids=["app-raises", "app-answers-400"])
async def test_a_body_streaming_past_the_bound_is_413_whatever_the_app_makes_of_it(
    catch: bool,
) -> None:
    app = BodyReader(catch=catch)
    async with _client(app) as client:
        response = await client.post(
            "/v1/sessions/x/answers", headers=_token(), content=_chunks(10 * JSON_BODY_MAX)
        )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["connection"] == "close"
    assert b"could not read" not in response.content
    assert app.read <= JSON_BODY_MAX


async def test_a_body_within_the_bound_reaches_the_app_whole() -> None:
    app = BodyReader()
    async with _client(app) as client:
        response = await client.post(
            "/v1/sessions/x/answers", headers=_token(), content=_chunks(JSON_BODY_MAX)
        )
    assert response.status_code == 200
    assert response.text == str(JSON_BODY_MAX)


@pytest.mark.parametrize(
    ("declared", "status"),
    [
        ("0" * 40 + "65", 200),  # leading zeros are still 65
        (str(JSON_BODY_MAX + 1), 413),
        ("9" * 5000, 413),  # past any bound, without parsing 5000 digits
        ("\u00b2", 400),  # a digit to str.isdigit(), not to HTTP
        ("-1", 400),
        ("65, 66", 400),
    ],
)
async def test_content_length_is_read_strictly(declared: str, status: int) -> None:
    app = BodyReader()
    async with _client(app) as client:
        response = await client.post(
            "/v1/sessions/x/answers",
            headers=[
                (b"authorization", _token()["Authorization"].encode()),
                (b"content-length", declared.encode("latin-1")),
            ],
            content=_chunks(65),
        )
    assert response.status_code == status
    if status != 200:
        assert app.read == 0


async def test_an_anonymous_request_is_401_before_the_app_and_closes_only_with_a_body() -> None:
    app = BodyReader()
    async with _client(app) as client:
        with_body = await client.post("/v1/sessions/x/answers", content=_chunks(60 * KIB))
        without_body = await client.get("/v1/sessions")
        bare_prefix = await client.get("/v1")
    assert with_body.status_code == without_body.status_code == bare_prefix.status_code == 401
    assert with_body.headers["connection"] == "close"
    assert "connection" not in without_body.headers
    assert without_body.headers["www-authenticate"].startswith("Bearer")
    assert app.calls == []


async def test_paths_outside_the_api_need_no_token_but_their_bodies_are_bounded() -> None:
    app = BodyReader()
    async with _client(app) as client:
        assert (await client.get("/livez")).status_code == 200
        assert (await client.get("/v1x")).status_code == 200  # not under /v1/
        big = await client.post("/livez", content=_chunks(JSON_BODY_MAX + 1))
    assert big.status_code == 413


async def test_the_upload_is_left_to_its_own_reader() -> None:
    app = BodyReader()
    async with _client(app) as client:
        response = await client.post("/v1/sessions", headers=_token(), content=_chunks(200 * KIB))
        anonymous = await client.post("/v1/sessions", content=_chunks(200 * KIB))
    assert response.status_code == 200 and response.text == str(200 * KIB)
    assert anonymous.status_code == 401
    assert app.read == 200 * KIB  # only the authenticated upload was read
