"""Waiting in a test for something another process or task makes true, instead of sleeping.

``wait_until`` polls a condition (a plain or an async callable) until it gives a truthy value
and returns that value; past its bound it fails the test, saying what it waited for and what it
saw last. The bound is generous on purpose: it only limits how long a broken test hangs, it is
never a figure the test asserts.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_INTERVAL_S = 0.05


async def wait_until(
    condition: Callable[[], T | Awaitable[T]],
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    interval_s: float = DEFAULT_INTERVAL_S,
    message: str | Callable[[], str] = "",
) -> T:
    """Call ``condition`` every ``interval_s`` until it returns a truthy value; return it.

    ``AssertionError`` after ``timeout_s`` (the condition is asked once more at the bound), with
    ``message`` (or the condition's name) and the last value seen. A callable ``message`` is
    asked then, so it can say what the condition saw last ("stuck in 'parsing'").
    """
    deadline = time.monotonic() + timeout_s
    while True:
        outcome = condition()
        value = await outcome if inspect.isawaitable(outcome) else outcome
        if value:
            return value
        if time.monotonic() >= deadline:
            what = (message() if callable(message) else message) or getattr(
                condition, "__qualname__", repr(condition)
            )
            raise AssertionError(f"not within {timeout_s:g} s: {what} (last seen: {value!r})")
        await asyncio.sleep(interval_s)
