"""Per-user abuse limits: how many sessions a user may start and how often they may ask for the
questions again (token buckets), and how many event streams they may hold open (leased slots).
Past a limit the answer is a 429 problem with ``Retry-After``.

The counts live in Postgres, not in each process: the gateway runs as several replicas behind
a load balancer, and limits kept in memory would give each user one allowance per replica (and
a fresh one at every restart or scale-up). Postgres is already the gateway's shared state, a
limited request is one short transaction on a row of its own (locked, so parallel requests
cannot both take the last token), and no other store has to be run. A library was considered:
``limits``/``slowapi`` keep counters in memory, Redis, Memcached or MongoDB, none of which this
system runs.

A token bucket of ``limit`` per ``window_s`` allows a burst of ``limit``, then one more every
``window_s / limit`` seconds. An event stream holds a lease row, renewed while it runs and
deleted when it ends; a replica that dies leaves leases that lapse after ``lease_s``. Time
comes from an injected clock (epoch seconds by default), so tests can move it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from careerflow_gateway.db import DATABASE_UNAVAILABLE
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.problems import Problem

log = logging.getLogger(__name__)

Action = Literal["session_create", "regenerate", "signin_email", "signin_address", "signup_address"]
"""What a token bucket counts. The sign-in and sign-up buckets are not a user's: their key is a
keyed digest of the email or the client address (``accounts.rate_key``), never the value."""

_ACTION_WORDS: dict[Action, str] = {
    "session_create": "new sessions",
    "regenerate": "regenerate requests",
    "signin_email": "sign-in attempts for this email",
    "signin_address": "sign-in attempts from this address",
    "signup_address": "sign-ups from this address",
}

_FULL_ENOUGH = 1.0 - 1e-9  # float sums of refills may land a hair under a whole token


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` actions per ``window_s`` seconds."""

    limit: int
    window_s: float

    @property
    def refill_per_s(self) -> float:
        return self.limit / self.window_s


@dataclass(frozen=True)
class Bucket:
    """``tokens`` left as counted at ``counted_at`` (clock seconds)."""

    tokens: float
    counted_at: float

    @classmethod
    def full(cls, rate: Rate, now: float) -> Bucket:
        return cls(float(rate.limit), now)


def take(bucket: Bucket, rate: Rate, now: float) -> tuple[Bucket, float]:
    """Spend one token at ``now``: the bucket after, and 0.0 when allowed; else the seconds
    until a whole token is there (and nothing is spent)."""
    # A replica whose clock is behind the one that counted last adds nothing (never negative).
    elapsed = max(0.0, now - bucket.counted_at)
    tokens = min(float(rate.limit), bucket.tokens + elapsed * rate.refill_per_s)
    counted_at = max(now, bucket.counted_at)
    if tokens >= _FULL_ENOUGH:
        return Bucket(max(0.0, tokens - 1.0), counted_at), 0.0
    return Bucket(tokens, counted_at), (1.0 - tokens) / rate.refill_per_s


def _per(window_s: float) -> str:
    for seconds, word in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        if window_s == seconds:
            return word
    return f"{window_s:g} s"


