"""``GET /v1/sessions/{id}/events``: the session view as Server-Sent Events, each time it changes.

The stream polls the session's ``updated_at`` (one short query per interval) and sends the full
view whenever it moved, a comment line as a heartbeat so proxies keep the connection, and ends
after the view in which the session is completed or failed, when the session is deleted, when
the client goes away, or when the caller's token expires (with an ``expired`` event: a client
reconnects with a fresh token). Polling keeps the gateway stateless between replicas: any
replica sees every change, whichever one applied it.

Each open stream holds one of its user's stream slots (``limits.StreamSlots``): the stream
renews the slot's lease as it polls, and ``EventStreamResponse`` gives it back however the
response ends.
"""

from __future__ import annotations

import asyncio
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
from careerflow_gateway.limits import StreamSlot
from careerflow_gateway.problems import Problem
from careerflow_gateway.views import get_session_view

log = logging.getLogger(__name__)

FINAL_STATUSES = frozenset({"completed", "failed"})


def sse_message(view: SessionView) -> str:
    """One ``session`` event carrying the view as JSON (one line, so one ``data:`` field)."""
    return f"event: session\nid: {view.updated_at.isoformat()}\ndata: {view.model_dump_json()}\n\n"


EXPIRED_MESSAGE = "event: expired\ndata: {}\n\n".format(
    json.dumps({"detail": "the token has expired; open a new stream with a fresh token"})
)
"""The last message of a stream whose token expired."""


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
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncIterator[str]:
    """The SSE text of the stream, starting with ``first`` (read before the response began).

    ``lifetime_s`` is what is left of the caller's token: the stream ends then. ``clock`` is
    monotonic seconds (the loop's by default) and ``sleep`` waits; tests pass their own.
    """
    yield "retry: 2000\n\n"
    yield sse_message(first)
    last_seen: datetime = first.updated_at
    if first.status in FINAL_STATUSES:
        return
    clock = clock or asyncio.get_running_loop().time
    last_sent = clock()
    ends_at = last_sent + lifetime_s
    while not await is_disconnected():
        if clock() >= ends_at:
            yield EXPIRED_MESSAGE
            return
        await sleep(min(poll_interval_s, ends_at - clock()))
        if clock() >= ends_at:
            yield EXPIRED_MESSAGE
            return
        if slot is not None:
            await slot.renew_if_due()
        view = None
        try:
            # Only a changed session is read in full; an unchanged one costs one indexed lookup.
            updated_at = await pool.fetchval(
                "SELECT updated_at FROM sessions WHERE id = $1 AND user_id = $2",
                session_id,
                user_id,
            )
            if updated_at is None:
                return  # deleted meanwhile: nothing more will change
            if updated_at != last_seen:
                view = await get_session_view(pool, session_id, user_id)
        except Problem:
            return  # deleted between the two reads
        except DATABASE_UNAVAILABLE as exc:
            log.warning("session events: database unavailable (%s)", type(exc).__name__)
        if view is not None and view.updated_at != last_seen:
            last_seen = view.updated_at
            last_sent = clock()
            yield sse_message(view)
            if view.status in FINAL_STATUSES:
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
