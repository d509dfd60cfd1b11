"""The official ``openai`` Python package against the fake OpenAI-compatible server: if it parses
the fake's answers and raises its own errors for the fake's failures, the fake speaks the API.

The client is built with ``max_retries=0``: the package retries 5xx and 429 by default, which
would hide what the fake answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from pydantic import BaseModel

from careerflow_testing.fake_openai import Behaviour, FakeOpenAI

MODEL = "llama3.2:3b"
KEY = "sk-test-0123456789abcdef"
MESSAGES: list[Any] = [{"role": "user", "content": "Which skills does the resume show?"}]


class Skills(BaseModel):
    skills: list[str]


SCHEMA_FORMAT: Any = {
    "type": "json_schema",
    "json_schema": {"name": "Skills", "schema": Skills.model_json_schema()},
}


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=(MODEL,), api_key=KEY) as server:
        yield server


@pytest.fixture
def client(fake: FakeOpenAI) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.url, api_key=KEY, timeout=5.0, max_retries=0)


def test_chat_without_streaming(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python"]})
    answer = client.chat.completions.create(
        model=MODEL, messages=MESSAGES, response_format=SCHEMA_FORMAT
    )
    [choice] = answer.choices
    assert Skills.model_validate_json(choice.message.content or "") == Skills(skills=["Python"])
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert answer.object == "chat.completion" and answer.model == MODEL
    assert answer.usage is not None and answer.usage.completion_tokens > 0
    [request] = fake.chat_requests()
    assert request.output_schema == Skills.model_json_schema()


def test_chat_streaming_with_usage(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python", "SQL"]})
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
            response_format=SCHEMA_FORMAT,
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert json.loads(text) == {"skills": ["Python", "SQL"]}
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens == len(MESSAGES[0]["content"]) // 4
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)


def test_streaming_without_usage_sends_no_usage_chunk(
    fake: FakeOpenAI, client: openai.OpenAI
) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content={"skills": []})
    chunks = list(client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    assert all(c.choices and c.usage is None for c in chunks)


def test_json_object_mode_gets_json(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(
        model=MODEL, messages=MESSAGES, response_format={"type": "json_object"}
    )
    assert json.loads(answer.choices[0].message.content or "") == {}


def test_list_models(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == [MODEL]


def test_a_wrong_key_is_an_authentication_error(fake: FakeOpenAI) -> None:
    wrong = openai.OpenAI(base_url=fake.url, api_key="sk-wrong", timeout=5.0, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        wrong.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert raised.value.status_code == 401
    assert "sk-wrong" not in str(raised.value.body)
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()


def test_missing_model_is_a_not_found_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="mistral:7b", messages=MESSAGES)
    assert raised.value.status_code == 404
    assert raised.value.code == "model_not_found"
    assert "mistral:7b" in raised.value.message


def test_error_500_and_busy_503_are_status_errors(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.enqueue(Behaviour.ERROR_500, content="out of memory")
    fake.enqueue(Behaviour.BUSY_503)
    with pytest.raises(openai.InternalServerError) as crashed:
        client.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert crashed.value.status_code == 500 and "out of memory" in crashed.value.message
    with pytest.raises(openai.InternalServerError) as busy:
        client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    assert busy.value.status_code == 503


def test_error_mid_stream_raises_while_iterating(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.set_behaviour(Behaviour.ERROR_MID_STREAM, content={"skills": ["Python", "Go", "SQL"]})
    received = []
    with pytest.raises(openai.APIError, match="unexpected EOF"):
        for chunk in client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True):
            received.append(chunk)
    # The role chunk, then the two pieces the behaviour sends before its error.
    assert [bool(c.choices[0].delta.content) for c in received] == [False, True, True]


def test_length_is_the_finish_reason(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.set_behaviour(Behaviour.LENGTH, content="a long answer cut short")
    answer = client.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert answer.choices[0].finish_reason == "length"
    assert "a long answer cut short".startswith(answer.choices[0].message.content or "")


def test_a_truncated_stream_has_no_finish(fake: FakeOpenAI, client: openai.OpenAI) -> None:
    fake.set_behaviour(Behaviour.TRUNCATED, content={"skills": ["Python", "Go", "SQL"]})
    chunks = list(client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    assert chunks and all(c.choices[0].finish_reason is None for c in chunks)


async def test_async_client_streams(fake: FakeOpenAI) -> None:
    fake.set_behaviour(Behaviour.THINK_PREFIX, content={"skills": []})
    client = openai.AsyncOpenAI(base_url=fake.url, api_key=KEY, timeout=5.0, max_retries=0)
    text = ""
    async for chunk in await client.chat.completions.create(
        model=MODEL, messages=MESSAGES, stream=True
    ):
        text += chunk.choices[0].delta.content or ""
    await client.close()
    assert text.startswith("<think>")
    assert json.loads(text.partition("</think>")[2]) == {"skills": []}
