"""The fake Ollama's speed profiles, observed over real HTTP: it loads, queues, reads and writes
at the profile's pace and reports what each part took, as Ollama does.

Answers are kept short so that each test streams for a second or two at the profile's rates.
Timing bounds are strict below (the fake must really take the time) and loose above (a loaded
machine is slower, never faster).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import ollama
import pytest

from careerflow_testing.fake_ollama import (
    GPU,
    LAPTOP_CPU,
    Behaviour,
    FakeOllama,
    SpeedProfile,
    main,
)

MODEL = "llama3.2:3b"
PROMPT = "Read this resume and list the skills it shows. " * 4  # 188 characters: 47 tokens
PROMPT_TOKENS = len(PROMPT) // 4
ANSWER = {"skills": ["Python", "Django", "PostgreSQL", "Kubernetes"]}
ANSWER_TOKENS = -(-len(json.dumps(ANSWER)) // 4)  # four characters a token, the last shorter
QUICK = SpeedProfile(load_s=0.5, prompt_tokens_per_s=200.0, output_tokens_per_s=40.0, parallel=1)
SLACK_S = 1.5  # how much slower than its profile a loaded machine may make the fake
NS = 1e9


def chat_body(**extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], **extra}


@dataclass
class Observed:
    """One streamed answer as the client saw it: when each line came, and the lines."""

    sent_at: float
    line_times: list[float] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first_token_s(self) -> float:
        return self.line_times[0] - self.sent_at

    @property
    def final(self) -> dict[str, Any]:
        return self.lines[-1]

    @property
    def tokens(self) -> list[str]:
        return [line["message"]["content"] for line in self.lines if not line["done"]]


async def observe(http: httpx.AsyncClient, **extra: Any) -> Observed:
    seen = Observed(sent_at=time.monotonic())
    async with http.stream("POST", "/api/chat", json=chat_body(**extra)) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line:
                seen.line_times.append(time.monotonic())
                seen.lines.append(json.loads(line))
    return seen


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL,), profile=QUICK) as server:
        server.set_behaviour(Behaviour.HEALTHY, content=ANSWER)
        yield server


@pytest.fixture
async def http(fake: FakeOllama) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.url, timeout=30.0) as client:
        yield client


async def test_the_laptop_profile_loads_reads_and_writes_at_its_pace() -> None:
    with FakeOllama(models=(MODEL,), profile=LAPTOP_CPU) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=ANSWER)
        async with httpx.AsyncClient(base_url=fake.url, timeout=30.0) as http:
            seen = await observe(http)
    reading = PROMPT_TOKENS / 60
    writing = ANSWER_TOKENS / 15
    assert 4.0 + reading + 1 / 15 <= seen.first_token_s <= 4.0 + reading + SLACK_S
    # One token (four characters) a line, at 15 tokens/s.
    assert "".join(seen.tokens) == json.dumps(ANSWER)
    assert all(len(token) <= 4 for token in seen.tokens)
    assert len(seen.tokens) == ANSWER_TOKENS
    # Tokens are due at their places on the profile's clock: a late first one is caught up.
    span = seen.line_times[-2] - seen.line_times[0]
    assert (ANSWER_TOKENS - 1) / 15 - 0.05 <= span <= (ANSWER_TOKENS - 1) / 15 + SLACK_S
    # The last line reports what each part took, in nanoseconds.
    final = seen.final
    assert final["done"] is True and final["done_reason"] == "stop"
    assert 4.0 <= final["load_duration"] / NS <= 4.0 + SLACK_S
    assert final["prompt_eval_count"] == PROMPT_TOKENS
    assert reading <= final["prompt_eval_duration"] / NS <= reading + SLACK_S
    assert final["eval_count"] == ANSWER_TOKENS
    assert writing <= final["eval_duration"] / NS <= writing + SLACK_S
    parts = final["load_duration"] + final["prompt_eval_duration"] + final["eval_duration"]
    assert parts <= final["total_duration"]
    rate = final["eval_count"] / (final["eval_duration"] / NS)
    assert 15 * 0.9 <= rate <= 15


async def test_a_loaded_model_does_not_load_again_until_reset(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    cold = await observe(http)
    warm = await observe(http)
    assert cold.final["load_duration"] / NS >= QUICK.load_s
    assert warm.final["load_duration"] / NS < 0.1
    assert warm.first_token_s < cold.first_token_s - QUICK.load_s / 2
    fake.reset()
    fake.set_behaviour(Behaviour.HEALTHY, content=ANSWER)
    again = await observe(http)
    assert again.final["load_duration"] / NS >= QUICK.load_s


async def test_calls_arriving_during_the_load_wait_for_the_same_load(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_profile(
        SpeedProfile(load_s=1.0, prompt_tokens_per_s=500, output_tokens_per_s=50, parallel=2)
    )
    both = await asyncio.gather(observe(http), observe(http))
    for seen in both:
        assert 1.0 <= seen.first_token_s <= 1.0 + SLACK_S, "one load of 1 s, not two"
    assert fake.peak_concurrency == 2


async def test_beyond_its_slots_a_call_waits_and_the_wait_counts_only_in_its_first_token(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    await observe(http)  # loaded
    first, second = await asyncio.gather(observe(http), observe(http))
    first, second = sorted((first, second), key=lambda seen: seen.line_times[0])
    assert fake.peak_concurrency == 1
    # The second is worked on once the first is done.
    assert second.line_times[0] >= first.line_times[-1]
    own_work = PROMPT_TOKENS / QUICK.prompt_tokens_per_s + 1 / QUICK.output_tokens_per_s
    assert second.first_token_s >= first.first_token_s + ANSWER_TOKENS / 40
    # Ollama reports the model's own work; the queue is in none of the durations.
    reported = (second.final["load_duration"] + second.final["prompt_eval_duration"]) / NS
    assert reported <= own_work + SLACK_S / 2
    assert reported + ANSWER_TOKENS / 40 <= second.first_token_s


async def test_a_gpu_profile_works_on_four_calls_at_once() -> None:
    fast_gpu = SpeedProfile(
        load_s=0.2, prompt_tokens_per_s=1500.0, output_tokens_per_s=60.0, parallel=4
    )
    assert (GPU.load_s, GPU.prompt_tokens_per_s, GPU.output_tokens_per_s) == (2.0, 1500.0, 60.0)
    with FakeOllama(models=(MODEL,), profile=fast_gpu) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=ANSWER)
        async with httpx.AsyncClient(base_url=fake.url, timeout=30.0) as http:
            started = time.monotonic()
            calls = await asyncio.gather(*(observe(http) for _ in range(4)))
            elapsed = time.monotonic() - started
        assert fake.peak_concurrency == 4
    one_call = 0.2 + PROMPT_TOKENS / 1500 + ANSWER_TOKENS / 60
    assert elapsed <= one_call + SLACK_S, "four at once, not one after another"
    assert all(seen.final["eval_count"] == ANSWER_TOKENS for seen in calls)


async def test_a_long_answer_keeps_the_profiles_rate(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    # Each token is due at its place on the profile's clock, so the time spent sending 200
    # lines does not add up and slow the model below its rate.
    fake.set_profile(SpeedProfile(load_s=0.0, prompt_tokens_per_s=1000, output_tokens_per_s=200))
    fake.set_behaviour(Behaviour.HEALTHY, content={"text": "x" * 788})
    seen = await observe(http)
    final = seen.final
    assert final["eval_count"] == 200
    assert 200 * 0.8 <= final["eval_count"] / (final["eval_duration"] / NS) <= 200
    assert seen.line_times[-1] - seen.line_times[0] >= 199 / 200 - 0.05


async def test_a_stalled_model_writes_half_its_answer_then_goes_silent(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_behaviour(Behaviour.STALL, content=ANSWER)
    lines: list[dict[str, Any]] = []
    with pytest.raises(httpx.ReadTimeout):
        async with http.stream("POST", "/api/chat", json=chat_body(), timeout=2.0) as response:
            async for line in response.aiter_lines():
                if line:
                    lines.append(json.loads(line))
    assert len(lines) == -(-ANSWER_TOKENS // 2)
    assert not any(line["done"] for line in lines)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2.0, "a stalled answer never holds up the fake"


async def test_without_streaming_the_whole_answer_comes_when_written(
    http: httpx.AsyncClient,
) -> None:
    started = time.monotonic()
    got = await http.post("/api/chat", json=chat_body(stream=False))
    elapsed = time.monotonic() - started
    body = got.json()
    assert json.loads(body["message"]["content"]) == ANSWER
    least = QUICK.load_s + PROMPT_TOKENS / 200 + ANSWER_TOKENS / 40
    assert least <= elapsed <= least + SLACK_S
    assert body["eval_count"] == ANSWER_TOKENS
    assert body["eval_duration"] / NS >= ANSWER_TOKENS / 40


async def test_the_profile_is_set_over_http(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    got = await http.post("/_fake/profile", json={"profile": "laptop-cpu"})
    assert got.status_code == 200 and got.json()["profile"]["name"] == "laptop-cpu"
    assert fake.profile == LAPTOP_CPU
    custom = {"load_s": 0, "prompt_tokens_per_s": 100, "output_tokens_per_s": 50, "parallel": 3}
    got = await http.post("/_fake/profile", json={"profile": custom})
    assert got.json()["profile"]["parallel"] == 3
    assert fake.profile == SpeedProfile(0.0, 100.0, 50.0, 3)
    bad = await http.post("/_fake/profile", json={"profile": "supercomputer"})
    assert bad.status_code == 400 and "unknown profile" in bad.json()["error"]
    negative = await http.post("/_fake/profile", json={"profile": custom | {"parallel": 0}})
    assert negative.status_code == 400
    cleared = await http.post("/_fake/profile", json={"profile": None})
    assert cleared.json() == {"profile": None}
    assert fake.profile is None


def test_the_official_client_reads_the_profiles_figures(fake: FakeOllama) -> None:
    client = ollama.Client(host=fake.url, timeout=30.0)
    parts = list(
        client.chat(model=MODEL, messages=[{"role": "user", "content": PROMPT}], stream=True)
    )
    final = parts[-1]
    assert final.done is True
    assert final.eval_count == ANSWER_TOKENS
    assert final.prompt_eval_count == PROMPT_TOKENS
    assert final.load_duration is not None and final.load_duration >= QUICK.load_s * NS


def test_the_command_line_takes_a_profile() -> None:
    with pytest.raises(SystemExit):
        main(["--profile", "mainframe"])
