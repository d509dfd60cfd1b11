"""OllamaClient against httpx.MockTransport: the request it sends and how it classifies answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from careerflow_contracts import FallbackDetail
from careerflow_llm import (
    BreakerConfig,
    BreakerState,
    ChatMessage,
    CircuitBreaker,
    LLMResult,
    OllamaClient,
    OllamaSettings,
)

MODEL = "llama3.2:3b"
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Hi"}]


class Answer(BaseModel):
    skills: list[str]


Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def ndjson(*chunks: dict[str, Any]) -> bytes:
    return b"".join(json.dumps(chunk).encode() + b"\n" for chunk in chunks)


def stream_of(content: str, *, pieces: int = 3, done_reason: str = "stop") -> bytes:
    size = max(1, len(content) // pieces)
    parts = [content[i : i + size] for i in range(0, len(content), size)]
    chunks = [
        {"model": MODEL, "message": {"role": "assistant", "content": p}, "done": False}
        for p in parts
    ]
    chunks.append(
        {
            "model": MODEL,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": done_reason,
        }
    )
    return ndjson(*chunks)


GOOD = stream_of('{"skills": ["Python", "SQL"]}')


class Recorder:
    """A MockTransport handler that records requests and answers with the given function;
    ``arrived`` is set at the first request."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.arrived = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.arrived.set()
        return await self.answer(request)


def responding(status: int = 200, content: bytes = GOOD) -> Recorder:
    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content)

    return Recorder(answer)


def raising(error: Exception) -> Recorder:
    async def answer(_: httpx.Request) -> httpx.Response:
        raise error

    return Recorder(answer)


def hanging() -> Recorder:
    async def answer(_: httpx.Request) -> httpx.Response:
        await asyncio.sleep(60)
        raise AssertionError("unreachable")

    return Recorder(answer)


def make_client(recorder: Recorder, **settings: Any) -> OllamaClient:
    return OllamaClient(
        OllamaSettings(url="http://ollama.test", model=MODEL, **settings),
        transport=httpx.MockTransport(recorder),
    )


NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def client_at_noon(recorder: Recorder, **settings: Any) -> OllamaClient:
    """A client whose clocks stand still: the wall clock at ``NOW`` (the deadline's time left is
    decided by it), the monotonic clock at 1000 s. Only the event loop's timer runs."""
    return OllamaClient(
        OllamaSettings(url="http://ollama.test", model=MODEL, **settings),
        clock=lambda: 1000.0,
        now=lambda: NOW,
        transport=httpx.MockTransport(recorder),
    )


async def chat(client: OllamaClient, **kwargs: Any) -> LLMResult[Answer]:
    return await client.chat(MESSAGES, Answer, **kwargs)


async def test_healthy_answer_is_validated_and_request_follows_the_contract() -> None:
    recorder = responding()
    async with make_client(recorder, num_ctx=4096, num_predict=256, temperature=0.1) as client:
        result = await chat(client)
    assert result.ok and result.source == "ai"
    assert result.value == Answer(skills=["Python", "SQL"])
    assert (result.fallback_reason, result.detail, result.model) == (None, None, MODEL)
    assert result.duration_ms >= 0
    [request] = recorder.requests
    assert (request.method, request.url.path) == ("POST", "/api/chat")
    body = json.loads(request.content)
    assert body["model"] == MODEL
    assert body["messages"] == MESSAGES
    assert body["stream"] is True
    assert body["think"] is False
    assert body["format"] == Answer.model_json_schema()
    assert body["options"] == {"num_ctx": 4096, "num_predict": 256, "temperature": 0.1}
    assert body["keep_alive"] == "10m"
    snapshot = client.breaker.snapshot()
    assert (snapshot.successes, snapshot.failures) == (1, 0)


async def test_accepts_chat_message_models() -> None:
    recorder = responding()
    async with make_client(recorder) as client:
        result = await client.chat([ChatMessage(role="user", content="Hi")], Answer)
    assert result.ok
    assert json.loads(recorder.requests[0].content)["messages"] == [
        {"role": "user", "content": "Hi"}
    ]


async def test_lines_split_across_network_chunks_are_reassembled() -> None:
    async def pieces() -> AsyncIterator[bytes]:
        for i in range(0, len(GOOD), 7):
            yield GOOD[i : i + 7]

    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pieces())

    async with make_client(Recorder(answer)) as client:
        result = await chat(client)
    assert result.value == Answer(skills=["Python", "SQL"])


