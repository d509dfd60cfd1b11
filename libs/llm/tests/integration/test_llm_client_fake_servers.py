"""The client against each fake model server (Ollama's API, the OpenAI-compatible one): real
HTTP servers on ephemeral ports. Every test runs once per API, and expects the same: the same
deadlines, breaker, guards and fallback reasons, whatever the wire.

Budgets are small (0.5 s a call) so that the file runs in seconds; every fallback must arrive
within its deadline plus 100 ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from careerflow_llm import BreakerConfig, BreakerState, LLMClient, LLMSettings
from careerflow_testing.fake_ollama import Behaviour
from careerflow_testing.model_servers import (
    PROVIDERS,
    FakeModelServer,
    fake_model_server,
    refused_url_for,
)
from careerflow_testing.waiting import wait_until

MODEL = "llama3.2:3b"
TOTAL_S = 0.5
MARGIN_S = 0.1
CONTENT = {"skills": ["Python", "SQL"]}
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Hi"}]
NOT_FOUND = {
    "ollama": f"model '{MODEL}' not found (HTTP 404)",
    "openai": f"model '{MODEL}' not found, or no chat API at this URL (HTTP 404)",
}


class Answer(BaseModel):
    skills: list[str]


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(provider: str) -> Iterator[FakeModelServer]:
    with fake_model_server(provider, models=(MODEL,)) as server:
        yield server


def settings(provider: str, url: str, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {
        "provider": provider,
        "url": url,
        "model": MODEL,
        "budget_s": TOTAL_S,
        "connect_timeout_s": 0.3,
        "stall_s": 5.0,
        "breaker": BreakerConfig(
            window_size=4, minimum_calls=4, wait_open_s=0.3, half_open_calls=1
        ),
    } | overrides
    return LLMSettings(**values)


def settings_of(fake: FakeModelServer, **overrides: Any) -> LLMSettings:
    return settings(fake.provider, fake.url, **overrides)


@pytest.fixture
async def client(fake: FakeModelServer) -> AsyncIterator[LLMClient]:
    async with LLMClient(settings_of(fake)) as llm:
        yield llm


async def timed_chat(client: LLMClient, **kwargs: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = await client.chat(MESSAGES, Answer, **kwargs)
    return result, time.monotonic() - started


@pytest.mark.parametrize(
    "behaviour", [Behaviour.HEALTHY, Behaviour.CODE_FENCE, Behaviour.THINK_PREFIX]
)
async def test_good_answers_are_ok(
    fake: FakeModelServer, client: LLMClient, behaviour: Behaviour
) -> None:
    fake.set_behaviour(behaviour, content=CONTENT)
    result, elapsed = await timed_chat(client)
    assert result.ok, result.detail
    assert result.value == Answer(**CONTENT)
    assert result.model == MODEL
    assert elapsed <= TOTAL_S + MARGIN_S
    [request] = fake.chat_requests()
    assert request.body is not None
    assert request.output_schema == Answer.model_json_schema()
    assert request.body["stream"] is True
    if fake.provider == "ollama":
        assert request.body["think"] is False
        assert request.body["options"]["num_ctx"] == client.settings.num_ctx
    else:
        assert request.body["stream_options"] == {"include_usage": True}
        assert request.body["max_tokens"] == client.settings.num_predict


@pytest.mark.parametrize(
    ("behaviour", "delay_s", "reason"),
    [
        (Behaviour.HANG, None, "timeout"),
        (Behaviour.SLOW_FIRST_BYTE, 3.0, "timeout"),
        (Behaviour.SLOW_TOKENS, 0.4, "timeout"),
        (Behaviour.ERROR_500, None, "model_error"),
        (Behaviour.BUSY_503, None, "model_error"),
        (Behaviour.MODEL_NOT_FOUND, None, "model_error"),
        (Behaviour.ERROR_MID_STREAM, None, "model_error"),
        (Behaviour.TRUNCATED, None, "invalid_output"),
        (Behaviour.MALFORMED_JSON, None, "invalid_output"),
        (Behaviour.SCHEMA_VIOLATION, None, "invalid_output"),
        (Behaviour.LENGTH, None, "invalid_output"),
    ],
)
async def test_each_failure_gives_its_reason_within_the_deadline(
    fake: FakeModelServer,
    client: LLMClient,
    behaviour: Behaviour,
    delay_s: float | None,
    reason: str,
) -> None:
    if behaviour is Behaviour.SCHEMA_VIOLATION or behaviour is Behaviour.MALFORMED_JSON:
        fake.set_behaviour(behaviour)  # the fake's own bad content
    elif delay_s is None:
        fake.set_behaviour(behaviour, content=CONTENT)
    else:
        fake.set_behaviour(behaviour, content=CONTENT, delay_s=delay_s)
    result, elapsed = await timed_chat(client)
    assert not result.ok
    assert result.fallback_reason == reason, result.detail
    assert result.value is None and result.model == MODEL and result.detail
    assert elapsed <= TOTAL_S + MARGIN_S
    assert len(fake.chat_requests()) == 1


async def test_model_not_found_is_a_config_error_not_a_failure(
    fake: FakeModelServer, client: LLMClient
) -> None:
    fake.set_behaviour(Behaviour.MODEL_NOT_FOUND)
    for _ in range(6):
        result, _ = await timed_chat(client)
        assert result.fallback_reason == "model_error"
    assert result.detail == NOT_FOUND[fake.provider]
    snapshot = client.breaker.snapshot()
    assert snapshot.state is BreakerState.CLOSED
    assert (snapshot.failures, snapshot.config_errors) == (0, 6)
    assert client.health()["last_config_error"] == result.detail


async def test_a_model_the_server_does_not_have(fake: FakeModelServer) -> None:
    async with LLMClient(settings_of(fake, model="missing:1b")) as llm:
        result = await llm.chat(MESSAGES, Answer)
    assert result.fallback_reason == "model_error"
    assert llm.breaker.snapshot().config_errors == 1


async def test_connection_refused(provider: str) -> None:
    async with LLMClient(settings(provider, refused_url_for(provider))) as llm:
        result, elapsed = await timed_chat(llm)
    assert (result.fallback_reason, result.detail) == ("connection_error", "connection refused")
    assert elapsed <= TOTAL_S + MARGIN_S


async def test_the_event_deadline_bounds_the_call(fake: FakeModelServer) -> None:
    fake.set_behaviour(Behaviour.HANG)
    overrides = {"budget_s": 30.0, "min_time_left_s": 0.1, "publish_reserve_s": 0.3}
    async with LLMClient(settings_of(fake, **overrides)) as llm:
        deadline = datetime.now(UTC) + timedelta(seconds=0.7)
        result, elapsed = await timed_chat(llm, deadline=deadline)
    assert result.fallback_reason == "timeout"
    # Cut the reserve before the event's deadline, leaving the caller time to publish.
    assert 0.4 - 0.05 <= elapsed <= 0.4 + MARGIN_S


async def test_the_stall_limit_between_tokens(fake: FakeModelServer) -> None:
    fake.set_behaviour(Behaviour.SLOW_TOKENS, content=CONTENT, delay_s=1.0)
    async with LLMClient(settings_of(fake, budget_s=5.0, stall_s=0.2)) as llm:
        result, elapsed = await timed_chat(llm)
    assert result.fallback_reason == "timeout"
    assert result.detail == "the model went silent for 0.2 s after 1 tokens"
    assert elapsed <= 0.2 + MARGIN_S
    # A stall is what a stuck model does: slow as well as failed.
    assert (llm.breaker.snapshot().failures, llm.breaker.snapshot().slow) == (1, 1)


async def test_a_deadline_too_close_sends_nothing(fake: FakeModelServer, client: LLMClient) -> None:
    result, elapsed = await timed_chat(client, deadline=datetime.now(UTC) + timedelta(seconds=0.2))
    assert result.fallback_reason == "deadline_exceeded"
    assert elapsed <= MARGIN_S
    assert fake.chat_requests() == []


async def test_breaker_opens_stops_calling_then_a_probe_closes_it(
    fake: FakeModelServer, client: LLMClient
) -> None:
    fake.set_behaviour(Behaviour.ERROR_500)
    for _ in range(4):
        result, _ = await timed_chat(client)
        assert result.fallback_reason == "model_error"
    assert client.breaker.state is BreakerState.OPEN
    assert len(fake.chat_requests()) == 4

    for _ in range(5):
        result, elapsed = await timed_chat(client)
        assert result.fallback_reason == "breaker_open"
        assert elapsed <= MARGIN_S
    assert len(fake.chat_requests()) == 4  # nothing reached the model while open

    fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
    await wait_until(
        lambda: client.breaker.snapshot().state is BreakerState.HALF_OPEN,
        message="the breaker half-open once its open wait (0.3 s) passed",
    )
    result, _ = await timed_chat(client)
    assert result.ok
    assert client.breaker.snapshot().state is BreakerState.CLOSED
    assert len(fake.chat_requests()) == 5
    snapshot = client.breaker.snapshot()
    assert (snapshot.rejected, snapshot.times_opened) == (5, 1)


async def test_hanging_model_fails_slow_calls_and_opens_the_breaker(fake: FakeModelServer) -> None:
    # A model that answers, but its first token comes after more than half its limit (0.25 s):
    # slow-call rate opens the breaker with no failure at all.
    fake.set_behaviour(Behaviour.SLOW_FIRST_BYTE, content=CONTENT, delay_s=0.15)
    config = BreakerConfig(
        window_size=3, minimum_calls=3, slow_call_duration_s=0.1, slow_call_rate_threshold=1.0
    )
    async with LLMClient(settings_of(fake, breaker=config, first_token_s=0.25)) as llm:
        results = [await llm.chat(MESSAGES, Answer) for _ in range(4)]
    assert [r.fallback_reason for r in results] == [None, None, None, "breaker_open"]
    snapshot = llm.breaker.snapshot()
    assert (snapshot.state, snapshot.failures, snapshot.slow) == (BreakerState.OPEN, 0, 3)


async def test_concurrent_calls_share_one_breaker(fake: FakeModelServer, client: LLMClient) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
    results = await asyncio.gather(*(client.chat(MESSAGES, Answer) for _ in range(8)))
    assert all(r.ok for r in results)
    assert client.breaker.snapshot().successes == 8
    assert len(fake.chat_requests()) == 8


async def test_probe(fake: FakeModelServer, client: LLMClient) -> None:
    assert await client.probe()
    assert client.health()["last_probe"]["model_listed"] is True
    async with LLMClient(settings(fake.provider, refused_url_for(fake.provider))) as down:
        assert not await down.probe()


async def test_the_schema_in_llama_cpp_pythons_form_is_answered_to_fit() -> None:
    # No content scripted: the fake writes a minimal instance of the schema it was given, so
    # an ok answer shows the schema went where the server looks for it.
    with fake_model_server("openai", models=(MODEL,)) as fake:
        async with LLMClient(settings_of(fake, response_format="json_object")) as llm:
            result = await llm.chat(MESSAGES, Answer)
    assert result.ok, result.detail
    [request] = fake.chat_requests()
    assert request.body is not None and request.body["response_format"]["type"] == "json_object"
    assert request.output_schema == Answer.model_json_schema()
