"""A clock for unit tests: code that takes an injectable ``clock`` (and ``sleep``) is given one
whose time moves only when the test, or the code's own sleeps, move it."""

from __future__ import annotations


class FakeClock:
    """Monotonic seconds, ``now``, that stand still until moved.

    Call it for the time; ``advance`` moves it; ``sleep`` (for code that takes a ``sleep``)
    returns at once, having moved it by the seconds asked and recorded them in ``slept``.
    """

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
