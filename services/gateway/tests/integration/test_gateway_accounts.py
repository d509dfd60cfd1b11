"""Browser accounts through the real app on real Postgres: sign up, sign in (rate-limited), sign
out, the session cookie beside bearer tokens, the CSRF rule, and erasing an account with
everything in it.

Each test drives the gateway as a browser would: an httpx client over ``https`` (Secure cookies
travel only there) that keeps the cookies the gateway sets and sends them back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from gateway_testkit import (
    PROBLEM,
    T0,
    Gateway,
    WorkerDouble,
    bearer,
    gateway_settings,
    live_server,
    session_form,
    start_gateway,
)

from careerflow_gateway.accounts import rate_key
from careerflow_gateway.app import create_app
from careerflow_messaging import Topology
from careerflow_testing.clock import FakeClock
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]

PASSWORD = "a long enough passphrase"
SESSION_COOKIE = "careerflow_session"
CSRF_COOKIE = "careerflow_csrf"


@asynccontextmanager
async def browser(
    gateway: Gateway, address: str = "203.0.113.7"
) -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies, as a browser at ``address`` would."""
    transport = httpx.ASGITransport(app=gateway.app, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://gateway") as client:
        yield client


def set_cookies(response: httpx.Response) -> dict[str, dict[str, str]]:
    """Each ``Set-Cookie`` of ``response`` by name: its value and attributes (lower-case)."""
    cookies: dict[str, dict[str, str]] = {}
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = first.partition("=")
        cookies[name] = {"value": value.strip('"')}
        for attribute in attributes:
            key, _, setting = attribute.partition("=")
            cookies[name][key.lower()] = setting
    return cookies


def csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies[CSRF_COOKIE]}


