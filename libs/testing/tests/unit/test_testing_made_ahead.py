"""MadeAhead: things kept ready in a thread of their own, each given to one taker, and every one
unmade by the end: given back or never taken."""

from __future__ import annotations

import itertools
import threading

import pytest

from careerflow_testing.made_ahead import MadeAhead


class _Ledger:
    """What was made and unmade (the thread's calls, read by the test)."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.made: list[int] = []
        self.unmade: list[int] = []
        self._numbers = itertools.count(1)
        self._fail_at = fail_at
        self._lock = threading.Lock()

    async def make(self) -> int:
        with self._lock:
            number = next(self._numbers)
            if number == self._fail_at:
                raise RuntimeError(f"could not make {number}")
            self.made.append(number)
            return number

    async def unmake(self, number: int) -> None:
        with self._lock:
            if number == 2:
                raise OSError("the server is away")  # left, and the thread goes on
            self.unmade.append(number)


def test_each_taker_gets_its_own_and_everything_is_unmade_at_the_end() -> None:
    ledger = _Ledger()
    with MadeAhead(ledger.make, ledger.unmake, ahead=2) as ahead:
        taken = [ahead.take() for _ in range(3)]
        ahead.give_back(taken[0])
        ahead.give_back(taken[1])
    assert taken == [1, 2, 3]
    # 3 taken, then 2 kept ahead; every one unmade but 2, whose unmaking failed, and 3, which
    # the taker kept.
    assert ledger.made == [1, 2, 3, 4, 5]
    assert sorted(ledger.unmade) == [1, 4, 5]


def test_a_thing_that_could_not_be_made_fails_its_taker_only() -> None:
    ledger = _Ledger(fail_at=2)
    with MadeAhead(ledger.make, ledger.unmake, ahead=1) as ahead:
        assert ahead.take() == 1
        with pytest.raises(RuntimeError, match="could not make 2"):
            ahead.take()
        assert ahead.take() == 3
