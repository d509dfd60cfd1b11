"""The client over the OpenAI-compatible API, against httpx.MockTransport: the request it sends,
how it reads server-sent events, what it measures, and how it classifies answers.

Streams move an injected clock before each line, as in ``test_llm_client_deadlines``, so the
figures and the limits are decided by the clock the client was given, never the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from careerflow_llm import LLMClient, LLMSettings
from careerflow_testing.clock import FakeClock

MODEL = "qwen2.5-3b-instruct"
BASE_URL = "http://vllm.test:8000/v1"
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Hi"}]
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
GOOD = '{"skills": ["Python", "SQL"]}'


class Skills(BaseModel):
    skills: list[str]


def event(body: dict[str, Any] | str) -> bytes:
    data = body if isinstance(body, str) else json.dumps(body)
    return f"data: {data}\n\n".encode()


def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> bytes:
    choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": MODEL}
    return event(body | {"choices": [choice]} | extra)


def usage(prompt: int, completion: int) -> bytes:
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": []}
    counts = {"prompt_tokens": prompt, "completion_tokens": completion}
    return event(body | {"usage": counts | {"total_tokens": prompt + completion}})


DONE = event("[DONE]")

Step = tuple[float, bytes]
"""Seconds the fake clock moves on, then the bytes sent."""


def pieces(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def answer_of(
    text: str, *, first_after_s: float = 0.0, gap_s: float = 0.0, end: list[bytes] | None = None
) -> list[Step]:
    """The role chunk, ``text`` four characters a chunk, then ``end`` (finish, usage, DONE)."""
    steps: list[Step] = [(first_after_s, chunk({"role": "assistant", "content": ""}))]
    steps += [(gap_s if i else 0.0, chunk({"content": p})) for i, p in enumerate(pieces(text))]
    for line in [chunk({}, "stop"), DONE] if end is None else end:
        steps.append((0.0, line))
    return steps


class Server:
    """A MockTransport handler: records requests, answers each chat with the next stream (the
    clock moved on before each step), and ``GET /models`` with the model list."""

    def __init__(self, clock: FakeClock, *streams: list[Step], status: int = 200) -> None:
        self.clock = clock
        self.streams = list(streams)
        self.status = status
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "GET":
            return httpx.Response(200, json={"object": "list", "data": [{"id": MODEL}]})
        steps = self.streams.pop(0)
        if self.status >= 400:
            return httpx.Response(self.status, content=b"".join(body for _, body in steps))
        return httpx.Response(200, content=self._play(steps))

    async def _play(self, steps: list[Step]) -> AsyncIterator[bytes]:
        for seconds, body in steps:
            self.clock.now += seconds
            yield body


def client_for(server: Server, **settings: Any) -> LLMClient:
    values: dict[str, Any] = {"provider": "openai", "url": BASE_URL, "model": MODEL} | settings
    return LLMClient(
        LLMSettings(**values),
        clock=server.clock,
        now=lambda: NOW,
        transport=httpx.MockTransport(server),
    )


async def chat(server: Server, **settings: Any) -> tuple[Any, LLMClient]:
    async with client_for(server, **settings) as client:
        result = await client.chat(MESSAGES, Skills)
    return result, client


async def test_the_request_is_a_streamed_json_schema_chat_completion() -> None:
    server = Server(FakeClock(), answer_of(GOOD))
    result, _ = await chat(server, api_key="sk-secret", num_predict=700, temperature=0.1)
    assert result.ok, result.detail
    assert result.value == Skills(skills=["Python", "SQL"])
    [request] = server.requests
    assert (request.method, str(request.url)) == ("POST", f"{BASE_URL}/chat/completions")
    assert request.headers["authorization"] == "Bearer sk-secret"
    body = json.loads(request.content)
    assert body == {
        "model": MODEL,
        "messages": MESSAGES,
        "stream": True,
        "stream_options": {"include_usage": True},
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "Skills", "schema": Skills.model_json_schema()},
        },
        "max_tokens": 700,
        "temperature": 0.1,
    }


async def test_llama_cpp_python_gets_the_schema_in_its_json_object_form() -> None:
    # llama-cpp-python's server refuses a json_schema response_format (422); it takes this.
    server = Server(FakeClock(), answer_of(GOOD))
    result, _ = await chat(server, response_format="json_object")
    assert result.ok, result.detail
    body = json.loads(server.requests[0].content)
    assert body["response_format"] == {"type": "json_object", "schema": Skills.model_json_schema()}


async def test_without_a_key_no_authorization_is_sent() -> None:
    server = Server(FakeClock(), answer_of(GOOD))
    await chat(server)
    assert "authorization" not in server.requests[0].headers


async def test_the_figures_are_measured_from_the_stream_and_the_usage() -> None:
    # 12 s to the first token for 600 prompt tokens; 10 pieces, 0.5 s apart; 40 output tokens.
    end = [chunk({}, "stop"), usage(600, 40), DONE]
    steps = answer_of("0123456789" * 4, first_after_s=12.0, gap_s=0.5, end=end)
    async with client_for(Server(FakeClock(), steps)) as client:
        await client.chat(MESSAGES, Skills)  # not JSON: measured all the same
        speed = client.speed.snapshot()
    last = speed["last"]
    assert last["load_s"] is None and speed["load_s"] is None
    assert (last["prompt_tokens"], last["prompt_s"]) == (600, 12.0)
    assert last["prompt_tokens_per_s"] == 50.0
    assert (last["output_tokens"], last["output_s"]) == (40, 4.5)
    assert last["output_tokens_per_s"] == pytest.approx(40 / 4.5, abs=0.001)


async def test_llama_cpp_timings_are_used_when_the_server_gives_them() -> None:
    timings = {"prompt_n": 300, "prompt_ms": 1500.0, "predicted_n": 20, "predicted_ms": 1000.0}
    end = [chunk({}, "stop", timings=timings), DONE]
    server = Server(FakeClock(), answer_of(GOOD, first_after_s=9.0, end=end))
    async with client_for(server) as client:
        await client.chat(MESSAGES, Skills)
        last = client.speed.snapshot()["last"]
    assert (last["prompt_tokens"], last["prompt_s"]) == (300, 1.5)
    assert (last["output_tokens"], last["output_s"]) == (20, 1.0)


async def test_without_usage_the_output_is_counted_in_lines() -> None:
    steps = answer_of("0123456789" * 2, first_after_s=1.0, gap_s=0.25)  # 5 pieces, no usage
    async with client_for(Server(FakeClock(), steps)) as client:
        await client.chat(MESSAGES, Skills)  # not JSON: measured all the same
        last = client.speed.snapshot()["last"]
    assert (last["output_tokens"], last["output_s"]) == (5, 1.0)


async def test_keep_alive_comments_are_not_tokens() -> None:
    # A server that sends a comment every 20 s while it is stuck: the comments would keep a
    # 30 s stall limit from ever firing, so they must not count as the first token.
    stuck: list[Step] = [(20.0, b": keep-alive\n\n") for _ in range(20)]
    server = Server(FakeClock(), stuck + answer_of(GOOD))
    result, client = await chat(server, first_token_s=300.0, stall_s=30.0)
    assert (result.fallback_reason, result.detail) == ("timeout", "no first token within 300 s")
    assert client.breaker.snapshot().slow == 1


async def test_a_role_chunk_alone_does_not_start_the_stall_clock() -> None:
    # The role arrives at once, the first piece of the answer 100 s later (the prompt being
    # read): that is a first-token wait, not a 100 s silence between tokens.
    steps = answer_of(GOOD)
    steps[1] = (100.0, steps[1][1])
    result, client = await chat(Server(FakeClock(), steps), stall_s=30.0)
    assert result.ok, result.detail
    assert client.last_call is not None and client.last_call["first_token_s"] == 100.0


async def test_reasoning_moves_the_clocks_but_is_not_the_answer() -> None:
    thinking: list[Step] = [(20.0, chunk({"reasoning_content": "Let me think."})) for _ in range(5)]
    server = Server(FakeClock(), thinking + answer_of(GOOD, first_after_s=20.0))
    result, _ = await chat(server, first_token_s=60.0, stall_s=30.0)
    assert result.ok, result.detail
    assert result.value == Skills(skills=["Python", "SQL"])


async def test_the_end_marker_may_be_missing_after_a_finish() -> None:
    server = Server(FakeClock(), answer_of(GOOD, end=[chunk({}, "stop")]))
    result, _ = await chat(server)
    assert result.ok, result.detail


@pytest.mark.parametrize(
    ("end", "reason", "detail"),
    [
        ([], "invalid_output", "stream ended before done"),
        ([chunk({}, "length"), DONE], "invalid_output", "answer cut at max_tokens"),
        (
            [chunk({}, "content_filter"), DONE],
            "invalid_output",
            "answer withheld by the server's content filter",
        ),
        (
            [event({"error": {"message": "CUDA out of memory", "type": "server_error"}})],
            "model_error",
            "model error: CUDA out of memory",
        ),
        (
            [event({"object": "error", "message": "engine dead", "code": 500})],
            "model_error",
            "model error: engine dead",
        ),
        ([b"data: {not json\n\n"], "model_error", "unreadable line in the stream"),
    ],
    ids=["truncated", "length", "content-filter", "error-event", "vllm-error", "unreadable"],
)
async def test_how_a_stream_ends_decides_the_reason(
    end: list[bytes], reason: str, detail: str
) -> None:
    result, client = await chat(Server(FakeClock(), answer_of(GOOD, end=end)))
    assert (result.fallback_reason, result.detail) == (reason, detail)
    assert client.breaker.snapshot().failures == 1


@pytest.mark.parametrize(
    ("status", "body", "detail", "config_error"),
    [
        (
            404,
            {"error": {"message": f"The model `{MODEL}` does not exist.", "type": "NotFound"}},
            f"model '{MODEL}' not found, or no chat API at this URL (HTTP 404)",
            True,
        ),
        (
            401,
            {"error": {"message": "Incorrect API key provided: sk-abc***xyz"}},
            "request refused (HTTP 401): the API key was not accepted",
            True,
        ),
        (
            400,
            {"object": "error", "message": "max_tokens is too large", "code": 400},
            "request refused (HTTP 400): max_tokens is too large",
            True,
        ),
        (
            429,
            {"error": {"message": "Rate limit reached"}},
            "HTTP 429 (busy): Rate limit reached",
            False,
        ),
        (503, {"error": {"message": "Loading model"}}, "HTTP 503 (busy): Loading model", False),
    ],
)
async def test_http_errors(
    status: int, body: dict[str, Any], detail: str, config_error: bool
) -> None:
    server = Server(FakeClock(), [(0.0, json.dumps(body).encode())], status=status)
    result, client = await chat(server)
    assert (result.fallback_reason, result.detail) == ("model_error", detail)
    snapshot = client.breaker.snapshot()
    assert (snapshot.config_errors, snapshot.failures) == ((1, 0) if config_error else (0, 1))


async def test_the_probe_lists_the_models() -> None:
    server = Server(FakeClock())
    async with client_for(server, api_key="sk-secret") as client:
        assert await client.probe()
        assert client.health()["last_probe"]["model_listed"] is True
    [request] = server.requests
    assert str(request.url) == f"{BASE_URL}/models"
    assert request.headers["authorization"] == "Bearer sk-secret"
