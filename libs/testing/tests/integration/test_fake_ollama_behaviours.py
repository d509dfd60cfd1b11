"""Every behaviour of the fake Ollama, observed over real HTTP with httpx."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, Field, ValidationError

from careerflow_testing.fake_ollama import Behaviour, FakeOllama, refused_url
from careerflow_testing.waiting import wait_until

MODEL = "llama3.2:3b"
CONTENT = {"skills": ["Python", "Django"], "years": 6}
CONTENT_TEXT = json.dumps(CONTENT)
DELAY_S = 0.2
# Timing bounds leave room for a loaded CI machine; they catch "never waited" and "hung".
MARGIN_S = 1.5


class Skills(BaseModel):
    skills: list[str] = Field(min_length=1)
    years: int = Field(ge=0, le=70)


SCHEMA = Skills.model_json_schema()


def chat_body(**extra: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "messages": [{"role": "user", "content": "List the skills."}],
        "format": SCHEMA,
        **extra,
    }


def lines_of(response: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.splitlines() if line]


def streamed_content(lines: list[dict[str, Any]]) -> str:
    return "".join(line["message"]["content"] for line in lines if "message" in line)


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL, "qwen3:4b")) as server:
        yield server


@pytest.fixture
async def http(fake: FakeOllama) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.url, timeout=5.0) as client:
        yield client


# -- plain routes ------------------------------------------------------------------------


async def test_root_says_ollama_is_running(http: httpx.AsyncClient) -> None:
    got = await http.get("/")
    assert (got.status_code, got.text) == (200, "Ollama is running")
    head = await http.head("/")
    assert head.status_code == 200
    assert head.content == b""


async def test_version_tags_and_ps(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/version")).json() == {"version": "0.12.0"}
    tags = (await http.get("/api/tags")).json()
    assert [m["name"] for m in tags["models"]] == [MODEL, "qwen3:4b"]
    assert {"model", "modified_at", "size", "digest", "details"} <= set(tags["models"][0])
    ps = (await http.get("/api/ps")).json()
    assert [m["model"] for m in ps["models"]] == [MODEL, "qwen3:4b"]
    assert {"expires_at", "size_vram"} <= set(ps["models"][0])


async def test_unknown_route_gets_go_plain_404(http: httpx.AsyncClient) -> None:
    got = await http.get("/api/nothing")
    assert (got.status_code, got.text) == (404, "404 page not found")


async def test_a_body_that_is_not_json_is_a_400(http: httpx.AsyncClient) -> None:
    got = await http.post("/api/chat", content=b"{not json")
    assert got.status_code == 400
    assert "error" in got.json()


async def test_no_messages_only_loads_the_model(http: httpx.AsyncClient) -> None:
    got = await http.post("/api/chat", json={"model": MODEL, "messages": []})
    assert got.json()["done_reason"] == "load"


# -- healthy -----------------------------------------------------------------------------


async def test_healthy_stream_is_ndjson_ending_with_a_done_line(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
    got = await http.post("/api/chat", json=chat_body())
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/x-ndjson"
    lines = lines_of(got)
    assert len(lines) >= 3  # several chunks, then the done line
    assert all(line["done"] is False for line in lines[:-1])
    final = lines[-1]
    assert final["done"] is True and final["done_reason"] == "stop"
    for key in (
        "model",
        "created_at",
        "total_duration",
        "load_duration",
        "prompt_eval_count",
        "prompt_eval_duration",
        "eval_count",
        "eval_duration",
    ):
        assert key in final
    assert final["message"] == {"role": "assistant", "content": ""}
    assert json.loads(streamed_content(lines)) == CONTENT


async def test_healthy_without_stream_is_one_object(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content="plain words")
    got = await http.post("/api/chat", json=chat_body(stream=False))
    assert got.headers["content-type"].startswith("application/json")
    body = got.json()
    assert body["message"] == {"role": "assistant", "content": "plain words"}
    assert body["done"] is True and body["done_reason"] == "stop"


async def test_generate_answers_in_response(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
    request = {"model": MODEL, "prompt": "List the skills.", "format": SCHEMA}
    streamed = lines_of(await http.post("/api/generate", json=request))
    assert json.loads("".join(line["response"] for line in streamed)) == CONTENT
    whole = (await http.post("/api/generate", json={**request, "stream": False})).json()
    assert json.loads(whole["response"]) == CONTENT
    assert whole["done"] is True and isinstance(whole["context"], list)


async def test_unscripted_healthy_answer_fits_the_format_schema(http: httpx.AsyncClient) -> None:
    got = await http.post("/api/chat", json=chat_body(stream=False))
    Skills.model_validate_json(got.json()["message"]["content"])


async def test_a_responder_computes_the_content_from_the_request(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    seen: list[dict[str, Any]] = []

    def responder(body: dict[str, Any]) -> dict[str, Any]:
        seen.append(body)
        return {"skills": [body["messages"][-1]["content"]], "years": 1}

    fake.set_responder(responder)
    got = await http.post("/api/chat", json=chat_body(stream=False))
    assert json.loads(got.json()["message"]["content"])["skills"] == ["List the skills."]
    assert seen[0]["format"] == SCHEMA


# -- failures before the first byte ------------------------------------------------------


async def test_error_500(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.ERROR_500)
    got = await http.post("/api/chat", json=chat_body())
    assert got.status_code == 500
    assert got.json() == {"error": "llama runner process has terminated: exit status 2"}
    fake.set_behaviour(Behaviour.ERROR_500, content="out of memory")
    assert (await http.post("/api/chat", json=chat_body())).json() == {"error": "out of memory"}


async def test_busy_503_has_ollamas_text(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.BUSY_503)
    got = await http.post("/api/chat", json=chat_body(stream=False))
    assert got.status_code == 503
    assert got.json() == {
        "error": "server busy, please try again.  maximum pending requests exceeded"
    }


async def test_model_not_found(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.MODEL_NOT_FOUND)
    got = await http.post("/api/chat", json=chat_body())
    assert got.status_code == 404
    assert got.json() == {"error": f'model "{MODEL}" not found, try pulling it first'}


async def test_a_model_it_does_not_have_is_a_404_whatever_the_script(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.enqueue(Behaviour.HEALTHY, content="kept for the next call")
    got = await http.post("/api/chat", json=chat_body(model="mistral:7b"))
    assert got.status_code == 404
    assert got.json() == {"error": 'model "mistral:7b" not found, try pulling it first'}
    # The refused call did not use up the one-shot script.
    ok = await http.post("/api/chat", json=chat_body(stream=False))
    assert ok.json()["message"]["content"] == "kept for the next call"


async def test_a_model_name_without_tag_means_latest(http: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(timeout=5.0) as client:
        with FakeOllama(models=("llama3.2:latest",)) as other:
            got = await client.post(f"{other.url}/api/chat", json=chat_body(model="llama3.2"))
    assert got.status_code == 200


# -- slow and hanging --------------------------------------------------------------------


async def test_hang_never_answers(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.HANG)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        await http.post("/api/chat", json=chat_body(), timeout=DELAY_S)
    assert DELAY_S <= time.monotonic() - started < DELAY_S + MARGIN_S


async def test_stop_cuts_a_hanging_call_short() -> None:
    fake = FakeOllama().start()
    fake.set_behaviour(Behaviour.HANG)
    outcome: list[int] = []

    def call() -> None:
        outcome.append(httpx.post(f"{fake.url}/api/chat", json=chat_body(), timeout=30).status_code)

    caller = threading.Thread(target=call)
    caller.start()
    await wait_until(fake.chat_requests, timeout_s=5, interval_s=0.01, message="the call arrived")
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 1.0
    caller.join(5)
    assert outcome == [500]  # the waiting client is told, not left hanging


async def test_a_client_that_gives_up_frees_its_slot(http: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(timeout=5.0) as client:
        with FakeOllama(max_concurrency=1) as busy:
            busy.enqueue(Behaviour.HANG)
            with pytest.raises(httpx.ReadTimeout):
                await client.post(f"{busy.url}/api/chat", json=chat_body(), timeout=DELAY_S)
            got = await client.post(f"{busy.url}/api/chat", json=chat_body(), timeout=2.0)
    assert got.status_code == 200


async def test_slow_first_byte_sends_nothing_until_the_delay(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_behaviour(Behaviour.SLOW_FIRST_BYTE, content=CONTENT, delay_s=DELAY_S)
    started = time.monotonic()
    async with http.stream("POST", "/api/chat", json=chat_body()) as response:
        headers_after = time.monotonic() - started
        lines = [json.loads(line) async for line in response.aiter_lines() if line]
    assert DELAY_S <= headers_after < DELAY_S + MARGIN_S
    assert json.loads(streamed_content(lines)) == CONTENT
    # A read timeout shorter than the delay fires, as with a busy model.
    with pytest.raises(httpx.ReadTimeout):
        await http.post("/api/chat", json=chat_body(), timeout=DELAY_S / 4)


async def test_slow_tokens_space_the_chunks(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    gap = 0.03
    fake.set_behaviour(Behaviour.SLOW_TOKENS, content=CONTENT, delay_s=gap)
    arrivals: list[float] = []
    async with http.stream("POST", "/api/chat", json=chat_body()) as response:
        async for line in response.aiter_lines():
            if line:
                arrivals.append(time.monotonic())
    assert len(arrivals) >= 3
    spread = arrivals[-1] - arrivals[0]
    assert gap * (len(arrivals) - 1) * 0.9 <= spread < gap * len(arrivals) + MARGIN_S
    started = time.monotonic()
    whole = await http.post("/api/chat", json=chat_body(stream=False))
    assert time.monotonic() - started >= gap * (len(arrivals) - 1) * 0.9
    assert json.loads(whole.json()["message"]["content"]) == CONTENT


# -- broken streams ----------------------------------------------------------------------


async def test_error_mid_stream(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.ERROR_MID_STREAM, content=CONTENT)
    got = await http.post("/api/chat", json=chat_body())
    assert got.status_code == 200
    lines = lines_of(got)
    assert [set(line) >= {"message"} for line in lines[:-1]] == [True, True]
    assert CONTENT_TEXT.startswith(streamed_content(lines[:-1]))
    assert lines[-1] == {
        "error": "an error was encountered while running the model: unexpected EOF"
    }
    assert not any(line.get("done") for line in lines)
    whole = await http.post("/api/chat", json=chat_body(stream=False))
    assert whole.status_code == 500 and "error" in whole.json()


async def test_truncated_stream_has_no_done_line(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.TRUNCATED, content=CONTENT)
    lines = lines_of(await http.post("/api/chat", json=chat_body()))
    assert lines and not any(line["done"] for line in lines)
    assert CONTENT_TEXT.startswith(streamed_content(lines))
    assert streamed_content(lines) != CONTENT_TEXT
    whole = await http.post("/api/chat", json=chat_body(stream=False))
    with pytest.raises(json.JSONDecodeError):
        json.loads(whole.content)


# -- bad content -------------------------------------------------------------------------


async def answer_of(http: httpx.AsyncClient, *, stream: bool = True) -> tuple[str, str]:
    got = await http.post("/api/chat", json=chat_body(stream=stream))
    assert got.status_code == 200
    if not stream:
        body = got.json()
        return body["message"]["content"], body["done_reason"]
    lines = lines_of(got)
    return streamed_content(lines), lines[-1]["done_reason"]


async def test_malformed_json(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.MALFORMED_JSON)
    content, _ = await answer_of(http)
    assert content == '{"skills": ["Python",'
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


async def test_code_fence(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.CODE_FENCE, content=CONTENT)
    content, _ = await answer_of(http, stream=False)
    assert content.startswith("```json\n") and content.endswith("\n```")
    assert json.loads(content.removeprefix("```json\n").removesuffix("\n```")) == CONTENT


async def test_think_prefix(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.THINK_PREFIX, content=CONTENT)
    content, _ = await answer_of(http)
    thinking, _, rest = content.partition("</think>")
    assert thinking.startswith("<think>")
    assert json.loads(rest) == CONTENT


async def test_schema_violation(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.SCHEMA_VIOLATION)
    content, reason = await answer_of(http)
    assert json.loads(content) == {"unexpected": True} and reason == "stop"
    with pytest.raises(ValidationError):
        Skills.model_validate_json(content)


async def test_length_cuts_the_content(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.LENGTH, content=CONTENT)
    for stream in (True, False):
        content, reason = await answer_of(http, stream=stream)
        assert reason == "length"
        assert CONTENT_TEXT.startswith(content) and len(content) < len(CONTENT_TEXT)


# -- scripting and recording -------------------------------------------------------------


async def test_enqueued_scripts_come_first_in_order(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_behaviour(Behaviour.HEALTHY, content="default")
    fake.enqueue(Behaviour.ERROR_500)
    fake.enqueue(Behaviour.BUSY_503)
    statuses = [(await http.post("/api/chat", json=chat_body())).status_code for _ in range(3)]
    assert statuses == [500, 503, 200]
    assert [r.behaviour for r in fake.chat_requests()] == [
        Behaviour.ERROR_500,
        Behaviour.BUSY_503,
        Behaviour.HEALTHY,
    ]


async def test_requests_are_recorded(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    before = time.time()
    await http.get("/api/tags")
    await http.post("/api/chat", json=chat_body())
    await http.post("/api/generate", json={"model": MODEL, "prompt": "hi"})
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/api/tags"),
        ("POST", "/api/chat"),
        ("POST", "/api/generate"),
    ]
    first_chat = fake.chat_requests()[0]
    assert first_chat.body == chat_body()
    assert before <= first_chat.received_at <= time.time()
    assert [r.path for r in fake.chat_requests()] == ["/api/chat", "/api/generate"]


async def test_reset_forgets_everything(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.set_behaviour(Behaviour.ERROR_500)
    fake.enqueue(Behaviour.BUSY_503)
    fake.set_responder(lambda _body: "from the responder")
    await http.get("/")
    fake.reset()
    assert fake.requests == []
    got = await http.post("/api/chat", json=chat_body(stream=False))
    Skills.model_validate_json(got.json()["message"]["content"])


async def test_max_concurrency_queues_the_surplus(http: httpx.AsyncClient) -> None:
    latency = 0.1
    async with httpx.AsyncClient(timeout=5.0) as client:
        with FakeOllama(max_concurrency=2, latency_s=latency) as busy:
            started = time.monotonic()
            answers = await asyncio.gather(
                *(client.post(f"{busy.url}/api/chat", json=chat_body()) for _ in range(4))
            )
            took = time.monotonic() - started
            peak = busy.peak_concurrency
    assert [a.status_code for a in answers] == [200] * 4
    assert peak == 2
    assert 2 * latency <= took < 2 * latency + MARGIN_S


async def test_without_a_limit_calls_run_together(http: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(timeout=5.0) as client:
        with FakeOllama(latency_s=0.1) as server:
            await asyncio.gather(
                *(client.post(f"{server.url}/api/chat", json=chat_body()) for _ in range(4))
            )
            assert server.peak_concurrency == 4


async def test_set_latency_applies_to_the_following_calls(
    fake: FakeOllama, http: httpx.AsyncClient
) -> None:
    fake.set_latency(1.0)
    await http.post("/api/chat", json=chat_body(stream=False))
    fake.set_latency(0.0)
    await http.post("/api/chat", json=chat_body(stream=False))
    await wait_until(
        lambda: all(r.finished_at is not None for r in fake.chat_requests()),
        timeout_s=2,
        interval_s=0.01,
        message="both calls recorded their end",
    )
    slow, quick = (r.finished_at - r.received_at for r in fake.chat_requests() if r.finished_at)
    assert slow >= 1.0
    assert quick < 1.0


async def test_refused_url_refuses() -> None:
    async with httpx.AsyncClient(timeout=2.0) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(refused_url())


async def test_a_call_records_when_it_was_done_being_worked_on() -> None:
    with FakeOllama(max_concurrency=1, latency_s=0.2) as fake:
        async with httpx.AsyncClient(base_url=fake.url, timeout=5) as client:
            body = {"model": "llama3.2:3b", "messages": [{"role": "user", "content": "hi"}]}
            await asyncio.gather(
                client.post("/api/chat", json={**body, "stream": False}),
                client.post("/api/chat", json={**body, "stream": False}),
            )
        # The fake notes the end just after the last byte went out: give it that moment.
        await wait_until(
            lambda: all(r.finished_at is not None for r in fake.chat_requests()),
            timeout_s=2,
            interval_s=0.01,
            message="both calls recorded their end",
        )
        first, second = sorted(fake.chat_requests(), key=lambda r: r.finished_at or 0)
    assert first.finished_at is not None and second.finished_at is not None
    # One slot: the second waited for the first, so it ends a whole latency later.
    assert first.finished_at - first.received_at >= 0.2
    assert second.finished_at - first.finished_at >= 0.2 - 0.02
