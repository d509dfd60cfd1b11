"""Abuse limits through the real app on real Postgres: per-user token buckets for new sessions
and regenerates, per-user event stream slots, streams that end with their token, a pool that
answers 503 when it has no connection to give, and tokens that must say who they are for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from gateway_testkit import (
    PROBLEM,
    SECRET,
    T0,
    WorkerDouble,
    bearer,
    gateway_settings,
    live_server,
    session_form,
    start_gateway,
)

from careerflow_gateway.app import create_app
from careerflow_gateway.auth import AUDIENCE, ISSUER, mint_token
from careerflow_messaging import Topology
from careerflow_testing.clock import FakeClock
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]


def _assert_429(response: httpx.Response, retry_after: str | None) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"] == retry_after or (
        retry_after is None and int(response.headers["retry-after"]) >= 1
    )
    body: dict[str, Any] = response.json()
    assert body["status"] == 429
    assert body["type"].endswith("/too-many-requests")
    return body


async def test_new_sessions_beyond_the_limit_are_429_until_the_bucket_refills(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    clock = FakeClock(T0)
    settings = gateway_settings(
        database_url, amqp_url, session_create_limit=3, session_create_window_s=3600
    )
    async for gateway in start_gateway(settings, topology, limits_clock=clock):
        client = gateway.client
        for _ in range(3):
            created = await client.post("/v1/sessions", headers=bearer("alice"), **session_form())
            assert created.status_code == 202
        refused = await client.post("/v1/sessions", headers=bearer("alice"), **session_form())
        body = _assert_429(refused, "1200")  # one more every 3600 / 3 seconds
        assert "at most 3 per hour" in body["detail"]
        # Another user has a bucket of their own.
        bob = await client.post("/v1/sessions", headers=bearer("bob"), **session_form())
        assert bob.status_code == 202

        clock.now += 1199
        still = await client.post("/v1/sessions", headers=bearer("alice"), **session_form())
        _assert_429(still, "1")
        clock.now += 1
        again = await client.post("/v1/sessions", headers=bearer("alice"), **session_form())
        assert again.status_code == 202
        listed = await client.get("/v1/sessions", headers=bearer("alice"))
        assert len(listed.json()["items"]) == 4  # nothing refused was created


async def test_a_burst_of_parallel_sessions_gets_exactly_the_limit(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = gateway_settings(database_url, amqp_url, session_create_limit=3)
    async for gateway in start_gateway(settings, topology, limits_clock=FakeClock(T0)):
        responses = await asyncio.gather(
            *(
                gateway.client.post("/v1/sessions", headers=bearer("carol"), **session_form())
                for _ in range(8)
            )
        )
        assert sorted(r.status_code for r in responses) == [202] * 3 + [429] * 5


async def test_regenerates_beyond_the_limit_are_429(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    clock = FakeClock(T0)
    settings = gateway_settings(
        database_url, amqp_url, regenerate_limit=2, regenerate_window_s=3600
    )
    workers.gates["questions.requested"] = asyncio.Event()  # the session stays in generating
    async for gateway in start_gateway(settings, topology, limits_clock=clock):
        created = await gateway.client.post(
            "/v1/sessions", headers=bearer("alice"), **session_form()
        )
        sid = created.json()["id"]
        await gateway.wait_status(sid, "generating")
        path = f"/v1/sessions/{sid}/regenerate"
        for _ in range(2):
            assert (await gateway.client.post(path, headers=bearer("alice"))).status_code == 202
        refused = await gateway.client.post(path, headers=bearer("alice"))
        body = _assert_429(refused, "1800")
        assert "regenerate" in body["detail"]
        clock.now += 1800
        assert (await gateway.client.post(path, headers=bearer("alice"))).status_code == 202


@dataclass
class _OpenStream:
    """An event stream whose first view has arrived. It holds its line iterator: an iterator
    that is garbage-collected closes its response, and with it the stream."""

    lines: AsyncIterator[str]
    context: Any

    async def close(self) -> None:
        await self.context.__aexit__(None, None, None)


async def _open_stream(client: httpx.AsyncClient, sid: str, headers: dict[str, str]) -> _OpenStream:
    context = client.stream("GET", f"/v1/sessions/{sid}/events", headers=headers)
    response = await context.__aenter__()
    assert response.status_code == 200, (await response.aread()).decode()
    lines = response.aiter_lines()
    while not (await anext(lines)).startswith("event: session"):
        pass
    return _OpenStream(lines, context)


async def _lease_count(pool: Any, user: str) -> int:
    count: int = await pool.fetchval(
        "SELECT count(*) FROM event_stream_leases WHERE user_id = $1", user
    )
    return count


async def _leases_are(pool: Any, user: str, count: int, *others: str) -> bool:
    """Whether ``user`` holds ``count`` event stream leases (and each of ``others`` none)."""
    held = [await _lease_count(pool, name) for name in (user, *others)]
    return held == [count] + [0] * len(others)


async def test_a_users_event_streams_beyond_the_limit_are_429(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    clock = FakeClock(T0)
    settings = gateway_settings(
        database_url, amqp_url, event_streams_per_user=2, event_stream_lease_s=60
    )
    app = create_app(settings, topology=topology, limits_clock=clock)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        alice = bearer("alice")
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        bob_sid = (
            await client.post("/v1/sessions", headers=bearer("bob"), **session_form())
        ).json()["id"]
        first = await _open_stream(client, sid, alice)
        second = await _open_stream(client, sid, alice)
        refused = await client.get(f"/v1/sessions/{sid}/events", headers=alice)
        body = _assert_429(refused, "60")
        assert "event streams" in body["detail"]
        bobs = await _open_stream(client, bob_sid, bearer("bob"))

        # A closed stream gives its slot back.
        await first.close()
        pool = app.state.gateway.pool
        await wait_until(
            lambda: _leases_are(pool, "alice", 1), message="the closed stream's lease given back"
        )
        third = await _open_stream(client, sid, alice)
        for open_stream in (second, third, bobs):
            await open_stream.close()
        await wait_until(
            lambda: _leases_are(pool, "alice", 0, "bob"), message="every lease given back"
        )

        # Slots held by a replica that died lapse with their lease, without a restart.
        for _ in range(2):
            await pool.execute(
                "INSERT INTO event_stream_leases (id, user_id, expires_at)"
                " VALUES (gen_random_uuid(), 'alice', $1)",
                clock.now + 60,
            )
        _assert_429(await client.get(f"/v1/sessions/{sid}/events", headers=alice), "60")
        clock.now += 60
        after = await _open_stream(client, sid, alice)
        await after.close()


async def test_an_open_stream_keeps_its_lease_alive(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    clock = FakeClock(T0)
    settings = gateway_settings(
        database_url, amqp_url, event_streams_per_user=1, event_stream_lease_s=3
    )
    app = create_app(settings, topology=topology, limits_clock=clock)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        alice = bearer("alice")
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        stream = await _open_stream(client, sid, alice)
        pool = app.state.gateway.pool
        lease = "SELECT expires_at FROM event_stream_leases WHERE user_id = 'alice'"
        assert await pool.fetchval(lease) == T0 + 3
        clock.now += 2  # past a third of the lease: the stream renews it at its next poll

        async def renewed() -> bool:
            return bool(await pool.fetchval(lease) == T0 + 5)

        await wait_until(renewed, message="the lease renewed")
        clock.now += 2  # the first lease would have lapsed; the renewed one holds
        # (renewed again meanwhile or not, so Retry-After is 1 or 3 s)
        _assert_429(await client.get(f"/v1/sessions/{sid}/events", headers=alice), None)
        await stream.close()


async def test_an_event_stream_ends_when_its_token_expires(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = gateway_settings(database_url, amqp_url, jwt_leeway_s=0)
    app = create_app(settings, topology=topology)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        # No worker answers: the session stays in parsing, and the stream stays open.
        created = await client.post("/v1/sessions", headers=bearer("alice"), **session_form())
        sid = created.json()["id"]
        token = mint_token(SECRET, "alice", ttl=timedelta(seconds=2))
        expires_at = jwt.decode(token, options={"verify_signature": False})["exp"]
        events: list[str] = []
        async with asyncio.timeout(15):
            async with client.stream(
                "GET",
                f"/v1/sessions/{sid}/events",
                headers={"Authorization": f"Bearer {token}"},
            ) as stream:
                assert stream.status_code == 200
                async for line in stream.aiter_lines():
                    if line.startswith("event: "):
                        events.append(line.removeprefix("event: "))
        ended = datetime.now(UTC).timestamp()
        assert events[0] == "session"
        assert events[-1] == "expired"
        assert expires_at - 0.5 <= ended < expires_at + 5
        await wait_until(
            lambda: _leases_are(app.state.gateway.pool, "alice", 0),
            message="the ended stream's lease given back",
        )


async def test_a_pool_with_no_connection_to_give_answers_503_instead_of_hanging(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = gateway_settings(
        database_url, amqp_url, db_pool_min=1, db_pool_max=1, db_acquire_timeout_s=0.3
    )
    async for gateway in start_gateway(settings, topology):
        async with gateway.state.pool.acquire(timeout=10):  # hold the only connection
            async with asyncio.timeout(10):
                response = await gateway.client.get("/v1/sessions", headers=bearer("alice"))
            assert response.status_code == 503
            assert response.headers["content-type"] == PROBLEM
            assert response.headers["retry-after"] == "1"
            assert response.json()["type"].endswith("/database-busy")
        after = await gateway.client.get("/v1/sessions", headers=bearer("alice"))
        assert after.status_code == 200


async def test_tokens_that_do_not_say_who_they_are_for_are_401(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    now = datetime.now(UTC)
    good = {
        "sub": "alice",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    variants = {
        "no iss": {k: v for k, v in good.items() if k != "iss"},
        "wrong iss": {**good, "iss": "elsewhere"},
        "no aud": {k: v for k, v in good.items() if k != "aud"},
        "wrong aud": {**good, "aud": "another-api"},
        "no exp": {k: v for k, v in good.items() if k != "exp"},
        "two days": {**good, "exp": now + timedelta(days=2)},
        "long sub": {**good, "sub": "a" * 256},
    }
    async for gateway in start_gateway(gateway_settings(database_url, amqp_url), topology):
        ok = jwt.encode(good, SECRET, "HS256")
        listed = await gateway.client.get("/v1/sessions", headers={"Authorization": f"Bearer {ok}"})
        assert listed.status_code == 200
        for name, claims in variants.items():
            token = jwt.encode(claims, SECRET, "HS256")
            response = await gateway.client.get(
                "/v1/sessions", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 401, name
            assert response.headers["content-type"] == PROBLEM, name
            assert response.headers["www-authenticate"].startswith("Bearer"), name
