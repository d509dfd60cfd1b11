"""The client holds each call to its pace's limits, on an injected clock.

The answers come from ``httpx.MockTransport``; the generator that streams them moves the fake
clock on before each line, so three minutes of a model's writing take milliseconds and every
limit is decided by the clock the client was given, never by the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from careerflow_contracts import FallbackDetail
from careerflow_llm import BreakerConfig, BreakerState, OllamaClient, OllamaSettings
from careerflow_llm.pace import estimate_prompt_tokens
from careerflow_testing.clock import FakeClock

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Hi"}]
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


class Answer(BaseModel):
    text: str


def line(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode() + b"\n"


def token(piece: str) -> bytes:
    return line({"model": MODEL, "message": {"role": "assistant", "content": piece}, "done": False})


def done(**figures: int) -> bytes:
    body = {"model": MODEL, "message": {"role": "assistant", "content": ""}, "done": True}
    return line(body | {"done_reason": "stop"} | figures)


GPU_FIGURES = {
    "load_duration": 2_000_000_000,
    "prompt_eval_count": 3000,
    "prompt_eval_duration": 2_000_000_000,
    "eval_count": 300,
    "eval_duration": 5_000_000_000,
}


def model_stream(
    clock: FakeClock,
    *,
    first_token_after_s: float,
    tokens: int,
    rate: float,
    silent_after: int | None = None,
    silence_s: float = 0.0,
    figures: dict[str, int] | None = None,
) -> Callable[[], AsyncIterator[bytes]]:
    """A model's answer ``{"text": "xxx…"}`` written ``tokens`` pieces at ``rate`` a second,
    its first line ``first_token_after_s`` after the request, by the fake clock."""

    async def stream() -> AsyncIterator[bytes]:
        pieces = ['{"text": "'] + ["x"] * (tokens - 2) + ['"}']
        clock.now += first_token_after_s
        for index, piece in enumerate(pieces):
            if index:
                clock.now += 1.0 / rate
            if silent_after is not None and index == silent_after:
                clock.now += silence_s
            yield token(piece)
        yield done(**(figures or {}))

    return stream


class Model:
    """A MockTransport handler answering each request with the next stream."""

    def __init__(self, *streams: Callable[[], AsyncIterator[bytes]]) -> None:
        self.streams = list(streams)
        self.requests = 0

    async def __call__(self, _: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(200, content=self.streams.pop(0)())


def client_for(model: Model, clock: FakeClock, **settings: Any) -> OllamaClient:
    return OllamaClient(
        OllamaSettings(url="http://ollama.test", model=MODEL, **settings),
        clock=clock,
        now=lambda: NOW,
        transport=httpx.MockTransport(model),
    )


async def test_a_long_answer_at_15_tokens_a_second_for_3_minutes_completes() -> None:
    clock = FakeClock()
    stream = model_stream(clock, first_token_after_s=54.0, tokens=15 * 180, rate=15.0)
    async with client_for(Model(stream), clock) as client:
        result = await client.chat(MESSAGES, Answer)
    assert result.ok, result.detail
    assert result.value is not None and len(result.value.text) == 15 * 180 - 2
    assert result.duration_ms == pytest.approx((54 + 180) * 1000, abs=100)
    snapshot = client.breaker.snapshot()
    assert (snapshot.successes, snapshot.slow) == (1, 0)


async def test_slow_but_steady_answers_never_open_the_breaker() -> None:
    # The bug of issue 12: every call took longer than slow_call_duration_s (20 s) while the
    # model wrote at a steady speed, so the slow-call rate opened the breaker.
    clock = FakeClock()
    streams = [
        model_stream(clock, first_token_after_s=54.0, tokens=15 * 60, rate=15.0) for _ in range(8)
    ]
    model = Model(*streams)
    async with client_for(model, clock, budget_s=600.0) as client:
        results = [await client.chat(MESSAGES, Answer) for _ in range(8)]
    assert [r.fallback_reason for r in results] == [None] * 8
    snapshot = client.breaker.snapshot()
    assert (snapshot.state, snapshot.slow, snapshot.successes) == (BreakerState.CLOSED, 0, 8)


async def test_a_model_silent_after_some_tokens_is_cut_by_the_stall_limit() -> None:
    clock = FakeClock()
    stream = model_stream(
        clock, first_token_after_s=5.0, tokens=40, rate=15.0, silent_after=12, silence_s=31.0
    )
    async with client_for(Model(stream), clock) as client:
        result = await client.chat(MESSAGES, Answer)
    assert result.fallback_reason == "timeout"
    assert result.detail == "the model went silent for 30 s after 12 tokens"
    # A person is told that the model stopped, not that the whole call took too long.
    # As data, for the gateway to word: the model stopped writing for 30 s (issue 14 item 3).
    assert result.fallback_detail == FallbackDetail(limit="stall", seconds=30.0, answering=True)
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.slow) == (1, 1)


async def test_a_pause_shorter_than_the_stall_limit_is_waited_for() -> None:
    clock = FakeClock()
    stream = model_stream(
        clock, first_token_after_s=5.0, tokens=40, rate=15.0, silent_after=12, silence_s=29.0
    )
    async with client_for(Model(stream), clock) as client:
        result = await client.chat(MESSAGES, Answer)
    assert result.ok, result.detail


async def test_no_first_token_within_its_limit_is_cut() -> None:
    clock = FakeClock()
    stream = model_stream(clock, first_token_after_s=301.0, tokens=10, rate=15.0)
    async with client_for(Model(stream), clock) as client:
        result = await client.chat(MESSAGES, Answer)
    assert (result.fallback_reason, result.detail) == ("timeout", "no first token within 300 s")
    assert result.fallback_detail == FallbackDetail(
        limit="first_token", seconds=300.0, answering=False
    )
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.slow) == (1, 1)


async def test_the_stage_budget_cuts_a_model_that_keeps_writing() -> None:
    clock = FakeClock()
    stream = model_stream(clock, first_token_after_s=10.0, tokens=15 * 180, rate=15.0)
    async with client_for(Model(stream), clock, budget_s=120.0) as client:
        result = await client.chat(MESSAGES, Answer)
    assert result.fallback_reason == "timeout"
    assert result.detail == "no answer within the stage budget of 120 s"
    assert result.fallback_detail == FallbackDetail(limit="budget", seconds=120.0, answering=True)
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.slow) == (1, 0), "steady writing is not slow"


async def test_the_events_deadline_wins_over_the_stage_budget() -> None:
    clock = FakeClock()
    stream = model_stream(clock, first_token_after_s=10.0, tokens=15 * 180, rate=15.0)
    deadline = NOW + timedelta(seconds=60.5)  # 60 s once the publish reserve is kept back
    async with client_for(Model(stream), clock, budget_s=600.0) as client:
        result = await client.chat(MESSAGES, Answer, deadline=deadline)
    assert result.fallback_reason == "timeout"
    assert result.detail == "no answer before the event's deadline (60 s)"
    assert result.fallback_detail == FallbackDetail(limit="deadline", seconds=60.0, answering=True)
    # Seen at the first line past the deadline (the timer cuts at the deadline itself).
    assert 60_000 <= result.duration_ms <= 60_000 + 1000 / 15 + 1


async def test_after_a_measurement_the_first_token_limit_is_the_models_own() -> None:
    clock = FakeClock()
    measured = model_stream(
        clock, first_token_after_s=4.0, tokens=20, rate=60.0, figures=GPU_FIGURES
    )
    late = model_stream(clock, first_token_after_s=41.0, tokens=20, rate=60.0)
    async with client_for(Model(measured, late), clock) as client:
        first = await client.chat(MESSAGES, Answer)
        second = await client.chat(MESSAGES, Answer)
        health = client.health()
    assert first.ok
    # 3 x (2 s load + a short prompt at 1500 tokens/s) = 6 s, plus one 2 048-token answer of
    # another service at 60 tokens/s (34.1 s) that the model may be busy with.
    assert (second.fallback_reason, second.detail) == ("timeout", "no first token within 40.2 s")
    assert health["speed"]["prompt_tokens_per_s"] == 1500.0
    assert health["speed"]["output_tokens_per_s"] == 60.0
    assert health["limits"]["stall_s"] == 10.0
    assert health["last_call"]["first_token_limit_s"] == pytest.approx(40.17, abs=0.01)


LAPTOP_FIGURES = {
    "load_duration": 4_000_000_000,
    "prompt_eval_count": 3000,
    "prompt_eval_duration": 50_000_000_000,
    "eval_count": 300,
    "eval_duration": 20_000_000_000,
}


@pytest.mark.parametrize(("silent_s", "cut"), [(120.0, False), (151.0, True)])
async def test_a_call_queued_behind_another_services_answer_is_cut_only_past_its_limit(
    silent_s: float, cut: bool
) -> None:
    # Issue 12: another worker's 1 500-token answer at 15 tokens/s holds the one slot for 100 s
    # and more, unseen by this client. 3 x (4 s + a short prompt at 60 tokens/s) is 13 s; the
    # allowance for one 2 048-token answer at 15 tokens/s makes the limit 150 s.
    clock = FakeClock()
    measured = model_stream(
        clock, first_token_after_s=6.0, tokens=20, rate=15.0, figures=LAPTOP_FIGURES
    )
    queued = model_stream(clock, first_token_after_s=silent_s, tokens=20, rate=15.0)
    async with client_for(Model(measured, queued), clock) as client:
        assert (await client.chat(MESSAGES, Answer)).ok
        second = await client.chat(MESSAGES, Answer)
        limit = client.last_call["first_token_limit_s"]
    assert limit == pytest.approx(3 * (4 + client_prompt_tokens() / 60) + 2048 / 15, abs=0.01)
    if cut:
        assert (second.fallback_reason, second.detail) == (
            "timeout",
            f"no first token within {round(limit, 1):g} s",
        )
    else:
        assert second.ok


def client_prompt_tokens() -> int:
    return estimate_prompt_tokens([message["content"] for message in MESSAGES])


async def test_a_hanging_model_opens_the_breaker_after_as_many_calls_as_before() -> None:
    # As with the single total timeout: minimum_calls failures in a row open it.
    clock = FakeClock()
    streams = [
        model_stream(clock, first_token_after_s=301.0, tokens=10, rate=15.0) for _ in range(6)
    ]
    model = Model(*streams)
    async with client_for(model, clock, breaker=BreakerConfig(minimum_calls=5)) as client:
        results = [await client.chat(MESSAGES, Answer) for _ in range(6)]
    assert [r.fallback_reason for r in results] == ["timeout"] * 5 + ["breaker_open"]
    assert model.requests == 5
    assert client.breaker.state is BreakerState.OPEN


async def test_the_former_setting_names_still_set_the_budget_and_the_stall_limit() -> None:
    settings = OllamaSettings(timeout_s=45.0, read_timeout_s=12.0)
    assert (settings.budget_s, settings.stall_s) == (45.0, 12.0)
    # The new names win when both are given.
    both = OllamaSettings(timeout_s=45.0, budget_s=90.0, read_timeout_s=12.0, stall_s=20.0)
    assert (both.budget_s, both.stall_s) == (90.0, 20.0)