async def test_fenced_and_thinking_answers_are_cleaned() -> None:
    content = '<think>hmm</think>\n```json\n{"skills": ["Go"]}\n```'
    async with make_client(responding(content=stream_of(content))) as client:
        result = await chat(client)
    assert result.value == Answer(skills=["Go"])


async def test_check_can_transform_the_value() -> None:
    def only_python(answer: Answer) -> Answer:
        return Answer(skills=[s for s in answer.skills if s == "Python"])

    async with make_client(responding()) as client:
        result = await chat(client, check=only_python)
    assert result.value == Answer(skills=["Python"])


async def test_disabled_falls_back_without_a_request() -> None:
    recorder = responding()
    async with make_client(recorder, enabled=False) as client:
        result = await chat(client)
    assert (result.ok, result.fallback_reason, result.source) == (False, "disabled", "fallback")
    assert recorder.requests == []


async def test_deadline_too_close_falls_back_without_a_request() -> None:
    recorder = responding()
    async with make_client(recorder, min_time_left_s=1.0) as client:
        soon = datetime.now(UTC) + timedelta(seconds=0.5)
        result = await chat(client, deadline=soon)
        past = await chat(client, deadline=datetime.now(UTC) - timedelta(minutes=1))
    assert result.fallback_reason == "deadline_exceeded"
    assert past.fallback_reason == "deadline_exceeded"
    assert past.detail == "0.0 s left before the deadline"
    assert recorder.requests == []
    assert client.breaker.snapshot().failures == 0


async def test_the_event_deadline_shortens_the_total_timeout() -> None:
    overrides = {"budget_s": 30.0, "min_time_left_s": 0.1, "publish_reserve_s": 0.2}
    async with client_at_noon(hanging(), **overrides) as client:
        result = await chat(client, deadline=NOW + timedelta(seconds=0.5))
    # Cut by the deadline less the publish reserve, not by the 30 s budget.
    assert (result.fallback_reason, result.detail) == (
        "timeout",
        "no answer before the event's deadline (0.3 s)",
    )
    assert client.last_call["budget_s"] == 0.3


async def test_the_publish_reserve_counts_toward_a_deadline_too_close() -> None:
    recorder = hanging()
    async with make_client(recorder, min_time_left_s=0.5, publish_reserve_s=0.5) as client:
        result = await chat(client, deadline=datetime.now(UTC) + timedelta(seconds=0.9))
    assert result.fallback_reason == "deadline_exceeded"
    assert recorder.requests == []


async def test_the_stage_budget_gives_timeout_within_the_budget() -> None:
    async with client_at_noon(hanging(), budget_s=0.2) as client:
        result = await chat(client)
    assert result.fallback_reason == "timeout"
    assert result.detail == "no answer within the stage budget of 0.2 s"
    assert client.breaker.snapshot().failures == 1


@pytest.mark.parametrize(
    ("error", "reason", "detail"),
    [
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            "connection_error",
            "connection refused",
        ),
        (httpx.ConnectTimeout("timed out"), "connection_error", "no connection within the timeout"),
        (httpx.ReadTimeout("timed out"), "timeout", "no data from the model for 600 s"),
        (
            httpx.RemoteProtocolError("peer closed"),
            "connection_error",
            "connection dropped during the answer",
        ),
        (httpx.ReadError("reset"), "connection_error", "connection dropped during the answer"),
    ],
)
async def test_transport_errors_are_failures(error: Exception, reason: str, detail: str) -> None:
    async with make_client(raising(error)) as client:
        result = await chat(client)
    assert (result.fallback_reason, result.detail) == (reason, detail)
    assert client.breaker.snapshot().failures == 1
    dropped = detail == "connection dropped during the answer"
    # As data: a lost connection says the model was answering (it is not said as a refused
    # one); httpx's own timeout says only
    # that it is this release's (a timeout with no detail is said over the call's whole time).
    assert (
        result.fallback_detail
        == {
            "connection_error": FallbackDetail(answering=True) if dropped else None,
            "timeout": FallbackDetail(),
        }[reason]
    )


