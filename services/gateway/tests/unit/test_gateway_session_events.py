"""The event stream's waits with an injected clock: woken by its watch, polling slowly while
changes are announced and quickly while they are not, and ended by a sign-out or when its token
does."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from careerflow_contracts.rest import Progress, SessionView
from careerflow_gateway.session_events import session_event_stream
from careerflow_testing.clock import FakeClock


class _Watch:
    """A watch whose waits pass on the clock: each lasts its whole timeout unless a sign-out
    is due at that wait."""

    def __init__(
        self, clock: FakeClock, *, listening: bool, signed_out_at_wait: int | None = None
    ) -> None:
        self.clock = clock
        self.listening = listening
        self.browser_session: bytes | None = b"\x01" * 32
        self.signed_out = False
        self.waits: list[float] = []
        self.held = False
        self._signed_out_at_wait = signed_out_at_wait

    async def wait(self, timeout_s: float) -> None:
        assert self.held, "the stream waits on a watch it does not hold"
        self.waits.append(timeout_s)
        if len(self.waits) == self._signed_out_at_wait:
            self.signed_out = True
            return
        self.clock.now += timeout_s

    def __enter__(self) -> _Watch:
        self.held = True
        return self

    def __exit__(self, *_exc: object) -> None:
        self.held = False


class _Session:
    """The stream's one query while nothing changes; ``signed_in`` as the database says."""

    def __init__(self, updated_at: datetime, *, signed_in: bool = True) -> None:
        self.updated_at = updated_at
        self.signed_in = signed_in
        self.queries: list[tuple[Any, ...]] = []

    async def fetchrow(self, *args: Any) -> dict[str, Any]:
        self.queries.append(args)
        return {"updated_at": self.updated_at, "signed_in": self.signed_in}


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


async def _connected() -> bool:
    return False


async def _messages(
    watch: _Watch | None,
    session: _Session,
    *,
    lifetime_s: float,
    clock: FakeClock,
    heartbeat_s: float = 15.0,
) -> list[str]:
    """The whole stream of a session that does not change; without a watch it sleeps on
    ``clock``."""
    first = _view()
    session.updated_at = first.updated_at
    stream = session_event_stream(
        session,  # type: ignore[arg-type]
        "alice",
        first.id,
        first,
        is_disconnected=_connected,
        poll_interval_s=1.0,
        safety_poll_s=10.0,
        heartbeat_s=heartbeat_s,
        lifetime_s=lifetime_s,
        watch=watch,  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,
    )
    return [message async for message in stream]


def _kinds(messages: list[str]) -> list[str]:
    return [message.split("\n", 1)[0] for message in messages]


async def test_while_changes_are_announced_the_stream_waits_for_them_and_polls_slowly() -> None:
    clock = FakeClock(100.0)
    watch = _Watch(clock, listening=True)
    session = _Session(datetime.now(UTC))
    messages = await _messages(watch, session, lifetime_s=25.0, clock=clock)
    # Woken by nothing, it looks every 10 s, and earlier when a heartbeat is due (at 15 s).
    assert watch.waits == [10.0, 5.0, 10.0]
    assert _kinds(messages) == ["retry: 2000", "event: session", ": heartbeat", "event: expired"]
    assert len(session.queries) == 2  # at 10 s and 15 s; at 25 s the token has ended
    assert not watch.held


async def test_while_nobody_announces_changes_the_stream_polls_at_the_poll_interval() -> None:
    clock = FakeClock(100.0)
    watch = _Watch(clock, listening=False)
    session = _Session(datetime.now(UTC))
    await _messages(watch, session, lifetime_s=3.0, clock=clock)
    assert watch.waits == [1.0, 1.0, 1.0]
    assert len(session.queries) == 2


async def test_an_announced_sign_out_ends_the_stream_without_a_query() -> None:
    clock = FakeClock(100.0)
    watch = _Watch(clock, listening=True, signed_out_at_wait=2)
    session = _Session(datetime.now(UTC))
    messages = await _messages(watch, session, lifetime_s=3600.0, clock=clock)
    assert _kinds(messages)[-1] == "event: expired"
    assert "signed out" in json.loads(messages[-1].split("data: ", 1)[1])["detail"]
    assert len(session.queries) == 1  # the first look only
    assert not watch.held


async def test_a_sign_out_nobody_announced_is_found_by_the_streams_query() -> None:
    clock = FakeClock(100.0)
    watch = _Watch(clock, listening=True)
    session = _Session(datetime.now(UTC), signed_in=False)
    messages = await _messages(watch, session, lifetime_s=3600.0, clock=clock)
    assert _kinds(messages) == ["retry: 2000", "event: session", "event: expired"]
    assert "signed out" in json.loads(messages[-1].split("data: ", 1)[1])["detail"]
    # The query asks about the stream's own browser session.
    assert session.queries[0][3] == b"\x01" * 32


async def test_a_stream_of_a_finished_session_sends_it_and_ends() -> None:
    clock = FakeClock(100.0)
    watch = _Watch(clock, listening=True)
    first = _view().model_copy(update={"status": "completed"})
    stream = session_event_stream(
        _Session(first.updated_at),  # type: ignore[arg-type]
        "alice",
        first.id,
        first,
        is_disconnected=_connected,
        poll_interval_s=1.0,
        heartbeat_s=15.0,
        watch=watch,  # type: ignore[arg-type]
        clock=clock,
    )
    assert _kinds([m async for m in stream]) == ["retry: 2000", "event: session"]
    assert watch.waits == [] and not watch.held


# --- an event stream ends with its token -----------------------------------------------------


async def test_an_event_stream_ends_when_its_token_expires() -> None:
    clock = FakeClock(100.0)
    session = _Session(datetime.now(UTC))
    messages = await _messages(None, session, lifetime_s=4.5, clock=clock, heartbeat_s=2.0)
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
    assert len(session.queries) == 4


async def test_an_event_stream_whose_token_has_expired_sends_only_the_first_view() -> None:
    clock = FakeClock(100.0)
    session = _Session(datetime.now(UTC))
    messages = await _messages(None, session, lifetime_s=0.0, clock=clock)
    assert _kinds(messages) == ["retry: 2000", "event: session", "event: expired"]
    assert len(session.queries) == 0 and clock.slept == []
