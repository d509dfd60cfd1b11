"""``GET /v1/sessions/{id}/events``: the session view as Server-Sent Events, each time it changes.

The stream waits for its session to change: Postgres announces each change on commit and the
gateway's listener wakes the stream at once (``session_changes.Watch``). Woken, or when no word
came for a while (``safety_poll_s``: a lost announcement only delays a view), it reads the
session's ``updated_at`` and sends the full view whenever it moved. While the gateway is not
listening (Postgres away), it polls every ``poll_interval_s`` instead; without a watch at all it
only polls. Either way any replica sees every change, whichever one applied it.

It sends a comment line as a heartbeat so proxies keep the connection, and ends after the view
in which the session is completed or failed, when the session is deleted, when the client goes
away, or when the caller's credential no longer holds, with an ``expired`` event: the token or
browser session reached its end (a client reconnects with a fresh one), or the browser session
the stream was opened with was signed out (a reconnection is refused: sign in again).

Each open stream holds one of its user's stream slots (``limits.StreamSlots``): the stream
renews the slot's lease as it goes, and ``EventStreamResponse`` gives it back however the
response ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from careerflow_contracts.rest import SessionView
from careerflow_gateway.db import DATABASE_UNAVAILABLE
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.errors import SessionNotFound
from careerflow_gateway.limits import StreamSlot
from careerflow_gateway.session_changes import Watch
from careerflow_gateway.status import FINAL
from careerflow_gateway.views import get_session_view

log = logging.getLogger(__name__)


def sse_message(view: SessionView) -> str:
    """One ``session`` event carrying the view as JSON (one line, so one ``data:`` field)."""
    return f"event: session\nid: {view.updated_at.isoformat()}\ndata: {view.model_dump_json()}\n\n"


EXPIRED_MESSAGE = "event: expired\ndata: {}\n\n".format(
    json.dumps({"detail": "the token has expired; open a new stream with a fresh token"})
)
"""The last message of a stream whose token expired."""

SIGNED_OUT_MESSAGE = "event: expired\ndata: {}\n\n".format(
    json.dumps({"detail": "the browser session was signed out; sign in again"})
)
"""The last message of a stream whose browser session was signed out (or its account erased)."""


async def session_event_stream(
    pool: Pool,
    user_id: str,
    session_id: uuid.UUID,
    first: SessionView,
    *,
    is_disconnected: Callable[[], Awaitable[bool]],
    poll_interval_s: float,
    heartbeat_s: float,
    lifetime_s: float = math.inf,
    slot: StreamSlot | None = None,
    watch: Watch | None = None,
    safety_poll_s: float = 15.0,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncIterator[str]:
    """The SSE text of the stream, starting with ``first`` (read before the response began).

    ``lifetime_s`` is what is left of the caller's token: the stream ends then. ``watch``, held
    while the stream runs, wakes it when the session changes or the browser session it names
    ends; without one the stream polls every ``poll_interval_s``. ``clock`` is monotonic
    seconds (the loop's by default) and ``sleep`` waits where there is no watch; tests pass
    their own.
    """
    yield "retry: 2000\n\n"
    yield sse_message(first)
    last_seen: datetime = first.updated_at
    if first.status in FINAL:
        return
    with watch if watch is not None else contextlib.nullcontext():
        clock = clock or asyncio.get_running_loop().time
        browser_session = watch.browser_session if watch is not None else None
        last_sent = clock()
        ends_at = last_sent + lifetime_s
        while not await is_disconnected():
            if clock() >= ends_at:
                yield EXPIRED_MESSAGE
                return
            interval = safety_poll_s if watch is not None and watch.listening else poll_interval_s
            if slot is not None:
                interval = min(interval, slot.renew_every_s)
            wait_s = min(interval, ends_at - clock(), last_sent + heartbeat_s - clock())
            if watch is None:
                await sleep(wait_s)
            else:
                await watch.wait(wait_s)
            if clock() >= ends_at:
                yield EXPIRED_MESSAGE
                return
            if watch is not None and watch.signed_out:
                yield SIGNED_OUT_MESSAGE
                return
            if slot is not None:
                await slot.renew_if_due()
            view = None
            try:
                # Only a changed session is read in full; an unchanged one costs one indexed lookup
                # (two for a browser's stream: its browser session may have been signed out while
                # nobody listened for it).
                row = await pool.fetchrow(
                    "SELECT updated_at, $3::bytea IS NULL OR EXISTS"
                    " (SELECT 1 FROM browser_sessions WHERE id_digest = $3) AS signed_in"
                    " FROM sessions WHERE id = $1 AND user_id = $2",
                    session_id,
                    user_id,
                    browser_session,
                )
                if row is None:
                    return  # deleted meanwhile: nothing more will change
                if not row["signed_in"]:
                    yield SIGNED_OUT_MESSAGE
                    return
                if row["updated_at"] != last_seen:
                    view = await get_session_view(pool, session_id, user_id)
            except SessionNotFound:
                return  # deleted between the two reads
            except DATABASE_UNAVAILABLE as exc:
                log.warning("session events: database unavailable (%s)", type(exc).__name__)
            if view is not None and view.updated_at != last_seen:
                last_seen = view.updated_at
                last_sent = clock()
                yield sse_message(view)
                if view.status in FINAL:
                    return
            elif clock() - last_sent >= heartbeat_s:
                last_sent = clock()
                yield ": heartbeat\n\n"


class EventStreamResponse(StreamingResponse):
    """An event stream that gives its slot back however it ends: finished, the client gone,
    or the server stopping."""

    def __init__(self, content: AsyncIterator[str], slot: StreamSlot) -> None:
        super().__init__(
            content,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self._slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._slot.release()