@pytest.mark.parametrize(
    ("status", "detail"),
    [(500, "HTTP 500: boom"), (502, "HTTP 502: boom"), (503, "HTTP 503 (busy): boom")],
)
async def test_server_errors_are_model_errors_and_failures(status: int, detail: str) -> None:
    content = json.dumps({"error": "boom"}).encode()
    async with make_client(responding(status, content)) as client:
        result = await chat(client)
    assert (result.fallback_reason, result.detail) == ("model_error", detail)
    assert result.fallback_detail is None  # the server's text is for the log, not for words
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.config_errors) == (1, 0)


@pytest.mark.parametrize(
    ("status", "detail"),
    [
        (404, f"model '{MODEL}' not found (HTTP 404)"),
        (400, "request refused (HTTP 400): invalid format"),
    ],
)
async def test_client_errors_are_config_errors_not_failures(status: int, detail: str) -> None:
    content = json.dumps({"error": "invalid format"}).encode()
    async with make_client(responding(status, content)) as client:
        results = [await chat(client) for _ in range(8)]
    assert {(r.fallback_reason, r.detail) for r in results} == {("model_error", detail)}
    snapshot = client.breaker.snapshot()
    assert snapshot.state is BreakerState.CLOSED
    assert (snapshot.failures, snapshot.calls, snapshot.config_errors) == (0, 0, 8)
    health = client.health()
    assert health["config_errors"] == 8
    assert health["last_config_error"] == detail


@pytest.mark.parametrize(
    ("content", "reason", "detail"),
    [
        (
            ndjson(
                {"message": {"role": "assistant", "content": "{"}, "done": False},
                {"error": "out of memory"},
            ),
            "model_error",
            "model error: out of memory",
        ),
        (b"this is not ndjson\n", "model_error", "unreadable line in the stream"),
        (
            ndjson({"message": {"role": "assistant", "content": '{"skills": []}'}, "done": False}),
            "invalid_output",
            "stream ended before done",
        ),
        (stream_of('{"skills": ["Py'), "invalid_output", "answer is not JSON"),
        (
            stream_of('{"skills": ["Python"]}', done_reason="length"),
            "invalid_output",
            "answer cut at num_predict tokens",
        ),
        (
            stream_of('{"skills": "Python"}'),
            "invalid_output",
            "answer does not fit the schema: skills: Input should be a valid list",
        ),
    ],
)
async def test_bad_streams(content: bytes, reason: str, detail: str) -> None:
    async with make_client(responding(content=content)) as client:
        result = await chat(client)
    assert (result.fallback_reason, result.detail) == (reason, detail)
    assert client.breaker.snapshot().failures == 1
    assert result.fallback_detail is None


async def test_check_value_error_is_invalid_output() -> None:
    def reject(_: Answer) -> Answer:
        raise ValueError("skill not in resume")

    async with make_client(responding()) as client:
        result = await chat(client, check=reject)
    assert (result.fallback_reason, result.detail) == (
        "invalid_output",
        "rejected by check: skill not in resume",
    )
    assert client.breaker.snapshot().failures == 1


def half_open_breaker() -> tuple[CircuitBreaker, list[float]]:
    now = [0.0]
    breaker = CircuitBreaker(
        BreakerConfig(window_size=2, minimum_calls=1, wait_open_s=5.0, half_open_calls=1),
        clock=lambda: now[0],
    )
    assert breaker.try_acquire()
    breaker.on_failure(0.1)
    now[0] = 5.0
    assert breaker.state is BreakerState.HALF_OPEN
    return breaker, now


async def test_a_bug_in_check_propagates_and_frees_the_probe() -> None:
    def broken(_: Answer) -> Answer:
        raise KeyError("bug")

    breaker, _ = half_open_breaker()
    client = OllamaClient(
        OllamaSettings(url="http://ollama.test"),
        breaker=breaker,
        transport=httpx.MockTransport(responding()),
    )
    with pytest.raises(KeyError):
        await chat(client, check=broken)
    assert breaker.try_acquire()  # the probe place was given back
    await client.aclose()


async def test_cancellation_propagates_and_records_no_outcome() -> None:
    model = hanging()
    async with make_client(model) as client:
        task = asyncio.create_task(chat(client))
        await asyncio.wait_for(model.arrived.wait(), 10)  # the call is waiting on the model
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.successes) == (0, 0)


