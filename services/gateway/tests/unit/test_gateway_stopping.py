"""The gateway's retry loops stop when cancelled, even when the clean-up raises instead."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg

from careerflow_gateway.outbox import OutboxRelay
from careerflow_gateway.stopping import finish_within


class _PoolThatFailsOnCancel:
    """A pool whose connection hangs, and whose clean-up after a cancel raises, as asyncpg can
    when a rollback meets a connection that was busy."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.acquired = 0

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Any]:
        self.acquired += 1
        self.entered.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            raise asyncpg.InterfaceError("cannot perform operation: connection is closed") from None
        yield None


async def test_a_cancelled_relay_stops_even_if_its_clean_up_raises() -> None:
    pool = _PoolThatFailsOnCancel()
    relay = OutboxRelay(cast(Any, pool), poll_interval_s=0.01, retry_max_s=0.01)

    async def publish(routing_key: str, body: bytes, message_id: str) -> None:
        raise AssertionError("nothing is published: the pool never gives a connection")

    relay.attach(publish)
    relay.start()
    await asyncio.wait_for(pool.entered.wait(), 2)
    # asyncio.wait, not wait_for: a relay that ignores its cancel must fail here, not hang.
    stopping = asyncio.ensure_future(relay.stop())
    done, _ = await asyncio.wait({stopping}, timeout=2)
    assert stopping in done, "the relay did not stop"
    assert pool.acquired == 1, "the relay went round again after it was cancelled"


async def test_a_close_step_that_swallows_its_cancel_is_left_behind_in_time() -> None:
    released = asyncio.Event()

    async def stubborn_close() -> None:
        while not released.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(3600)

    # A safety net, not a measure: a finish_within that waited for the step would hang here.
    async with asyncio.timeout(30):
        finished = await finish_within("stubborn close", stubborn_close(), 0.2)
    released.set()
    assert finished is False


async def test_a_close_step_that_finishes_is_reported_finished() -> None:
    async def close() -> None:
        await asyncio.sleep(0.01)

    assert await finish_within("close", close(), 1.0) is True
