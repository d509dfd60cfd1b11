"""Things each test gets its own of, made before the test asks and unmade after it, in a thread of
their own: a test's wait for a database copy or a broker topology overlaps the previous test.

``MadeAhead(make, unmake, ahead=2)`` keeps ``ahead`` things ready: ``take()`` gives one (and
starts making the next), ``give_back(thing)`` unmakes it in the background. ``make`` and
``unmake`` are coroutine functions; each call runs in an event loop of its own, so neither may
hold on to a connection between calls. ``close()`` unmakes every thing given back and every one
made that no test took.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, Self, TypeVar

T = TypeVar("T")

_STOP = object()


class MadeAhead(Generic[T]):
    """See the module docstring. A thing that could not be made is raised by the ``take()``
    that would have got it; one that could not be unmade is left (a test's server was away)."""

    def __init__(
        self,
        make: Callable[[], Awaitable[T]],
        unmake: Callable[[T], Awaitable[None]],
        *,
        ahead: int = 2,
        name: str = "made-ahead",
    ) -> None:
        self._make = make
        self._unmake = unmake
        self._ahead = ahead
        self._jobs: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._ready: queue.SimpleQueue[tuple[T | None, BaseException | None]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        for _ in range(self._ahead):
            self._jobs.put(None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def take(self, timeout_s: float = 60.0) -> T:
        """A ready thing, no one else's (blocks until one is); the next is started at once."""
        self._jobs.put(None)
        try:
            thing, error = self._ready.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError(f"nothing made within {timeout_s:g} s") from None
        if error is not None:
            raise error
        return thing  # type: ignore[return-value]  # None only alongside an error

    def give_back(self, thing: T) -> None:
        """Unmake ``thing`` in the background."""
        self._jobs.put((thing,))

    def close(self) -> None:
        """Unmake every thing given back and every one left untaken; then stop the thread."""
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not _STOP:
            if isinstance(job, tuple):
                self._unmake_quietly(job[0])
                continue
            try:
                self._ready.put((asyncio.run(self._made()), None))
            except Exception as exc:  # handed to the test that takes it
                self._ready.put((None, exc))
        while True:
            try:
                thing, error = self._ready.get_nowait()
            except queue.Empty:
                return
            if error is None:
                self._unmake_quietly(thing)  # type: ignore[arg-type]

    async def _made(self) -> T:
        return await self._make()

    def _unmake_quietly(self, thing: T) -> None:
        try:
            asyncio.run(self._unmade(thing))
        except Exception:
            # The server was away (a fault test restarts it): the thing is left, as a test's
            # own is when its run is killed; the thread must go on making things.
            pass

    async def _unmade(self, thing: T) -> None:
        await self._unmake(thing)
