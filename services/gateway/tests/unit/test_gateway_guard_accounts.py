"""``RequestGuard`` and browser accounts: the session cookie counts as a credential before the
body (its shape only: the routes judge it against the database), and signing up or in needs
none but has a small body bound."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from careerflow_gateway.browser_sessions import new_secret
from careerflow_gateway.request_guard import AUTH_BODY_MAX, RequestGuard
from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef-0123456789"


class Reached:
    """An ASGI app that reads the body and answers 200; records the paths that reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.paths.append(scope["path"])
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _client(app: Reached) -> httpx.AsyncClient:
    settings = GatewaySettings(environment="test", jwt_secret=SECRET)
    guarded = RequestGuard(app, settings=settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="https://gw")


async def test_a_session_cookie_of_the_right_shape_gets_past_the_guard() -> None:
    app = Reached()
    async with _client(app) as client:
        cookie = {"Cookie": f"careerflow_session={new_secret()}"}
        response = await client.post("/v1/sessions/x/answers", headers=cookie, json={})
    assert response.status_code == 200
    assert app.paths == ["/v1/sessions/x/answers"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Cookie": "careerflow_session=short"}, id="cookie-of-another-shape"),
        pytest.param({"Cookie": "careerflow_csrf=" + "a" * 43}, id="only-the-csrf-cookie"),
        pytest.param(
            {"Cookie": f"careerflow_session={'a' * 43}", "Authorization": "Bearer nonsense"},
            id="a-bad-bearer-beside-a-cookie",
        ),
    ],
)
async def test_without_a_credential_of_the_right_shape_it_is_401_before_the_app(
    headers: dict[str, str],
) -> None:
    app = Reached()
    async with _client(app) as client:
        response = await client.post("/v1/sessions/x/answers", headers=headers, json={})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert app.paths == []


@pytest.mark.parametrize("path", ["/v1/auth/signup", "/v1/auth/signin"])
async def test_signup_and_signin_need_no_credential_but_have_a_small_body_bound(path: str) -> None:
    app = Reached()
    async with _client(app) as client:
        small = await client.post(path, json={"email": "a@example.org", "password": "x" * 256})
        large = await client.post(path, content=b"x" * (AUTH_BODY_MAX + 1))
    assert small.status_code == 200
    assert large.status_code == 413
    assert app.paths == [path]
    assert AUTH_BODY_MAX == 4 * 1024


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/auth/signout"), ("GET", "/v1/auth/me")])
async def test_the_other_account_routes_need_a_credential(method: str, path: str) -> None:
    app = Reached()
    async with _client(app) as client:
        response = await client.request(method, path)
    assert response.status_code == 401
    assert app.paths == []
