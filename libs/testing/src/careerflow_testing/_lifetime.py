"""A server a test starts and stops, also as a context manager (``with`` or ``async with``)."""

from __future__ import annotations

from typing import Self


class StartedAndStopped:
    """Started on entering a ``with`` (or ``async with``) block and stopped on leaving it;
    a subclass says how in :meth:`start` and :meth:`stop`."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop()
