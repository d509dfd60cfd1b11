"""A task of the gateway's that runs in the background until stopped, woken early for work.

The outbox relay and the profile refiner are ones: between rounds each waits for ``wake()`` or
its poll interval, whichever comes first (``wait_for_wake``), and ``stop()`` ends it within a
few seconds whatever it was doing (``stopping.finish_within``). A subclass writes ``run``, which
clears the wake-up before each round: one that comes during a round means look again.
"""

from __future__ import annotations

import asyncio

from careerflow_gateway.stopping import finish_within

_STOP_WITHIN_S = 5.0


class BackgroundTask:
    """``start()`` runs ``run`` in a task named ``name``; ``stop()`` cancels it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Begin the next round now: there is work."""
        self._wake.set()

    async def wait_for_wake(self, timeout_s: float) -> None:
        """Wait for ``wake()``, at most ``timeout_s``."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout_s)
        except TimeoutError:
            pass

    async def run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name=self._name.replace(" ", "-"))

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await finish_within(self._name, task, _STOP_WITHIN_S)
