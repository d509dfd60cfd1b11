"""The client's limits against each fake model server (Ollama's API, the OpenAI-compatible one)
working at a real model's pace.

A working model, however slow, is used; a stuck one is cut by the first-token or the stall
limit and opens the breaker after as many calls as any other failure, whichever the API.
Answers are short, so a laptop-speed call streams for a few seconds.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from careerflow_llm import BreakerConfig, BreakerState, LLMClient, LLMSettings
from careerflow_llm.pace import first_token_limit, stall_limit
from careerflow_testing.fake_ollama import LAPTOP_CPU, Behaviour, SpeedProfile
from careerflow_testing.model_servers import PROVIDERS, FakeModelServer, fake_model_server

MODEL = "llama3.2:3b"
RESUME = "Backend engineer, six years of Python, Django, PostgreSQL and Kubernetes. " * 3
MESSAGES = [
    {"role": "system", "content": "List the skills the resume shows, in JSON."},
    {"role": "user", "content": RESUME},
]
SKILLS = ["Python", "Django", "PostgreSQL", "Kubernetes", "Docker", "Redis", "Celery", "Go"]
CONTENT = {"skills": SKILLS * 2}  # 60 tokens: four seconds of writing at 15 tokens/s
# A model that starts in a fraction of a second and writes 40 tokens a second, one call at a time.
QUICK = SpeedProfile(load_s=0.2, prompt_tokens_per_s=400.0, output_tokens_per_s=40.0, parallel=1)
MARGIN_S = 1.0  # a loaded machine is slower; the limits here are tenths of a second


class Skills(BaseModel):
    skills: list[str]


def settings(fake: FakeModelServer, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {
        "provider": fake.provider,
        "url": fake.url,
        "model": MODEL,
        "budget_s": 30.0,
        "connect_timeout_s": 0.5,
        # The same window as the other integration tests: four failures in four calls open it.
        "breaker": BreakerConfig(window_size=4, minimum_calls=4, wait_open_s=30.0),
    } | overrides
    return LLMSettings(**values)


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(provider: str) -> Iterator[FakeModelServer]:
    with fake_model_server(provider, models=(MODEL,), profile=QUICK) as server:
        server.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
        yield server


async def test_a_long_answer_at_laptop_speed_completes_and_sets_the_limits(provider: str) -> None:
    # Under the former single 30 s timeout with a 20 s slow-call mark, a question set written
    # at this pace was cut or called slow; here only a silence would cut it.
    with fake_model_server(provider, models=(MODEL,), profile=LAPTOP_CPU) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
        async with LLMClient(settings(fake, stall_s=2.0)) as llm:
            started = time.monotonic()
            result = await llm.chat(MESSAGES, Skills)
            elapsed = time.monotonic() - started
            health = llm.health()
    assert result.ok, result.detail
    assert result.value == Skills(**CONTENT)
    writing = len(json.dumps(CONTENT)) / 4 / 15
    assert elapsed >= 4.0 + writing, "the fake really took a laptop's time"
    assert (llm.breaker.snapshot().successes, llm.breaker.snapshot().slow) == (1, 0)
    speed = health["speed"]
    tokens = -(-len(json.dumps(CONTENT)) // 4)
    assert speed["output_tokens_per_s"] == pytest.approx(15.0, rel=0.3)
    assert health["last_call"]["first_token_s"] >= 4.0
    # This test's stall limit (2 s) is the ceiling of the adaptive one.
    assert health["limits"]["stall_s"] == 2.0
    defaults = LLMSettings().pace_limits()
    if provider == "ollama":
        # Ollama's own account: the load and the reading rate apart. With the defaults, the
        # measured pace gives 3 x (4 s + 3000 tokens at 60 tokens/s) to a resume-sized prompt,
        # plus one 2 048-token answer of another service at 15 tokens/s (near the 300 s
        # ceiling), and 3 x reading one 512-token batch at 60 tokens/s between two tokens.
        assert speed["load_s"] == pytest.approx(4.0, abs=MARGIN_S)
        assert speed["prompt_tokens_per_s"] == pytest.approx(60.0, rel=0.3)
        assert health["last_call"]["lines"] == tokens + 1  # and done
        expected = min(defaults.first_token_s, 162.0 + 2048 / 15)
        assert first_token_limit(defaults, llm.speed, 3000) == pytest.approx(expected, rel=0.3)
        assert stall_limit(defaults, llm.speed) == pytest.approx(3 * 512 / 60, rel=0.3)
    else:
        # The OpenAI API tells no load: the wait for the first token (the 4 s load and the
        # reading) is all counted as reading, so a cold start leaves generous limits, here
        # their ceilings, never tight ones.
        prompt_tokens = len("".join(m["content"] for m in MESSAGES)) // 4
        assert speed["load_s"] is None
        assert speed["prompt_tokens_per_s"] == pytest.approx(
            prompt_tokens / (4.0 + prompt_tokens / 60), rel=0.3
        )
        assert health["last_call"]["lines"] == tokens + 3  # the finish, the usage, [DONE]
        assert first_token_limit(defaults, llm.speed, 3000) == defaults.first_token_s
        assert stall_limit(defaults, llm.speed) == defaults.stall_s


async def test_a_hanging_model_is_cut_by_the_first_token_limit(fake: FakeModelServer) -> None:
    fake.set_behaviour(Behaviour.HANG)
    async with LLMClient(settings(fake, first_token_s=0.3)) as llm:
        started = time.monotonic()
        result = await llm.chat(MESSAGES, Skills)
        elapsed = time.monotonic() - started
    assert (result.fallback_reason, result.detail) == ("timeout", "no first token within 0.3 s")
    assert 0.3 <= elapsed <= 0.3 + MARGIN_S
    assert (llm.breaker.snapshot().failures, llm.breaker.snapshot().slow) == (1, 1)


async def test_a_model_that_stalls_is_cut_by_the_stall_limit(fake: FakeModelServer) -> None:
    fake.set_behaviour(Behaviour.STALL, content=CONTENT)
    async with LLMClient(settings(fake, stall_s=0.5)) as llm:
        started = time.monotonic()
        result = await llm.chat(MESSAGES, Skills)
        elapsed = time.monotonic() - started
    tokens = -(-len(json.dumps(CONTENT)) // 4)
    written = -(-tokens // 2)
    assert result.fallback_reason == "timeout"
    assert result.detail == f"the model went silent for 0.5 s after {written} tokens"
    writing = written / QUICK.output_tokens_per_s
    assert QUICK.load_s + writing + 0.5 <= elapsed <= QUICK.load_s + writing + 0.5 + MARGIN_S
    assert (llm.breaker.snapshot().failures, llm.breaker.snapshot().slow) == (1, 1)


@pytest.mark.parametrize("behaviour", [Behaviour.HANG, Behaviour.STALL])
async def test_a_stuck_model_opens_the_breaker_after_as_many_calls_as_an_erroring_one(
    fake: FakeModelServer, behaviour: Behaviour
) -> None:
    # test_llm_client_fake_ollama opens this breaker with four 500s; a stuck model takes as many.
    # A short answer: a stalling model writes half of it before it goes silent, and how much it
    # wrote is not what this test is about (the stall limit's own test above reads that).
    fake.set_behaviour(behaviour, content={"skills": ["Python"]})
    async with LLMClient(settings(fake, first_token_s=0.3, stall_s=0.3)) as llm:
        results = [await llm.chat(MESSAGES, Skills) for _ in range(6)]
    assert [r.fallback_reason for r in results] == ["timeout"] * 4 + ["breaker_open"] * 2
    assert len(fake.chat_requests()) == 4
    assert llm.breaker.state is BreakerState.OPEN


async def test_a_call_queued_behind_another_is_not_cut_while_the_model_writes(
    fake: FakeModelServer,
) -> None:
    # One slot: the second call waits for the whole first answer (1.5 s of writing), longer
    # than its first-token limit, but the model is visibly working for this client meanwhile.
    first_token_s = 1.0
    async with LLMClient(settings(fake, first_token_s=first_token_s)) as llm:
        results = await asyncio.gather(*(llm.chat(MESSAGES, Skills) for _ in range(2)))
    assert [r.fallback_reason for r in results] == [None, None], [r.detail for r in results]
    assert max(r.duration_ms for r in results) / 1000 > first_token_s + 1.0
    assert fake.peak_concurrency == 1
    snapshot = llm.breaker.snapshot()
    assert (snapshot.successes, snapshot.slow) == (2, 0)