async def test_open_breaker_falls_back_without_a_request() -> None:
    recorder = responding()
    breaker = CircuitBreaker(BreakerConfig(window_size=2, minimum_calls=1, wait_open_s=30.0))
    breaker.try_acquire()
    breaker.on_failure(0.1)
    client = OllamaClient(
        OllamaSettings(url="http://ollama.test"),
        breaker=breaker,
        transport=httpx.MockTransport(recorder),
    )
    result = await chat(client)
    await client.aclose()
    assert result.fallback_reason == "breaker_open"
    assert result.detail is not None and result.detail.startswith(
        "circuit breaker open; next try in"
    )
    assert recorder.requests == []
    assert breaker.snapshot().rejected == 1


async def test_failures_open_the_breaker_and_a_probe_closes_it() -> None:
    now = [0.0]
    failing = True

    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(500) if failing else httpx.Response(200, content=GOOD)

    recorder = Recorder(answer)
    settings = OllamaSettings(
        url="http://ollama.test",
        breaker=BreakerConfig(window_size=4, minimum_calls=4, wait_open_s=10.0, half_open_calls=1),
    )
    client = OllamaClient(settings, clock=lambda: now[0], transport=httpx.MockTransport(recorder))
    reasons = [(await chat(client)).fallback_reason for _ in range(6)]
    assert reasons == ["model_error"] * 4 + ["breaker_open"] * 2
    assert len(recorder.requests) == 4
    failing = False
    now[0] = 10.0
    result = await chat(client)
    assert result.ok
    assert client.breaker.state is BreakerState.CLOSED
    assert client.health()["outcomes"] == {"model_error": 4, "breaker_open": 2, "ok": 1}
    await client.aclose()


@pytest.mark.parametrize(("first_token_after_s", "slow"), [(25.0, 0), (151.0, 1)])
async def test_a_success_is_slow_only_when_its_first_token_came_late(
    first_token_after_s: float, slow: int
) -> None:
    # Unmeasured, the first-token limit is 300 s: a first token after more than half of it
    # (and more than slow_call_duration_s) is slow, one after 25 s is a model reading its prompt.
    now = [0.0]

    async def answer(_: httpx.Request) -> httpx.Response:
        now[0] += first_token_after_s  # by the injected clock
        return httpx.Response(200, content=GOOD)

    settings = OllamaSettings(
        url="http://ollama.test",
        first_token_s=300.0,
        breaker=BreakerConfig(slow_call_duration_s=20.0),
    )
    client = OllamaClient(
        settings, clock=lambda: now[0], transport=httpx.MockTransport(Recorder(answer))
    )
    result = await chat(client)
    await client.aclose()
    assert result.ok and result.duration_ms == first_token_after_s * 1000
    snapshot = client.breaker.snapshot()
    assert (snapshot.successes, snapshot.slow, snapshot.slow_calls) == (1, slow, slow)


async def test_probe_reads_the_tags() -> None:
    tags = json.dumps({"models": [{"name": MODEL}, {"name": "qwen3:0.6b"}]}).encode()
    recorder = responding(content=tags)
    async with make_client(recorder) as client:
        assert await client.probe()
    assert recorder.requests[0].url.path == "/api/tags"
    assert client.health()["last_probe"]["model_listed"] is True


async def test_probe_never_raises() -> None:
    async with make_client(raising(httpx.ConnectError("refused"))) as client:
        assert not await client.probe()
    assert client.health()["last_probe"]["reachable"] is False


async def test_health_describes_the_client() -> None:
    async with make_client(responding()) as client:
        health = client.health()
    assert health["model"] == MODEL
    assert health["url"] == "http://ollama.test"
    assert health["enabled"] is True
    assert health["breaker"]["state"] == "closed"
    assert health["config_errors"] == 0
    json.dumps(health)


async def test_a_malformed_message_is_the_callers_bug_and_costs_the_breaker_nothing() -> None:
    recorder = responding()
    async with make_client(recorder) as client:
        with pytest.raises(ValueError):
            await client.chat([{"role": "robot", "content": "Hi"}], Answer)
    assert recorder.requests == []
    snapshot = client.breaker.snapshot()
    assert (snapshot.failures, snapshot.rejected) == (0, 0)