async def sign_up(
    client: httpx.AsyncClient, email: str = "Ada.Lovelace@Example.ORG", password: str = PASSWORD
) -> dict[str, Any]:
    response = await client.post("/v1/auth/signup", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    account: dict[str, Any] = response.json()
    return account


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
async def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
async def accounts_gateway(
    database_url: str, amqp_url: str, topology: Topology, clock: FakeClock
) -> AsyncIterator[Gateway]:
    settings = gateway_settings(
        database_url, amqp_url, signup_address_limit=100, signin_address_limit=100
    )
    async for running in start_gateway(settings, topology, limits_clock=clock):
        yield running


# --- sign up, me, cookies --------------------------------------------------------------------


async def test_signup_creates_the_account_and_sets_the_cookie_pair(
    accounts_gateway: Gateway,
) -> None:
    async with browser(accounts_gateway) as client:
        response = await client.post(
            "/v1/auth/signup", json={"email": " Ada.Lovelace@Example.ORG ", "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        account = response.json()
        assert account["email"] == "ada.lovelace@example.org"  # normalised: trimmed, lower case
        assert set(account) == {"id", "email"}

        cookies = set_cookies(response)
        session, token = cookies[SESSION_COOKIE], cookies[CSRF_COOKIE]
        assert len(session["value"]) >= 43 and len(token["value"]) >= 43
        assert session["value"] != token["value"]
        week = str(7 * 24 * 3600)
        # The session: HttpOnly, SameSite=Lax, Path=/, Secure outside development.
        assert {key: session.get(key) for key in ("httponly", "samesite", "path", "secure")} == {
            "httponly": "",
            "samesite": "lax",
            "path": "/",
            "secure": "",
        }
        assert session["max-age"] == week
        # The CSRF token: readable by the page's script, SameSite=Strict.
        assert "httponly" not in token
        assert (token["samesite"], token["path"], token.get("secure")) == ("strict", "/", "")
        assert token["max-age"] == week

        me = await client.get("/v1/auth/me")
        assert me.status_code == 200, me.text
        assert me.json() == account

    # Nothing of the password is kept but its argon2id hash.
    stored = await accounts_gateway.state.pool.fetchrow(
        "SELECT email, password_hash FROM users WHERE id = $1::uuid", account["id"]
    )
    assert stored["email"] == "ada.lovelace@example.org"
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in stored["password_hash"]
    # The session's id is kept only as a digest.
    rows = await accounts_gateway.state.pool.fetch("SELECT * FROM browser_sessions")
    assert len(rows) == 1
    assert session["value"] not in str(dict(rows[0]))
    assert token["value"] not in str(dict(rows[0]))


async def test_in_development_the_cookies_are_not_secure(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = gateway_settings(database_url, amqp_url, environment="development")
    async for running in start_gateway(settings, topology):
        async with browser(running) as client:
            response = await client.post(
                "/v1/auth/signup", json={"email": "dev@example.org", "password": PASSWORD}
            )
            assert response.status_code == 201
            cookies = set_cookies(response)
            assert "secure" not in cookies[SESSION_COOKIE]
            assert "secure" not in cookies[CSRF_COOKIE]
            assert cookies[SESSION_COOKIE]["samesite"] == "lax"


async def test_an_email_taken_in_any_case_is_409(accounts_gateway: Gateway) -> None:
    async with browser(accounts_gateway) as client:
        await sign_up(client, "grace@example.org")
        again = await client.post(
            "/v1/auth/signup", json={"email": "GRACE@Example.org", "password": PASSWORD + "x"}
        )
    body = _problem(again, 409)
    assert body["type"].endswith("/email-taken")
    assert set_cookies(again) == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ada@example.org", "password": "too short"}, "password"),
        ({"email": "ada@example.org", "password": "x" * 257}, "password"),
        ({"email": "ada@example.org", "password": "twelve chars\x00"}, "password"),
        ({"email": "not an email", "password": PASSWORD}, "email"),
        ({"email": "ada@", "password": PASSWORD}, "email"),
        ({"email": "a" * 250 + "@example.org", "password": PASSWORD}, "email"),
        ({"password": PASSWORD}, "email"),
    ],
)
async def test_a_bad_signup_is_422_naming_the_field_and_never_echoing_it(
    accounts_gateway: Gateway, body: dict[str, str], field: str
) -> None:
    async with browser(accounts_gateway) as client:
        response = await client.post("/v1/auth/signup", json=body)
    problem = _problem(response, 422)
    assert [param["name"] for param in problem["invalid_params"]] == [field]
    if "password" in body:
        assert body["password"] not in response.text


async def test_me_without_a_cookie_is_401(accounts_gateway: Gateway) -> None:
    async with browser(accounts_gateway) as client:
        _problem(await client.get("/v1/auth/me"), 401)


# --- sign in and its limits ----------------------------------------------------------------


async def test_signin_with_the_right_pair_sets_new_cookies_and_a_wrong_one_is_401(
    accounts_gateway: Gateway,
) -> None:
    async with browser(accounts_gateway) as first:
        account = await sign_up(first, "ada@example.org")
    async with browser(accounts_gateway) as client:
        wrong = await client.post(
            "/v1/auth/signin", json={"email": "ada@example.org", "password": PASSWORD + "?"}
        )
        unknown = await client.post(
            "/v1/auth/signin", json={"email": "nobody@example.org", "password": PASSWORD}
        )
        # The two refusals say the same thing: which emails have accounts is not told.
        assert _problem(wrong, 401)["detail"] == _problem(unknown, 401)["detail"]
        assert set_cookies(wrong) == {} and set_cookies(unknown) == {}
        _problem(await client.get("/v1/auth/me"), 401)

        right = await client.post(
            "/v1/auth/signin", json={"email": "ADA@example.org", "password": PASSWORD}
        )
        assert right.status_code == 200, right.text
        assert right.json() == account
        assert {SESSION_COOKIE, CSRF_COOKIE} <= set(set_cookies(right))
        assert (await client.get("/v1/auth/me")).json() == account


async def test_signin_attempts_per_email_are_rate_limited_with_retry_after(
    database_url: str, amqp_url: str, topology: Topology, clock: FakeClock
) -> None:
    settings = gateway_settings(
        database_url,
        amqp_url,
        signin_email_limit=3,
        signin_email_window_s=900,
        signin_address_limit=100,
    )
    async for running in start_gateway(settings, topology, limits_clock=clock):
        async with browser(running, "198.51.100.1") as client:
            await sign_up(client, "ada@example.org")
        attempt = {"email": "ada@example.org", "password": "not the password"}
        # Each attempt from another address: the email's own limit is the one that bites.
        for n in range(3):
            async with browser(running, f"198.51.100.{10 + n}") as client:
                _problem(await client.post("/v1/auth/signin", json=attempt), 401)
        async with browser(running, "198.51.100.20") as client:
            limited = await client.post(
                "/v1/auth/signin", json={"email": "Ada@Example.org", "password": PASSWORD}
            )
            body = _problem(limited, 429)
            assert limited.headers["retry-after"] == "300"  # 3 per 900 s: one back every 300 s
            assert "ada@example.org" not in body["detail"]
            assert set_cookies(limited) == {}
            # Another email is not limited by this one's attempts.
            other = {"email": "grace@example.org", "password": PASSWORD}
            _problem(await client.post("/v1/auth/signin", json=other), 401)

            clock.now += 300  # one attempt has come back
            right = {"email": "ada@example.org", "password": PASSWORD}
            assert (await client.post("/v1/auth/signin", json=right)).status_code == 200
            _problem(await client.post("/v1/auth/signin", json=right), 429)


async def test_signin_attempts_per_client_address_are_rate_limited(
    database_url: str, amqp_url: str, topology: Topology, clock: FakeClock
) -> None:
    settings = gateway_settings(
        database_url,
        amqp_url,
        signin_address_limit=4,
        signin_address_window_s=3600,
        signup_address_limit=100,
    )
    async for running in start_gateway(settings, topology, limits_clock=clock):
        async with browser(running, "192.0.2.1") as attacker:
            for n in range(4):
                attempt = {"email": f"user{n}@example.org", "password": PASSWORD}
                _problem(await attacker.post("/v1/auth/signin", json=attempt), 401)
            attempt = {"email": "user9@example.org", "password": PASSWORD}
            limited = await attacker.post("/v1/auth/signin", json=attempt)
            _problem(limited, 429)
            assert limited.headers["retry-after"] == "900"
        # Another address is not limited by this one's attempts.
        async with browser(running, "192.0.2.2") as other:
            _problem(await other.post("/v1/auth/signin", json=attempt), 401)
        # IPv6 clients are counted by their /64: one host has a whole /64 to move around in.
        for host in (
            "2001:db8:1:2::1",
            "2001:db8:1:2::2",
            "2001:db8:1:2:ffff::9",
            "2001:db8:1:2::3",
        ):
            async with browser(running, host) as client:
                _problem(await client.post("/v1/auth/signin", json=attempt), 401)
        async with browser(running, "2001:db8:1:2::77") as client:
            _problem(await client.post("/v1/auth/signin", json=attempt), 429)
        async with browser(running, "2001:db8:1:3::1") as client:
            _problem(await client.post("/v1/auth/signin", json=attempt), 401)


async def test_signups_per_client_address_are_rate_limited(
    database_url: str, amqp_url: str, topology: Topology, clock: FakeClock
) -> None:
    settings = gateway_settings(
        database_url, amqp_url, signup_address_limit=2, signup_address_window_s=3600
    )
    async for running in start_gateway(settings, topology, limits_clock=clock):
        async with browser(running, "192.0.2.5") as client:
            await sign_up(client, "one@example.org")
            await sign_up(client, "two@example.org")
            limited = await client.post(
                "/v1/auth/signup", json={"email": "three@example.org", "password": PASSWORD}
            )
            _problem(limited, 429)
            assert limited.headers["retry-after"] == "1800"
        rows = await running.state.pool.fetchval("SELECT count(*) FROM users")
        assert rows == 2


# --- sign out and expiry ---------------------------------------------------------------------


async def test_signout_revokes_the_session_so_the_old_cookie_no_longer_works(
    accounts_gateway: Gateway,
) -> None:
    async with browser(accounts_gateway) as client:
        await sign_up(client)
        old = {
            SESSION_COOKIE: client.cookies[SESSION_COOKIE],
            CSRF_COOKIE: client.cookies[CSRF_COOKIE],
        }
        headers = csrf(client)
        _problem(await client.post("/v1/auth/signout"), 403)  # unsafe: needs the CSRF header
        response = await client.post("/v1/auth/signout", headers=headers)
        assert response.status_code == 204, response.text
        cleared = set_cookies(response)
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            assert cleared[name]["max-age"] == "0"
            assert cleared[name]["path"] == "/"
        assert SESSION_COOKIE not in client.cookies

    assert await accounts_gateway.state.pool.fetchval("SELECT count(*) FROM browser_sessions") == 0
    async with browser(accounts_gateway) as replay:
        # Someone who kept a copy of the cookie gets nothing with it.
        replay.cookies.update(old)
        _problem(await replay.get("/v1/auth/me"), 401)
        _problem(await replay.get("/v1/sessions"), 401)
        _problem(await replay.post("/v1/auth/signout", headers=headers), 401)


async def test_a_session_expires_after_its_lifetime(
    accounts_gateway: Gateway, clock: FakeClock
) -> None:
    async with browser(accounts_gateway) as client:
        await sign_up(client)
        clock.now += 7 * 24 * 3600 - 1
        assert (await client.get("/v1/auth/me")).status_code == 200
        clock.now += 1
        _problem(await client.get("/v1/auth/me"), 401)
        _problem(await client.get("/v1/sessions"), 401)


async def test_a_made_up_cookie_is_401(accounts_gateway: Gateway) -> None:
    async with browser(accounts_gateway) as client:
        client.cookies.set(SESSION_COOKIE, "A" * 43)
        _problem(await client.get("/v1/auth/me"), 401)
        _problem(await client.get("/v1/sessions"), 401)
        client.cookies.set(SESSION_COOKIE, "not the shape of a session id")
        _problem(await client.get("/v1/sessions"), 401)


# --- the cookie on the interview routes, and CSRF ------------------------------------------


async def test_interviews_work_with_the_cookie_and_unsafe_requests_need_the_csrf_header(
    accounts_gateway: Gateway, workers: WorkerDouble
) -> None:
    del workers
    async with browser(accounts_gateway) as client:
        account = await sign_up(client)
        # Without the header, or with a wrong one: 403, and nothing is created.
        _problem(await client.post("/v1/sessions", **session_form()), 403)
        wrong = {"X-CSRF-Token": "x" * 43}
        _problem(await client.post("/v1/sessions", headers=wrong, **session_form()), 403)
        assert (await client.get("/v1/sessions")).json()["items"] == []

        created = await client.post("/v1/sessions", headers=csrf(client), **session_form())
        assert created.status_code == 202, created.text
        sid = created.json()["id"]
        # The interview belongs to the account: its id is the owner.
        owner = await accounts_gateway.state.pool.fetchval(
            "SELECT user_id FROM sessions WHERE id = $1::uuid", sid
        )
        assert owner == account["id"]
        view = await _wait_for(client, sid, "ready")

        answer = {"question_id": view["questions"][0]["id"], "text": "My answer."}
        _problem(await client.post(f"/v1/sessions/{sid}/answers", json=answer), 403)
        accepted = await client.post(
            f"/v1/sessions/{sid}/answers", json=answer, headers=csrf(client)
        )
        assert accepted.status_code == 202, accepted.text
        _problem(await client.delete(f"/v1/sessions/{sid}"), 403)
        assert (await client.get(f"/v1/sessions/{sid}")).status_code == 200
        deleted = await client.delete(f"/v1/sessions/{sid}", headers=csrf(client))
        assert deleted.status_code == 204
        _problem(await client.get(f"/v1/sessions/{sid}"), 404)


async def test_bearer_tokens_keep_working_without_csrf_and_decide_when_sent(
    accounts_gateway: Gateway,
) -> None:
    created = await accounts_gateway.client.post(
        "/v1/sessions", headers=bearer("script"), **session_form()
    )
    assert created.status_code == 202, created.text
    async with browser(accounts_gateway) as client:
        await sign_up(client)
        # A bearer header is judged alone, cookie or not: an invalid one is 401.
        bad = {"Authorization": "Bearer not-a-token", **csrf(client)}
        _problem(await client.get("/v1/sessions", headers=bad), 401)
        # A valid one acts as its subject, with no CSRF header needed.
        mine = await client.get("/v1/sessions", headers=bearer("script"))
        assert [item["id"] for item in mine.json()["items"]] == [created.json()["id"]]
        regenerate = await client.post(
            f"/v1/sessions/{created.json()['id']}/regenerate", headers=bearer("script")
        )
        # Past authentication and CSRF: the session is still being read, so it is too early.
        assert _problem(regenerate, 409)["type"].endswith("/cannot-regenerate")


async def test_the_event_stream_works_with_the_cookie(
    database_url: str, amqp_url: str, topology: Topology
) -> None:
    settings = gateway_settings(database_url, amqp_url)
    app = create_app(settings, topology=topology)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        signup = await client.post(
            "/v1/auth/signup", json={"email": "ada@example.org", "password": PASSWORD}
        )
        assert signup.status_code == 201
        cookies = {name: info["value"] for name, info in set_cookies(signup).items()}
        cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        created = await client.post(
            "/v1/sessions",
            headers={"Cookie": cookie_header, "X-CSRF-Token": cookies[CSRF_COOKIE]},
            **session_form(),
        )
        assert created.status_code == 202, created.text
        sid = created.json()["id"]
        async with client.stream(
            "GET", f"/v1/sessions/{sid}/events", headers={"Cookie": cookie_header}
        ) as stream:
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            async with asyncio.timeout(10):
                while not (line := await anext(lines)).startswith("data:"):
                    pass
            assert sid in line


# --- erasing an account ----------------------------------------------------------------------


async def _wait_for(client: httpx.AsyncClient, sid: str, status: str) -> dict[str, Any]:
    async def view_at_status() -> dict[str, Any] | None:
        view: dict[str, Any] = (await client.get(f"/v1/sessions/{sid}")).json()
        return view if view.get("status") == status else None

    return await wait_until(view_at_status, timeout_s=15, message=f"session {sid} {status}")


async def _rows_mentioning(conn: Any, needles: list[str]) -> dict[str, int]:
    """Rows of every table whose text contains any of ``needles``, by table."""
    tables = await conn.fetch(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        " AND table_name <> 'alembic_version'"
    )
    patterns = [f"%{needle}%" for needle in needles]
    found = {}
    for (table,) in tables:
        count = await conn.fetchval(
            f'SELECT count(*) FROM "{table}" AS t WHERE t::text ILIKE ANY($1::text[])', patterns
        )
        if count:
            found[table] = count
    return found


async def test_deleting_the_account_erases_it_and_every_interview_in_it(
    accounts_gateway: Gateway, workers: WorkerDouble
) -> None:
    del workers
    email = "erase.me@example.org"
    async with browser(accounts_gateway, "192.0.2.50") as other:
        await sign_up(other, "keep.me@example.org")
        kept = await other.post("/v1/sessions", headers=csrf(other), **session_form())
        assert kept.status_code == 202
    async with browser(accounts_gateway, "192.0.2.51") as client:
        account = await sign_up(client, email)
        await client.post("/v1/auth/signin", json={"email": email, "password": PASSWORD})
        sids = []
        for _ in range(2):
            created = await client.post("/v1/sessions", headers=csrf(client), **session_form())
            assert created.status_code == 202
            sids.append(created.json()["id"])
        view = await _wait_for(client, sids[0], "ready")
        answer = {"question_id": view["questions"][0]["id"], "text": "An answer of mine."}
        await client.post(f"/v1/sessions/{sids[0]}/answers", json=answer, headers=csrf(client))

        async def evaluated() -> bool:
            view = (await client.get(f"/v1/sessions/{sids[0]}")).json()
            return bool(view["questions"][0]["answer"]["evaluation"])

        await wait_until(evaluated, timeout_s=15, message="the answer evaluated")
        await _wait_for(client, sids[1], "ready")

        pool = accounts_gateway.state.pool
        email_key = rate_key("signin_email", email, accounts_gateway.settings)
        needles = [account["id"], email, email_key, *sids]
        async with pool.acquire() as conn:
            before = await _rows_mentioning(conn, needles)
        # The search sees the account everywhere it is kept, so it would see what is left.
        assert {"users", "browser_sessions", "sessions", "questions", "answers", "evaluations"} <= (
            set(before)
        )
        assert {"outbox", "inbox", "rate_buckets"} <= set(before)

        _problem(await client.delete("/v1/auth/me"), 403)  # unsafe: needs the CSRF header
        old_cookie = client.cookies[SESSION_COOKIE]
        erased = await client.delete("/v1/auth/me", headers=csrf(client))
        assert erased.status_code == 204, erased.text
        cleared = set_cookies(erased)
        assert cleared[SESSION_COOKIE]["max-age"] == "0"
        assert cleared[CSRF_COOKIE]["max-age"] == "0"

        async with pool.acquire() as conn:
            assert await _rows_mentioning(conn, needles) == {}
            # The other account and its interview are untouched.
            assert await conn.fetchval("SELECT count(*) FROM users") == 1
            assert (
                await conn.fetchval(
                    "SELECT count(*) FROM sessions WHERE id = $1::uuid", kept.json()["id"]
                )
                == 1
            )

        client.cookies.set(SESSION_COOKIE, old_cookie)
        _problem(await client.get("/v1/auth/me"), 401)
        # The email is free again.
        again = await client.post("/v1/auth/signup", json={"email": email, "password": PASSWORD})
        assert again.status_code == 201
        assert again.json()["id"] != account["id"]


# --- the request guard -------------------------------------------------------------------------


async def test_signup_and_signin_pass_the_guard_with_a_small_body_bound(
    accounts_gateway: Gateway,
) -> None:
    async with browser(accounts_gateway) as client:
        big = {"email": "ada@example.org", "password": PASSWORD, "padding": "x" * 8192}
        for path in ("/v1/auth/signup", "/v1/auth/signin"):
            _problem(await client.post(path, json=big), 413)
    assert await accounts_gateway.state.pool.fetchval("SELECT count(*) FROM users") == 0


async def test_a_cross_site_form_cannot_sign_anyone_in(accounts_gateway: Gateway) -> None:
    # A form on another site can POST text/plain that looks like JSON, but not application/json
    # (that needs a CORS preflight this gateway never grants): such a body is not read as JSON.
    async with browser(accounts_gateway) as client:
        await sign_up(client, "ada@example.org")
    async with browser(accounts_gateway) as victim:
        forged = await victim.post(
            "/v1/auth/signin",
            content=f'{{"email": "ada@example.org", "password": "{PASSWORD}"}}',
            headers={"Content-Type": "text/plain"},
        )
        _problem(forged, 422)
        assert set_cookies(forged) == {}


async def test_no_email_or_password_reaches_the_logs(
    accounts_gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    email, password = "private.person@example.org", "my very private passphrase"
    caplog.set_level(logging.DEBUG)
    async with browser(accounts_gateway) as client:
        await sign_up(client, email, password)
        await client.post("/v1/auth/signin", json={"email": email, "password": password + "x"})
        await client.post("/v1/auth/signin", json={"email": email, "password": password})
        await client.post("/v1/auth/signup", json={"email": email, "password": "short"})
        await client.post("/v1/auth/signup", json={"email": email, "password": password})
        assert (await client.delete("/v1/auth/me", headers=csrf(client))).status_code == 204
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "account" in logged  # the gateway does log what happened, by account id
    assert email not in logged.lower() and "private.person" not in logged
    assert "private passphrase" not in logged
