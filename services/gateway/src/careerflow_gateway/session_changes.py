"""Changes Postgres announces (LISTEN/NOTIFY), handed to the event streams that wait for them.

Migration 0008's triggers send, when a transaction commits, ``careerflow_session_changed`` with
a session's id (its row updated or deleted) and ``careerflow_browser_session_ended`` with the
hex SHA-256 digest of a browser session's id (its row deleted: signed out, account erased, or
purged past its end). ``SessionChanges`` listens on one connection of its own per gateway
process, not one per stream (each connection is a Postgres backend), and wakes the streams of
this process that watch that id (``Watch``).

A notification is a hint, not the news: a woken stream reads the session as it did when it
polled. So a lost notification only delays a view, never corrupts one, and the streams keep a
slow poll as a safety net (``GATEWAY_SSE_SAFETY_POLL_S``). While the listening connection is
down (Postgres restarting, the network), ``listening`` is false and the streams poll at
``GATEWAY_SSE_POLL_INTERVAL_S`` instead; the connection is opened again every ``reconnect_s``,
and every stream is woken when it is lost and when it is back, so each one looks at once for
whatever changed while nobody listened. A connection that still looks open but no longer
answers is found by a ``SELECT 1`` every ``check_s``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from careerflow_gateway.db import DATABASE_UNAVAILABLE

log = logging.getLogger(__name__)

_NOT_LISTENING: tuple[type[BaseException], ...] = (*DATABASE_UNAVAILABLE, asyncpg.PostgresError)

SESSION_CHANGED = "careerflow_session_changed"
BROWSER_SESSION_ENDED = "careerflow_browser_session_ended"

Connect = Callable[[str], Awaitable["asyncpg.Connection[Any]"]]


class Watch:
    """What one event stream waits for: a change of its session, or the end of the browser
    session it was opened with. Made by ``SessionChanges.watch``; a ``with`` block holds it."""

    def __init__(
        self, changes: SessionChanges, session_id: uuid.UUID, browser_session: bytes | None
    ) -> None:
        self._changes = changes
        self.session_id = session_id
        self.browser_session = browser_session
        self._woken = asyncio.Event()
        # Set at first: the stream looks once at the start, for a change made between its
        # first view and its watch.
        self._woken.set()
        self.signed_out = False

    @property
    def listening(self) -> bool:
        """Whether changes are being announced now; if not, the stream must poll."""
        return self._changes.listening

    def wake(self) -> None:
        self._woken.set()

    def end_browser_session(self) -> None:
        self.signed_out = True
        self._woken.set()

    async def wait(self, timeout_s: float) -> None:
        """Return when woken since the last wait, else after ``timeout_s``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), max(timeout_s, 0.0))
        self._woken.clear()

    def __enter__(self) -> Watch:
        self._changes._add(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._changes._remove(self)


class SessionChanges:
    """Listens for announced changes while the gateway runs (``start``, ``stop``) and wakes
    the watches they concern."""

    def __init__(
        self,
        database_url: str,
        *,
        reconnect_s: float = 1.0,
        check_s: float = 15.0,
        connect: Connect | None = None,
    ) -> None:
        self._database_url = database_url
        self._reconnect_s = reconnect_s
        self._check_s = check_s
        self._connect: Connect = connect or _connect
        self._by_session: dict[uuid.UUID, set[Watch]] = {}
        self._by_browser_session: dict[bytes, set[Watch]] = {}
        self._listening = False
        self._task: asyncio.Task[None] | None = None
        self._connection: asyncpg.Connection[Any] | None = None
        self.connections = 0
        """How many times a listening connection was opened (tests and logs)."""

    @property
    def listening(self) -> bool:
        return self._listening

    @property
    def backend_pid(self) -> int | None:
        """The Postgres backend that listens now, if any."""
        connection = self._connection
        return connection.get_server_pid() if connection is not None and self._listening else None

    def watch(self, session_id: uuid.UUID, browser_session: bytes | None = None) -> Watch:
        """A watch of ``session_id`` (and of the browser session whose id has the digest
        ``browser_session``, for a stream the cookie opened); enter it to receive wakes."""
        return Watch(self, session_id, browser_session)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="session-changes")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _add(self, watch: Watch) -> None:
        self._by_session.setdefault(watch.session_id, set()).add(watch)
        if watch.browser_session is not None:
            self._by_browser_session.setdefault(watch.browser_session, set()).add(watch)

    def _remove(self, watch: Watch) -> None:
        _discard(self._by_session, watch.session_id, watch)
        if watch.browser_session is not None:
            _discard(self._by_browser_session, watch.browser_session, watch)

    def _wake_all(self) -> None:
        for watches in self._by_session.values():
            for watch in watches:
                watch.wake()

    def _on_session_changed(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        try:
            session_id = uuid.UUID(str(payload))
        except ValueError:
            log.warning("session changes: a notification that names no session")
            return
        for watch in self._by_session.get(session_id, ()):
            watch.wake()

    def _on_browser_session_ended(
        self, _conn: object, _pid: int, _channel: str, payload: object
    ) -> None:
        try:
            digest = bytes.fromhex(str(payload))
        except ValueError:
            log.warning("session changes: a notification that names no browser session")
            return
        for watch in self._by_browser_session.get(digest, ()):
            watch.end_browser_session()

    async def _listen(self) -> None:
        while True:
            try:
                await self._listen_once()
            except _NOT_LISTENING as exc:
                log.warning(
                    "session changes: not listening (%s); event streams poll until it is back",
                    type(exc).__name__,
                )
            except Exception:
                log.exception("session changes: not listening; event streams poll meanwhile")
            await asyncio.sleep(self._reconnect_s)

    async def _listen_once(self) -> None:
        connection = await self._connect(self._database_url)
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _conn: lost.set())
        self._connection = connection
        try:
            await connection.add_listener(SESSION_CHANGED, self._on_session_changed)
            await connection.add_listener(BROWSER_SESSION_ENDED, self._on_browser_session_ended)
            self._listening = True
            self.connections += 1
            log.info("session changes: listening")
            self._wake_all()  # what changed while nobody listened
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self._check_s)
                if not lost.is_set():
                    await connection.fetchval("SELECT 1", timeout=self._check_s)
            log.warning("session changes: the listening connection was lost")
        finally:
            was_listening, self._listening = self._listening, False
            self._connection = None
            connection.terminate()
            if was_listening:
                self._wake_all()  # each stream polls from now on, until the next connection


async def _connect(database_url: str) -> asyncpg.Connection[Any]:
    return await asyncpg.connect(database_url, timeout=10)


def _discard(index: dict[Any, set[Watch]], key: Any, watch: Watch) -> None:
    watches = index.get(key)
    if watches is not None:
        watches.discard(watch)
        if not watches:
            del index[key]
