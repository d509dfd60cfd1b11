"""The results consumer's handler: decode is done by the runner; this applies each result
(``result_handlers.apply_result``) and waits out database outages.

While Postgres is unreachable the handler does not fail the message (a nack would count toward
the quorum queue's delivery limit and, repeated, dead-letter a good result). It pauses the
consumer (no new deliveries), keeps its message unacknowledged and retries with backoff until
the database answers, then resumes the consumer. At most ``prefetch`` messages are held meanwhile;
RabbitMQ keeps the rest. A result that arrived before the step it answers is requeued after a
short wait (``ResultNotYetApplicable``); that only happens when messages overtake each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from careerflow_contracts import Event
from careerflow_gateway.db import DATABASE_UNAVAILABLE
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.result_handlers import ResultNotYetApplicable, apply_result
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.stopping import stop_if_cancelled

log = logging.getLogger(__name__)

_REQUEUE_DELAY_S = 1.0


class ResultsFlow(Protocol):
    """What the intake asks of the results consumer: to stop and to start taking deliveries."""

    async def pause(self) -> None: ...

    async def resume(self) -> None: ...


class ResultIntake:
    """Applies result events; ``attach`` gives it the consumer it pauses (the broker link, each
    time it connects)."""

    def __init__(
        self,
        pool: Pool,
        settings: GatewaySettings,
        *,
        on_applied: Callable[[], None],
        retry_max_s: float = 5.0,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._on_applied = on_applied
        self._retry_max_s = retry_max_s
        self._flow: ResultsFlow | None = None
        self.database_down = False

    def attach(self, flow: ResultsFlow | None) -> None:
        """Give the intake the consumer that delivers to it (``None`` while there is none)."""
        self._flow = flow

    async def __call__(self, event: Event) -> None:
        delay = 0.25
        while True:
            try:
                outcome = await apply_result(self._pool, event, self._settings)
            except ResultNotYetApplicable:
                await asyncio.sleep(_REQUEUE_DELAY_S)
                raise
            except DATABASE_UNAVAILABLE as exc:
                stop_if_cancelled(exc)
                await self._database_lost(exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            await self._database_back()
            if outcome == "applied":
                self._on_applied()
            return

    async def _database_lost(self, exc: BaseException) -> None:
        if not self.database_down:
            self.database_down = True
            log.warning("results: database unavailable (%s); consumer paused", type(exc).__name__)
            if self._flow is not None:
                await self._flow.pause()

    async def _database_back(self) -> None:
        if self.database_down:
            self.database_down = False
            log.info("results: database back; consumer resumed")
            if self._flow is not None:
                await self._flow.resume()
