"""``wait_until``: returns the condition's first truthy value; fails, saying why, at its bound."""

from __future__ import annotations

import pytest

from careerflow_testing.waiting import wait_until


async def test_it_returns_the_first_truthy_value_of_a_plain_condition() -> None:
    seen: list[int] = []

    def third_call() -> list[int] | None:
        seen.append(len(seen))
        return list(seen) if len(seen) == 3 else None

    assert await wait_until(third_call, interval_s=0) == [0, 1, 2]


async def test_it_awaits_an_async_condition() -> None:
    calls = 0

    async def ready() -> str:
        nonlocal calls
        calls += 1
        return "ready" if calls == 2 else ""

    assert await wait_until(ready, interval_s=0) == "ready"
    assert calls == 2


async def test_past_its_bound_it_fails_with_the_message_and_the_last_value() -> None:
    with pytest.raises(AssertionError, match=r"not within 0 s: a message \(last seen: \[\]\)"):
        await wait_until(lambda: [], timeout_s=0, message="a message")


async def test_without_a_message_it_names_the_condition() -> None:
    def broker_is_back() -> bool:
        return False

    with pytest.raises(AssertionError, match="broker_is_back"):
        await wait_until(broker_is_back, timeout_s=0)


async def test_a_callable_message_is_asked_at_the_bound() -> None:
    seen = ["parsing"]

    def ready() -> bool:
        seen.append("generating")
        return False

    with pytest.raises(AssertionError, match="stuck in 'generating'"):
        await wait_until(ready, timeout_s=0, message=lambda: f"stuck in {seen[-1]!r}")
