"""The API key reaches the server and nothing else: not the logs (httpx's and httpcore's
included, at DEBUG), not a result's detail, not ``/health``, not a repr of the settings.

Against the fake OpenAI-compatible server with a key: it refuses any call without it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from careerflow_llm import LLMClient, LLMSettings
from careerflow_testing.fake_openai import Behaviour, FakeOpenAI

KEY = "sk-live-7f3a9c2e41b8d6057e1f"
MODEL = "llama3.2:3b"
MESSAGES = [{"role": "user", "content": "Which skills?"}]


class Skills(BaseModel):
    skills: list[str]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=(MODEL,), api_key=KEY) as server:
        yield server


def settings(fake: FakeOpenAI, key: str) -> LLMSettings:
    return LLMSettings(
        provider="openai", url=fake.url, model=MODEL, api_key=key, budget_s=5.0, stall_s=2.0
    )


async def test_the_key_is_sent_and_never_shown(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, httpcore's
    fake.enqueue(Behaviour.HEALTHY, content={"skills": ["Python"]})
    # A server whose error text quotes the key it was given.
    fake.enqueue(Behaviour.ERROR_500, content=f"upstream refused the key {KEY}")
    fake.enqueue(Behaviour.MALFORMED_JSON)
    own = settings(fake, KEY)
    async with LLMClient(own) as client:
        results = [await client.chat(MESSAGES, Skills) for _ in range(3)]
        assert await client.probe()
        health = client.health()
    assert [r.fallback_reason for r in results] == [None, "model_error", "invalid_output"]
    assert results[1].detail == "HTTP 500: upstream refused the key **********"
    assert health["api_key_set"] is True and health["last_probe"]["model_listed"] is True

    shown = [
        caplog.text,
        *(r.detail or "" for r in results),
        json.dumps(health),
        repr(own),
        str(own),
        own.model_dump_json(),
        repr(own.api_key),
    ]
    assert caplog.text, "the calls were logged at DEBUG"
    assert all(KEY not in text for text in shown)


async def test_a_wrong_key_is_a_configuration_error_named_as_such(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "sk-wrong-1234567890"
    async with LLMClient(settings(fake, wrong)) as client:
        result = await client.chat(MESSAGES, Skills)
        assert not await client.probe()
        snapshot = client.breaker.snapshot()
    assert (result.fallback_reason, result.detail) == (
        "model_error",
        "request refused (HTTP 401): the API key was not accepted",
    )
    assert (snapshot.config_errors, snapshot.failures) == (1, 0)
    assert wrong not in caplog.text and KEY not in caplog.text
