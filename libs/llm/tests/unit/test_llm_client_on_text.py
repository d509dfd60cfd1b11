"""``chat(..., on_text=...)``: the caller sees the answer grow, line by line, under the same
limits and with the same result as without it (an injected clock; no wall-clock windows)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from careerflow_llm import BreakerState, OllamaClient, OllamaSettings
from careerflow_testing.clock import FakeClock

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "user", "content": "Write the list."}]
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
PIECES = ['{"items', '": ["a', '", "b"', ', "c"]', "}"]


class Items(BaseModel):
    items: list[str]


def _line(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode() + b"\n"


def _paced(
    clock: FakeClock, pieces: list[str], *, silence_after: int | None = None, finish: bool = True
) -> httpx.MockTransport:
    """The model writes ``pieces`` a second apart, by the fake clock; after ``silence_after``
    pieces it says nothing for a minute. An empty piece (a line with no text) is sent too."""

    async def stream() -> AsyncIterator[bytes]:
        clock.now += 3.0
        for index, piece in enumerate(pieces):
            if silence_after is not None and index == silence_after:
                clock.now += 60.0
            clock.now += 1.0
            yield _line({"model": MODEL, "message": {"content": piece}, "done": False})
            yield _line({"model": MODEL, "message": {"content": ""}, "done": False})
        if finish:
            yield _line({"model": MODEL, "message": {"content": ""}, "done": True})

    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=stream())

    return httpx.MockTransport(answer)


def _client(transport: httpx.MockTransport, clock: FakeClock) -> OllamaClient:
    return OllamaClient(
        OllamaSettings(url="http://ollama.test", model=MODEL),
        clock=clock,
        now=lambda: NOW,
        transport=transport,
    )


async def test_the_caller_sees_every_prefix_and_the_result_is_unchanged() -> None:
    clock = FakeClock()
    seen: list[str] = []
    async with _client(_paced(clock, PIECES), clock) as client:
        result = await client.chat(MESSAGES, Items, on_text=seen.append)
        again = await client.chat(MESSAGES, Items)
    # One call per piece of text (lines without text are not reported), each the whole so far.
    assert seen == ["".join(PIECES[: n + 1]) for n in range(len(PIECES))]
    assert result.ok and result.value == Items(items=["a", "b", "c"])
    assert (again.value, again.fallback_reason) == (result.value, result.fallback_reason)


async def test_a_stall_still_cuts_the_call_after_the_caller_saw_its_beginning() -> None:
    clock = FakeClock()
    seen: list[str] = []
    async with _client(_paced(clock, PIECES, silence_after=2), clock) as client:
        result = await client.chat(MESSAGES, Items, on_text=seen.append)
    assert result.fallback_reason == "timeout"
    assert result.detail is not None and "silent" in result.detail
    # What was written before the stall was seen; the rest never came.
    assert seen == ['{"items', '{"items": ["a']
    assert client.breaker.snapshot().failures == 1


async def test_a_stream_cut_before_done_is_invalid_output_whatever_the_caller_saw() -> None:
    clock = FakeClock()
    seen: list[str] = []
    async with _client(_paced(clock, PIECES, finish=False), clock) as client:
        result = await client.chat(MESSAGES, Items, on_text=seen.append)
    assert result.fallback_reason == "invalid_output"
    assert seen[-1] == "".join(PIECES)


async def test_a_fault_in_the_callback_is_the_callers_and_leaves_no_verdict_on_the_model() -> None:
    clock = FakeClock()

    def broken(_: str) -> None:
        raise RuntimeError("a bug of the caller")

    async with _client(_paced(clock, PIECES), clock) as client:
        with pytest.raises(RuntimeError, match="a bug of the caller"):
            await client.chat(MESSAGES, Items, on_text=broken)
        snapshot = client.breaker.snapshot()
    assert (snapshot.state, snapshot.failures, snapshot.successes) == (BreakerState.CLOSED, 0, 0)
