"""Event streams woken by Postgres (LISTEN/NOTIFY) on real Postgres, through a live server.

Every test sets the streams' polls to ten minutes, so a view that arrives within its timeout
came by an announcement, not by a poll; the tests that take the announcements away poll fast
instead, to show what the streams fall back on.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from gateway_testkit import (
    WorkerDouble,
    bearer,
    gateway_settings,
    live_server,
    session_form,
)

from careerflow_gateway.app import create_app
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.state import GatewayState
from careerflow_messaging import Topology
from careerflow_testing.proxy import SwitchableProxy, proxied, target_of
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]

NEVER_S = 600.0
"""A poll interval no test lasts: what arrives came by an announcement."""

PASSWORD = "a long enough passphrase"


class Messages:
    """The messages of one open event stream, as ``(event, data)``."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.aiter_lines()

    async def next(self, timeout_s: float = 15.0) -> tuple[str, dict[str, Any]]:
        event, data = "message", ""
        async with asyncio.timeout(timeout_s):
            async for line in self._lines:
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    data = line.removeprefix("data: ")
                elif line == "" and data:
                    return event, json.loads(data)
        raise AssertionError("the stream ended")

    async def view_with(self, status: str, timeout_s: float = 15.0) -> dict[str, Any]:
        while True:
            event, data = await self.next(timeout_s)
            assert event == "session", (event, data)
            if data["status"] == status:
                return data

    async def ended(self, timeout_s: float = 15.0) -> bool:
        async with asyncio.timeout(timeout_s):
            async for _ in self._lines:
                pass
        return True


@asynccontextmanager
async def events(
    client: httpx.AsyncClient, sid: str, headers: dict[str, str]
) -> AsyncIterator[Messages]:
    async with client.stream("GET", f"/v1/sessions/{sid}/events", headers=headers) as response:
        assert response.status_code == 200
        yield Messages(response)


def _settings(database_url: str, amqp_url: str, **overrides: Any) -> GatewaySettings:
    values = {"sse_poll_interval_s": NEVER_S, "sse_safety_poll_s": NEVER_S, **overrides}
    return gateway_settings(database_url, amqp_url, sse_heartbeat_s=NEVER_S, **values)


@asynccontextmanager
async def served(
    settings: GatewaySettings, topology: Topology
) -> AsyncIterator[tuple[httpx.AsyncClient, GatewayState]]:
    """The gateway in a live server (event streams need one), once it listens for changes."""
    app = create_app(settings, topology=topology)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=20) as client:
        state: GatewayState = app.state.gateway
        await wait_until(
            lambda: state.session_changes.listening,
            timeout_s=15,
            interval_s=0.02,
            message="the gateway listening",
        )
        yield client, state


async def test_a_committed_change_reaches_an_open_stream_at_once(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    workers.gates["resume.submitted"] = asyncio.Event()
    async with served(_settings(database_url, amqp_url), topology) as (client, _):
        alice = bearer("alice")
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        async with events(client, sid, alice) as stream:
            assert (await stream.next())[1]["status"] == "parsing"
            workers.gates["resume.submitted"].set()
            ready = await stream.view_with("ready")
            assert ready["progress"]["written"] == 10


async def test_streams_poll_while_the_listener_is_away_and_listen_again_once_it_is_back(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    # Postgres is shared with other tests: the gateway reaches it through a proxy we cut, as
    # a restart of Postgres cuts every connection and refuses new ones for a while.
    proxy = SwitchableProxy(*target_of(database_url))
    await proxy.up()
    settings = _settings(proxied(database_url, proxy.port), amqp_url, sse_poll_interval_s=0.05)
    workers.gates["resume.submitted"] = asyncio.Event()
    async with served(settings, topology) as (client, state):
        changes = state.session_changes
        alice = bearer("alice")
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        async with events(client, sid, alice) as stream:
            assert (await stream.next())[1]["status"] == "parsing"

            await proxy.down()
            await wait_until(
                lambda: not changes.listening,
                timeout_s=15,
                interval_s=0.02,
                message="the lost connection noticed",
            )
            await asyncio.sleep(0.5)  # refused for a while, as by a restarting Postgres
            await proxy.up()
            # The change made now reaches the stream: by its fast poll while the listener is
            # away, or by the wake when it is back. A stream sends the session as it finds it,
            # not every status it went through: the workers' double answers "generating" within
            # milliseconds, so a poll every 50 ms often finds "ready" already.
            workers.gates["resume.submitted"].set()
            assert (await stream.view_with("ready"))["progress"]["written"] == 10
            await wait_until(
                lambda: changes.connections == 2,
                timeout_s=15,
                interval_s=0.02,
                message="the listener back",
            )

        # Back, the listener wakes a stream that would poll only every ten minutes.
        assert changes.listening
        state.settings.sse_poll_interval_s = NEVER_S
        workers.gates["resume.submitted"] = asyncio.Event()
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        async with events(client, sid, alice) as stream:
            assert (await stream.next())[1]["status"] == "parsing"
            workers.gates["resume.submitted"].set()
            assert (await stream.view_with("ready"))["progress"]["written"] == 10


async def _signed_up(client: httpx.AsyncClient) -> dict[str, str]:
    """Signs up; the Cookie and X-CSRF-Token headers of the new browser session."""
    response = await client.post(
        "/v1/auth/signup", json={"email": "ada@example.org", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    cookies = dict(response.cookies)
    client.cookies.clear()  # sent by hand below, so the test says which request has them
    return {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "X-CSRF-Token": cookies["careerflow_csrf"],
    }


async def _stream_of_a_signed_out_browser(client: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    """Opens a browser's stream, signs that browser out; the stream's last message."""
    browser = await _signed_up(client)
    created = await client.post("/v1/sessions", headers=browser, **session_form())
    assert created.status_code == 202, created.text
    sid = created.json()["id"]
    only_cookie = {"Cookie": browser["Cookie"]}
    async with events(client, sid, only_cookie) as stream:
        assert (await stream.next())[0] == "session"
        assert (await client.post("/v1/auth/signout", headers=browser)).status_code == 204
        last = await stream.next()
        assert await stream.ended()
    # Opened again with the same cookie, the stream is refused.
    assert (await client.get(f"/v1/sessions/{sid}/events", headers=only_cookie)).status_code == 401
    return last


async def test_signing_out_ends_the_browsers_open_stream(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    async with served(_settings(database_url, amqp_url), topology) as (client, _):
        event, data = await _stream_of_a_signed_out_browser(client)
    assert event == "expired"
    assert "signed out" in data["detail"]


async def test_a_stream_that_missed_the_sign_out_finds_it_when_it_polls(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = _settings(database_url, amqp_url, sse_poll_interval_s=0.05)
    async with served(settings, topology) as (client, state):
        await state.session_changes.stop()  # nobody hears the sign-out
        assert not state.session_changes.listening
        event, data = await _stream_of_a_signed_out_browser(client)
    assert event == "expired"
    assert "signed out" in data["detail"]
