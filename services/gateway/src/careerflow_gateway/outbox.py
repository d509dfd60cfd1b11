"""The transactional outbox: events written with the state that causes them, and their relay.

``enqueue`` adds an event to the outbox on the caller's connection, inside the caller's
transaction, so an event exists exactly when its state change committed. A command opens that
transaction with ``Outbox.transaction()``, which tells the relay once it has committed, so the
events go out at once rather than at the relay's next poll. The ``OutboxRelay``
publishes unsent rows with publisher confirms: it locks a batch with ``SELECT ... FOR UPDATE SKIP
LOCKED`` (several relays never take the same row), sends the batch's rows in id order without
waiting for each one's confirm, waits for the confirms together, marks sent the rows the broker
confirmed, and commits. A row whose publish failed (not confirmed, returned as unroutable) stays
unsent and is published again on the next run, under the same ``event_id``: at least once.

Order: the rows of a batch go out in id order, but a row retried after a failure arrives after
rows sent later, and a retried publish may reach the broker twice. Nothing relies on the order:
each worker takes several messages at a time, and the gateway applies results in any order and
once each. If the process dies between a confirm and the commit, the batch's confirmed rows are
published again on the next run: at most ``batch_size`` duplicates, which consumers drop by
``event_id``. While the broker is away the rows wait; the relay retries with backoff and drains
the backlog when it is back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from careerflow_contracts import EventBase
from careerflow_gateway import metrics
from careerflow_gateway.background import BackgroundTask
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.stopping import stop_if_cancelled

log = logging.getLogger(__name__)

PublishRaw = Callable[[str, bytes, str], Awaitable[None]]
"""Publish ``(routing_key, body, event_id)`` and return once the broker confirmed it.

The relay calls it for every row of a batch at once, in id order: each call must send its
message before it first waits (aio-pika's publish does, under the channel's lock), and calls
may wait for their confirms together.
"""


async def enqueue(conn: DbConnection, event: EventBase) -> None:
    """Add ``event`` to the outbox in the caller's transaction."""
    await conn.execute(
        "INSERT INTO outbox (event_id, session_id, routing_key, body) VALUES ($1, $2, $3, $4)",
        event.event_id,
        event.session_id,
        event.type,
        event.model_dump_json(),
    )


class Outbox:
    """The commands' way into the outbox: transactions whose events the relay hears of as soon
    as they commit (``committed`` is the relay's ``wake``)."""

    def __init__(self, pool: Pool, *, committed: Callable[[], None]) -> None:
        self.pool = pool
        self._committed = committed

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[DbConnection]:
        """A transaction on a connection of the pool, for state and the events it causes
        (``enqueue``); the relay is told once it commits, and not when it rolls back."""
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                yield conn
        self._committed()


@dataclass(frozen=True)
class Backlog:
    """Unsent outbox rows: how many, and how old the oldest is (seconds, 0 when none)."""

    unsent: int
    oldest_age_s: float


async def outbox_backlog(pool: Pool) -> Backlog:
    row = await pool.fetchrow(
        "SELECT count(*) AS unsent, "
        "coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS age "
        "FROM outbox WHERE sent_at IS NULL"
    )
    assert row is not None
    return Backlog(unsent=int(row["unsent"]), oldest_age_s=float(row["age"]))


class OutboxRelay(BackgroundTask):
    """Publishes the outbox until stopped; ``wake()`` after a commit skips the poll wait."""

    def __init__(
        self,
        pool: Pool,
        *,
        batch_size: int = 20,
        poll_interval_s: float = 0.5,
        retry_max_s: float = 10.0,
        retention_s: float = 3600.0,
    ) -> None:
        super().__init__("outbox relay")
        self._pool = pool
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._retry_max_s = retry_max_s
        self._retention_s = retention_s
        self._publish: PublishRaw | None = None
        self.last_error: str | None = None

    def attach(self, publish: PublishRaw | None) -> None:
        """Give the relay its publisher (``None`` while there is no broker connection)."""
        self._publish = publish
        self.wake()

    async def publish_batch(self) -> int:
        """Publish up to one batch; returns how many rows were confirmed and marked sent.

        Every row is sent, in id order, before any confirm is awaited. A publish that fails
        leaves its row unsent for the next try; the others are still marked sent, and the first
        failure (by id) is re-raised after the commit.
        """
        publish = self._publish
        if publish is None:
            return 0
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, event_id, routing_key, body FROM outbox WHERE sent_at IS NULL "
                "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
            )
            outcomes = await asyncio.gather(
                *(
                    publish(row["routing_key"], row["body"].encode(), str(row["event_id"]))
                    for row in rows
                ),
                return_exceptions=True,
            )
            failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            for failure in failures:
                if not isinstance(failure, Exception):
                    raise failure  # a cancellation: roll back, as if nothing was published
            sent = [
                row
                for row, outcome in zip(rows, outcomes, strict=True)
                if not isinstance(outcome, BaseException)
            ]
            for row in sent:
                metrics.EVENTS_PUBLISHED.labels(type=row["routing_key"]).inc()
            if sent:
                await conn.execute(
                    "UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])",
                    [row["id"] for row in sent],
                )
        if failures:
            raise failures[0]
        return len(sent)

    async def prune_sent(self) -> int:
        """Delete sent rows older than the retention: they hold resume documents."""
        result = await self._pool.execute(
            "DELETE FROM outbox WHERE sent_at IS NOT NULL "
            "AND sent_at < clock_timestamp() - make_interval(secs => $1)",
            self._retention_s,
        )
        return int(result.split()[-1])

    async def run(self) -> None:
        """Publish until cancelled, backing off while the broker or database is away."""
        delay = self._poll_interval_s
        loop = asyncio.get_running_loop()
        next_prune = loop.time()
        while True:
            # Cleared before the batch: a wake-up during it (a new event) means look again.
            self._wake.clear()
            try:
                sent = await self.publish_batch()
                self.last_error = None
                delay = self._poll_interval_s
                if loop.time() >= next_prune:
                    await self.prune_sent()
                    next_prune = loop.time() + 60
                if sent == self._batch_size:
                    continue  # more may be waiting: drain without pausing
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                stop_if_cancelled(exc)
                self.last_error = type(exc).__name__
                log.warning("outbox relay: %s; retrying in %.1f s", self.last_error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            await self.wait_for_wake(self._poll_interval_s)
