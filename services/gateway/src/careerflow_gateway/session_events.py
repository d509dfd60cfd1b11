"""``GET /v1/sessions/{id}/events``: the session view as Server-Sent Events, each time it changes.

The stream polls the session's ``updated_at`` (one short query per interval) and sends the full
view whenever it moved, a comment line as a heartbeat so proxies keep the connection, and ends
after the view in which the session is completed or failed, when the session is deleted, or
when the client goes away. Polling keeps the gateway stateless between replicas: any replica
sees every change, whichever one applied it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from careerflow_contracts.rest import SessionView
from careerflow_gateway.db import DATABASE_UNAVAILABLE
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.problems import Problem
from careerflow_gateway.views import get_session_view

log = logging.getLogger(__name__)

FINAL_STATUSES = frozenset({"completed", "failed"})


def sse_message(view: SessionView) -> str:
    """One ``session`` event carrying the view as JSON (one line, so one ``data:`` field)."""
    return f"event: session\nid: {view.updated_at.isoformat()}\ndata: {view.model_dump_json()}\n\n"


async def session_event_stream(
    pool: Pool,
    user_id: str,
    session_id: uuid.UUID,
    first: SessionView,
    *,
    is_disconnected: Callable[[], Awaitable[bool]],
    poll_interval_s: float,
    heartbeat_s: float,
) -> AsyncIterator[str]:
    """The SSE text of the stream, starting with ``first`` (read before the response began)."""
    yield "retry: 2000\n\n"
    yield sse_message(first)
    last_seen: datetime = first.updated_at
    if first.status in FINAL_STATUSES:
        return
    loop = asyncio.get_running_loop()
    last_sent = loop.time()
    while not await is_disconnected():
        await asyncio.sleep(poll_interval_s)
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
            last_sent = loop.time()
            yield sse_message(view)
            if view.status in FINAL_STATUSES:
                return
        elif loop.time() - last_sent >= heartbeat_s:
            last_sent = loop.time()
            yield ": heartbeat\n\n"
