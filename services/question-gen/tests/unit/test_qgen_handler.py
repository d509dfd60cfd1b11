"""The handler against a fake Ollama over real HTTP: every way the model can answer or fail."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from qgen_answers import (
    TECHNICAL,
    good_answer,
    partly_good_answer,
    request_payload,
    useless_answer,
)

from careerflow_contracts import FallbackDetail, QuestionsRequested, routing, utc_now
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_testing.fake_ollama import Behaviour, FakeOllama, refused_url

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
"""The wall clock of a client made by ``_client_at_noon``: deadlines are set from it."""


def _event(
    seconds_left: float = 30.0, *, now: datetime | None = None, **changes: object
) -> QuestionsRequested:
    return QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=(now or utc_now()) + timedelta(seconds=seconds_left),
        payload=request_payload(**changes),
    )


def _client_at_noon(settings: OllamaSettings) -> OllamaClient:
    """A client whose clocks stand still (the wall clock at ``NOW``): the time left before an
    event's deadline, and so the limit it sets, is exact; only the event loop's timer runs."""
    return OllamaClient(settings, clock=lambda: 1000.0, now=lambda: NOW)


@pytest.fixture
async def llm(fake_ollama: FakeOllama) -> AsyncIterator[OllamaClient]:
    async with OllamaClient(OllamaSettings(url=fake_ollama.url, timeout_s=2.0)) as client:
        yield client


async def test_a_good_answer_is_an_ai_result(fake_ollama: FakeOllama, llm: OllamaClient) -> None:
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content=good_answer())
    event = _event(generation=3)
    result = await handle_questions_requested(event, llm=llm)

    assert result.event_id == event.result_event_id(routing.QUESTIONS_GENERATED)
    assert result.causation_id == event.event_id
    assert result.session_id == event.session_id
    payload = result.payload
    assert (payload.source, payload.fallback_reason, payload.notices) == ("ai", None, [])
    assert payload.model == "llama3.2:3b"
    assert payload.generation == 3
    assert [q.position for q in payload.questions] == list(range(1, 11))
    assert [q.text for q in payload.questions[:5]] == [t for _, t in TECHNICAL]
    assert all(q.source == "ai" for q in payload.questions)
    sent = fake_ollama.chat_requests()[0].body
    assert sent is not None and sent["format"]["required"] == ["questions"]


async def test_a_partly_good_answer_is_topped_up_from_the_fallback(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content=partly_good_answer())
    payload = (await handle_questions_requested(_event(), llm=llm)).payload

    assert (payload.source, payload.fallback_reason) == ("fallback", "invalid_output")
    assert [q.source for q in payload.questions] == ["ai"] * 3 + ["fallback"] * 2 + ["ai"] * 3 + [
        "fallback"
    ] * 2
    assert [q.kind for q in payload.questions] == ["technical"] * 5 + ["behavioral"] * 5
    # the fallback turns first to skills the model's questions left uncovered
    assert {q.skill for q in payload.questions[3:5]}.isdisjoint(
        {"Python", "PostgreSQL", "Kubernetes"}
    )
    texts = {q.text.casefold() for q in payload.questions}
    assert len(texts) == 10
    # How many are the model's travels as data; the gateway says "The AI wrote 6 of 10 ...".
    assert payload.notices == []
    assert payload.fallback_detail == FallbackDetail(from_model=6)
    assert payload.model == "llama3.2:3b"


@pytest.mark.parametrize(
    ("behaviour", "content"),
    [
        (Behaviour.HEALTHY, useless_answer()),
        (Behaviour.MALFORMED_JSON, None),
        (Behaviour.SCHEMA_VIOLATION, None),
        (Behaviour.LENGTH, good_answer()),
        (Behaviour.TRUNCATED, good_answer()),
    ],
    ids=["nothing-usable", "malformed", "schema-violation", "length", "truncated"],
)
async def test_nothing_usable_means_the_whole_set_is_the_fallback(
    fake_ollama: FakeOllama, llm: OllamaClient, behaviour: Behaviour, content: object
) -> None:
    fake_ollama.set_behaviour(behaviour, content=content)  # type: ignore[arg-type]
    payload = (await handle_questions_requested(_event(), llm=llm)).payload
    assert payload.source == "fallback"
    assert payload.fallback_reason == "invalid_output"
    assert all(q.source == "fallback" for q in payload.questions)
    assert len(payload.questions) == 10
    assert payload.model is None
    # The reason travels as data; the gateway says it (issue 14 item 3).
    assert payload.notices == []


async def test_garbage_is_invalid_output(fake_ollama: FakeOllama, llm: OllamaClient) -> None:
    fake_ollama.set_behaviour(Behaviour.MALFORMED_JSON, content="<<<not json at all>>>")
    payload = (await handle_questions_requested(_event(), llm=llm)).payload
    assert (payload.fallback_reason, payload.fallback_detail) == ("invalid_output", None)


async def test_a_refused_connection_falls_back_and_says_why() -> None:
    async with OllamaClient(OllamaSettings(url=refused_url(), timeout_s=2.0)) as llm:
        payload = (await handle_questions_requested(_event(), llm=llm)).payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "connection_error")
    assert (payload.fallback_detail, payload.notices) == (None, [])


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (Behaviour.ERROR_500, "model_error"),
        (Behaviour.BUSY_503, "model_error"),
        (Behaviour.MODEL_NOT_FOUND, "model_error"),
        (Behaviour.SCHEMA_VIOLATION, "invalid_output"),
    ],
)
async def test_the_model_servers_own_error_text_is_never_shown_to_the_candidate(
    fake_ollama: FakeOllama, llm: OllamaClient, behaviour: Behaviour, reason: str
) -> None:
    server_text = "CUDA error: out of memory at /srv/llama/ggml.c:1234 (runner pid 4242)"
    content = server_text if behaviour != Behaviour.SCHEMA_VIOLATION else {"oops": server_text}
    fake_ollama.set_behaviour(behaviour, content=content)
    payload = (await handle_questions_requested(_event(), llm=llm)).payload
    assert payload.fallback_reason == reason
    # Nothing of the server's text travels to the gateway, which words what a person reads.
    said = payload.model_dump_json(include={"notices", "fallback_detail"})
    for part in ("CUDA", "ggml", "4242", "HTTP", "404", "500", "503", "llama3"):
        assert part not in said


async def test_a_hanging_model_is_cut_at_the_timeout(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_behaviour(Behaviour.HANG)
    settings = OllamaSettings(url=fake_ollama.url, timeout_s=0.5)
    async with _client_at_noon(settings) as llm:
        payload = (await handle_questions_requested(_event(now=NOW), llm=llm)).payload
    assert payload.fallback_reason == "timeout"
    assert len(payload.questions) == 10
    # A hanging model is said (by the gateway) as one that stayed silent, not as an
    # unavailable service: the limit that cut it travels as data.
    assert payload.notices == []
    assert payload.fallback_detail == FallbackDetail(limit="budget", seconds=0.5, answering=False)


async def test_a_hanging_model_is_cut_at_the_event_deadline(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_behaviour(Behaviour.HANG)
    settings = OllamaSettings(url=fake_ollama.url, timeout_s=30.0)
    async with _client_at_noon(settings) as llm:
        event = _event(seconds_left=2.5, now=NOW)
        payload = (await handle_questions_requested(event, llm=llm)).payload
    assert payload.fallback_reason == "timeout"
    # Cut by the deadline, not the 30 s budget, keeping back 0.5 s to publish the result.
    assert payload.fallback_detail == FallbackDetail(limit="deadline", seconds=2, answering=False)


async def test_too_little_time_left_gets_the_fallback_at_once(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    payload = (await handle_questions_requested(_event(seconds_left=0.2), llm=llm)).payload
    assert (payload.fallback_reason, payload.notices) == ("deadline_exceeded", [])
    assert fake_ollama.chat_requests() == []


async def test_a_disabled_model_is_not_called(fake_ollama: FakeOllama) -> None:
    settings = OllamaSettings(url=fake_ollama.url, enabled=False)
    async with OllamaClient(settings) as llm:
        payload = (await handle_questions_requested(_event(), llm=llm)).payload
    assert (payload.fallback_reason, payload.notices) == ("disabled", [])
    assert fake_ollama.chat_requests() == []


async def test_a_redelivered_request_gives_the_same_result() -> None:
    async with OllamaClient(OllamaSettings(url=refused_url())) as llm:
        event = _event()
        first = await handle_questions_requested(event, llm=llm)
        again = await handle_questions_requested(event, llm=llm)
        regenerated = await handle_questions_requested(
            event.model_copy(
                update={"payload": event.payload.model_copy(update={"generation": 2})}
            ),
            llm=llm,
        )
    assert first.event_id == again.event_id
    assert first.payload.questions == again.payload.questions
    assert first.payload.questions != regenerated.payload.questions
