"""Whose ``X-Forwarded-For`` the gateway believes: only the proxies in GATEWAY_FORWARDED_ALLOW_IPS.

The sign-in and sign-up limits count attempts per client address. Behind a proxy (an ingress
controller, a reverse proxy in front of compose) every connection comes from the proxy, so the
gateway must take the client's address from the proxy's header, and from nobody else's: a client
that writes its own header must not get a fresh address, and so a fresh limit, per request.

Each test runs uvicorn's app stack exactly as ``gateway serve`` builds it (``uvicorn_options``
into ``uvicorn.Config``), with a small app at the bottom that answers the key the sign-in limits
would use for the request.
"""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from pydantic import ValidationError
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from careerflow_gateway import accounts
from careerflow_gateway.main import uvicorn_options
from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef"
INGRESS = "10.244.1.7"
"""An ingress controller's pod, as the gateway sees its connections."""


@pytest.fixture(autouse=True)
def no_forwarding_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GATEWAY_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)


async def _limit_key(settings: GatewaySettings, peer: str, forwarded_for: str | None) -> str:
    """The sign-in limits' network for a request from ``peer`` carrying that header."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        seen.append(accounts.client_network(request.client.host if request.client else None))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = uvicorn.Config(app, **{**uvicorn_options(settings), "log_config": None})
    config.load()
    headers = [(b"host", b"careerflow.example.com")]
    if forwarded_for is not None:
        headers.append((b"x-forwarded-for", forwarded_for.encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/auth/signin",
        "raw_path": b"/v1/auth/signin",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": (peer, 51000),
        "server": ("10.244.2.9", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        del message

    await config.loaded_app(scope, receive, send)
    (key,) = seen
    return key


async def test_by_default_a_proxys_header_is_ignored() -> None:
    settings = GatewaySettings(jwt_secret=SECRET)
    first = await _limit_key(settings, INGRESS, "203.0.113.7")
    second = await _limit_key(settings, INGRESS, "198.51.100.23")
    # Every client behind an untrusted proxy shares the proxy's address, and its limit.
    assert first == second == accounts.client_network(INGRESS)


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit() -> None:
    settings = GatewaySettings(jwt_secret=SECRET, forwarded_allow_ips="10.0.0.0/8")
    first = await _limit_key(settings, INGRESS, "203.0.113.7")
    second = await _limit_key(settings, INGRESS, "198.51.100.23")
    assert first == accounts.client_network("203.0.113.7")
    assert second == accounts.client_network("198.51.100.23")


async def test_an_address_a_client_wrote_itself_is_not_believed() -> None:
    settings = GatewaySettings(jwt_secret=SECRET, forwarded_allow_ips="10.0.0.0/8")
    # The client sent "X-Forwarded-For: 192.0.2.1"; the ingress appended the address it saw.
    assert await _limit_key(settings, INGRESS, "192.0.2.1, 203.0.113.7") == (
        accounts.client_network("203.0.113.7")
    )
    # Straight to the gateway (not through a trusted proxy), a header changes nothing.
    assert await _limit_key(settings, "203.0.113.7", "192.0.2.1") == (
        accounts.client_network("203.0.113.7")
    )


async def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_FORWARDED_ALLOW_IPS", " 10.244.0.0/16 , 127.0.0.1")
    settings = GatewaySettings(jwt_secret=SECRET)
    assert settings.forwarded_allow_ips == "10.244.0.0/16,127.0.0.1"
    assert await _limit_key(settings, INGRESS, "203.0.113.7") == (
        accounts.client_network("203.0.113.7")
    )


async def test_uvicorns_own_variable_is_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    # FORWARDED_ALLOW_IPS is what uvicorn reads, and what earlier releases told operators to set.
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    assert GatewaySettings(jwt_secret=SECRET).forwarded_allow_ips == "10.0.0.0/8"
    monkeypatch.setenv("GATEWAY_FORWARDED_ALLOW_IPS", "192.168.0.0/16")
    settings = GatewaySettings(jwt_secret=SECRET)
    assert settings.forwarded_allow_ips == "192.168.0.0/16"
    assert await _limit_key(settings, INGRESS, "203.0.113.7") == accounts.client_network(INGRESS)


def test_the_default_trusts_only_the_loopback_address() -> None:
    options = uvicorn_options(GatewaySettings(jwt_secret=SECRET))
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == ["127.0.0.1"]


@pytest.mark.parametrize(
    "value",
    ["10.0.0.0/33", "10.0.0.1/8", "ingress-nginx", "", "10.0.0.0/8,,127.0.0.1", "*,10.0.0.0/8"],
)
def test_a_value_uvicorn_would_silently_never_match_is_refused(value: str) -> None:
    # uvicorn keeps an entry it cannot parse as a literal that no client address ever equals:
    # the proxy would then be untrusted without a word. The gateway refuses to start instead.
    with pytest.raises(ValidationError, match="forwarded_allow_ips"):
        GatewaySettings(jwt_secret=SECRET, forwarded_allow_ips=value)


def test_everyone_can_be_trusted_only_on_purpose() -> None:
    settings = GatewaySettings(jwt_secret=SECRET, forwarded_allow_ips="*")
    assert uvicorn_options(settings)["forwarded_allow_ips"] == ["*"]