def _too_many(detail: str, wait_s: float) -> Problem:
    seconds = max(1, math.ceil(wait_s))  # rounded up: a client that waits this long gets in
    return Problem(
        429,
        "too-many-requests",
        f"{detail}; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def too_many_requests(what: str, rate: Rate, wait_s: float) -> Problem:
    """The 429 for a user past ``rate`` of ``what``, who may try again in ``wait_s``."""
    return _too_many(f"too many {what}: at most {rate.limit} per {_per(rate.window_s)}", wait_s)


class RateLimiter:
    """Token buckets per user and action, one row each in ``rate_buckets``."""

    def __init__(
        self,
        pool: Pool,
        rates: Mapping[Action, Rate],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._pool = pool
        self._rates = dict(rates)
        self.clock = clock

    async def spend(self, user_id: str, action: Action) -> None:
        """Count one ``action`` of ``user_id``; a 429 problem when their bucket is empty."""
        rate = self._rates[action]
        now = self.clock()
        async with self._pool.acquire() as conn, conn.transaction():
            # Creates a full bucket the first time; either way the row is locked until commit.
            row = await conn.fetchrow(
                "INSERT INTO rate_buckets AS b (user_id, action, tokens, counted_at)"
                " VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (user_id, action) DO UPDATE SET tokens = b.tokens"
                " RETURNING tokens, counted_at",
                user_id,
                action,
                float(rate.limit),
                now,
            )
            assert row is not None
            bucket, wait_s = take(Bucket(row["tokens"], row["counted_at"]), rate, now)
            if wait_s == 0.0:
                await conn.execute(
                    "UPDATE rate_buckets SET tokens = $3, counted_at = $4"
                    " WHERE user_id = $1 AND action = $2",
                    user_id,
                    action,
                    bucket.tokens,
                    bucket.counted_at,
                )
        if wait_s:
            raise too_many_requests(_ACTION_WORDS[action], rate, wait_s)


class StreamSlot:
    """One open event stream's lease; ``renew_if_due`` while it runs, ``release`` at its end."""

    def __init__(self, slots: StreamSlots, lease_id: uuid.UUID, user_id: str, renewed_at: float):
        self._slots = slots
        self.lease_id = lease_id
        self.user_id = user_id
        self._renewed_at = renewed_at

    @property
    def renew_every_s(self) -> float:
        """How often the stream must call ``renew_if_due`` at least, to keep its lease."""
        return self._slots.lease_s / 3

    async def renew_if_due(self) -> None:
        """Push the lease's end out once a third of it has passed (one UPDATE per third)."""
        now = self._slots.clock()
        if now - self._renewed_at < self._slots.lease_s / 3:
            return
        try:
            # An upsert: a lease purged while the database was away is taken again.
            await self._slots.pool.execute(
                "INSERT INTO event_stream_leases (id, user_id, expires_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at",
                self.lease_id,
                self.user_id,
                now + self._slots.lease_s,
            )
            self._renewed_at = now
        except DATABASE_UNAVAILABLE as exc:
            log.warning("event stream lease not renewed (%s)", type(exc).__name__)

    async def release(self) -> None:
        """Give the slot back; a release that cannot reach the database leaves the lease to
        lapse on its own."""
        try:
            await asyncio.wait_for(
                self._slots.pool.execute(
                    "DELETE FROM event_stream_leases WHERE id = $1", self.lease_id
                ),
                timeout=5.0,
            )
        except DATABASE_UNAVAILABLE as exc:
            log.warning("event stream lease not released (%s)", type(exc).__name__)


class StreamSlots:
    """At most ``per_user`` open event streams per user, across every replica."""

    def __init__(
        self,
        pool: Pool,
        *,
        per_user: int,
        lease_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pool = pool
        self.per_user = per_user
        self.lease_s = lease_s
        self.clock = clock

    async def open(self, user_id: str) -> StreamSlot:
        """A slot for a new stream of ``user_id``; a 429 problem when they hold them all."""
        now = self.clock()
        lease_id = uuid.uuid4()
        async with self.pool.acquire() as conn, conn.transaction():
            # One opener per user at a time, so two cannot both take the last slot.
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('event-streams:' || $1, 0))",
                user_id,
            )
            await conn.execute(
                "DELETE FROM event_stream_leases WHERE user_id = $1 AND expires_at <= $2",
                user_id,
                now,
            )
            held = await conn.fetchrow(
                "SELECT count(*) AS open, min(expires_at) AS first_lapse"
                " FROM event_stream_leases WHERE user_id = $1",
                user_id,
            )
            assert held is not None
            if held["open"] >= self.per_user:
                # By then a stream that went away without a word has lapsed; one closed
                # properly frees its slot sooner.
                raise _too_many(
                    f"too many open event streams: at most {self.per_user} at a time",
                    held["first_lapse"] - now,
                )
            await conn.execute(
                "INSERT INTO event_stream_leases (id, user_id, expires_at) VALUES ($1, $2, $3)",
                lease_id,
                user_id,
                now + self.lease_s,
            )
        return StreamSlot(self, lease_id, user_id, now)
