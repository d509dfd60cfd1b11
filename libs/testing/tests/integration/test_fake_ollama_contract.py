"""The official ``ollama`` Python package against the fake: if it parses the fake's answers and
raises its own errors for the fake's failures, the fake speaks Ollama's protocol."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import ollama
import pytest
from pydantic import BaseModel

from careerflow_testing.fake_ollama import Behaviour, FakeOllama

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "user", "content": "Which skills does the resume show?"}]


class Skills(BaseModel):
    skills: list[str]


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL,)) as server:
        yield server


@pytest.fixture
def client(fake: FakeOllama) -> ollama.Client:
    return ollama.Client(host=fake.url, timeout=5.0)


def test_chat_without_streaming(fake: FakeOllama, client: ollama.Client) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python"]})
    answer = client.chat(
        model=MODEL, messages=MESSAGES, format=Skills.model_json_schema(), stream=False
    )
    assert Skills.model_validate_json(answer.message.content or "") == Skills(skills=["Python"])
    assert answer.done is True and answer.done_reason == "stop"
    assert answer.message.role == "assistant"
    assert answer.eval_count and answer.total_duration is not None
    [request] = fake.chat_requests()
    assert request.body is not None
    assert request.body["format"] == Skills.model_json_schema()


def test_chat_streaming(fake: FakeOllama, client: ollama.Client) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python", "SQL"]})
    parts = list(client.chat(model=MODEL, messages=MESSAGES, stream=True))
    assert len(parts) > 2
    assert parts[-1].done is True and parts[-1].done_reason == "stop"
    text = "".join(part.message.content or "" for part in parts)
    assert json.loads(text) == {"skills": ["Python", "SQL"]}


def test_format_schema_without_script_gets_a_valid_instance(client: ollama.Client) -> None:
    answer = client.chat(model=MODEL, messages=MESSAGES, format=Skills.model_json_schema())
    Skills.model_validate_json(answer.message.content or "")


def test_generate(fake: FakeOllama, client: ollama.Client) -> None:
    fake.set_behaviour(Behaviour.LENGTH, content="a long answer cut short")
    answer = client.generate(model=MODEL, prompt="Say something.")
    assert answer.done_reason == "length"
    assert answer.response and "a long answer cut short".startswith(answer.response)


def test_list_ps_show_and_version(fake: FakeOllama, client: ollama.Client) -> None:
    assert [m.model for m in client.list().models] == [MODEL]
    assert [m.model for m in client.ps().models] == [MODEL]
    assert client.show(MODEL).details is not None
    # The package has no version call; the route is what ``ollama --version`` asks.
    assert httpx.get(f"{fake.url}/api/version").json()["version"]


def test_missing_model_is_a_404_response_error(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as raised:
        client.chat(model="mistral:7b", messages=MESSAGES)
    assert raised.value.status_code == 404
    assert raised.value.error == 'model "mistral:7b" not found, try pulling it first'


def test_error_500_and_busy_503_are_response_errors(
    fake: FakeOllama, client: ollama.Client
) -> None:
    fake.enqueue(Behaviour.ERROR_500, content="out of memory")
    fake.enqueue(Behaviour.BUSY_503)
    with pytest.raises(ollama.ResponseError) as crashed:
        client.chat(model=MODEL, messages=MESSAGES)
    assert (crashed.value.status_code, crashed.value.error) == (500, "out of memory")
    with pytest.raises(ollama.ResponseError) as busy:
        client.chat(model=MODEL, messages=MESSAGES)
    assert busy.value.status_code == 503


def test_error_mid_stream_raises_while_iterating(fake: FakeOllama, client: ollama.Client) -> None:
    fake.set_behaviour(Behaviour.ERROR_MID_STREAM, content={"skills": ["Python", "Go", "SQL"]})
    received = []
    with pytest.raises(ollama.ResponseError, match="unexpected EOF"):
        for part in client.chat(model=MODEL, messages=MESSAGES, stream=True):
            received.append(part)
    assert len(received) == 2


async def test_async_client_streams(fake: FakeOllama) -> None:
    fake.set_behaviour(Behaviour.THINK_PREFIX, content={"skills": []})
    client = ollama.AsyncClient(host=fake.url, timeout=5.0)
    text = ""
    async for part in await client.chat(model=MODEL, messages=MESSAGES, stream=True):
        text += part.message.content or ""
    assert text.startswith("<think>")
    assert json.loads(text.partition("</think>")[2]) == {"skills": []}
