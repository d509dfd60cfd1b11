"""Abuse limits with an injected clock: token buckets, the 429 they answer, and event streams
that end when their token does."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from careerflow_contracts.rest import Progress, SessionView
from careerflow_gateway.limits import Bucket, Rate, take, too_many_requests
from careerflow_gateway.problems import PROBLEM_JSON, problem_response
from careerflow_gateway.session_events import session_event_stream

T0 = 1_900_000_000.0
THREE_A_MINUTE = Rate(limit=3, window_s=60.0)


def _spend_all(rate: Rate, now: float) -> Bucket:
    bucket = Bucket.full(rate, now)
    for _ in range(rate.limit):
        bucket, wait_s = take(bucket, rate, now)
        assert wait_s == 0.0
    return bucket


def test_a_bucket_allows_its_limit_then_says_when_the_next_one_is_allowed() -> None:
    bucket = _spend_all(THREE_A_MINUTE, T0)
    refused, wait_s = take(bucket, THREE_A_MINUTE, T0)
    assert wait_s == pytest.approx(20.0)  # one action every 60 / 3 seconds
    assert refused.tokens == pytest.approx(0.0)  # a refusal spends nothing
    _, still = take(refused, THREE_A_MINUTE, T0 + 19.0)
    assert still == pytest.approx(1.0)
    allowed, wait_s = take(refused, THREE_A_MINUTE, T0 + 20.0)
    assert wait_s == 0.0
    _, again = take(allowed, THREE_A_MINUTE, T0 + 20.0)
    assert again == pytest.approx(20.0)


def test_a_rested_bucket_holds_no_more_than_its_limit() -> None:
    bucket = _spend_all(THREE_A_MINUTE, T0)
    rested = Bucket(bucket.tokens, bucket.counted_at)
    allowed = 0
    now = T0 + 24 * 3600.0
    while True:
        rested, wait_s = take(rested, THREE_A_MINUTE, now)
        if wait_s:
            break
        allowed += 1
    assert allowed == 3


def test_a_clock_that_went_back_refills_nothing() -> None:
    # Replicas' clocks differ a little: a bucket last counted "in the future" is not refilled.
    bucket = _spend_all(THREE_A_MINUTE, T0)
    behind, wait_s = take(bucket, THREE_A_MINUTE, T0 - 5.0)
    assert wait_s == pytest.approx(20.0)
    assert behind.tokens == pytest.approx(0.0)


def test_too_many_requests_is_a_429_problem_with_retry_after_in_whole_seconds() -> None:
    response = problem_response(too_many_requests("new sessions", THREE_A_MINUTE, 19.2))
    assert response.status_code == 429
    assert response.media_type == PROBLEM_JSON
    assert response.headers["Retry-After"] == "20"  # rounded up, never early
    body = json.loads(bytes(response.body))
    assert body["type"].endswith("/too-many-requests")
    assert body["status"] == 429
    assert "new sessions" in body["detail"] and "at most 3 per minute" in body["detail"]
    soon = problem_response(too_many_requests("new sessions", THREE_A_MINUTE, 0.01))
    assert soon.headers["Retry-After"] == "1"


# --- an event stream ends with its token -----------------------------------------------------


class _Clock:
    """Monotonic time that moves only when the stream sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class _UnchangingSession:
    """The one query a stream makes while nothing changes: the session's ``updated_at`` (and
    whether its browser session still holds)."""

    def __init__(self, updated_at: datetime) -> None:
        self.updated_at = updated_at
        self.polls = 0

    async def fetchrow(self, *_args: Any) -> dict[str, Any]:
        self.polls += 1
        return {"updated_at": self.updated_at, "signed_in": True}


def _view() -> SessionView:
    at = datetime(2030, 1, 1, tzinfo=UTC)
    return SessionView(
        id=uuid.uuid4(),
        status="generating",
        target_role="Backend Engineer",
        created_at=at,
        updated_at=at,
        progress=Progress(answered=0, evaluated=0, total=0),
    )


async def _never() -> bool:
    return False


async def test_an_event_stream_ends_when_its_token_expires() -> None:
    clock = _Clock()
    first = _view()
    pool = _UnchangingSession(first.updated_at)
    stream = session_event_stream(
        pool,  # type: ignore[arg-type]
        "alice",
        first.id,
        first,
        is_disconnected=_never,
        poll_interval_s=1.0,
        heartbeat_s=2.0,
        lifetime_s=4.5,
        clock=clock,
        sleep=clock.sleep,
    )
    messages = [message async for message in stream]
    assert messages[0].startswith("retry:")
    assert messages[1].startswith("event: session\n")
    assert messages[2:4] == [": heartbeat\n\n", ": heartbeat\n\n"]
    assert messages[-1].startswith("event: expired\n")
    data = json.loads(messages[-1].split("data: ", 1)[1])
    assert "token" in data["detail"]
    assert len(messages) == 5
    # It ended at the token's expiry, not at the next poll after it.
    assert clock.now == pytest.approx(100.0 + 4.5)
    assert clock.slept[-1] == pytest.approx(0.5)
    assert pool.polls == 4


async def test_an_event_stream_whose_token_has_expired_sends_only_the_first_view() -> None:
    clock = _Clock()
    first = _view()
    pool = _UnchangingSession(first.updated_at)
    stream = session_event_stream(
        pool,  # type: ignore[arg-type]
        "alice",
        first.id,
        first,
        is_disconnected=_never,
        poll_interval_s=1.0,
        heartbeat_s=15.0,
        lifetime_s=0.0,
        clock=clock,
        sleep=clock.sleep,
    )
    messages = [message async for message in stream]
    assert [m.split("\n", 1)[0] for m in messages] == [
        "retry: 2000",
        "event: session",
        "event: expired",
    ]
    assert pool.polls == 0 and clock.slept == []
