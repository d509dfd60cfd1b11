"""The handler in batches, against a fake Ollama over real HTTP: questions go out while the model
writes, the rest comes from the fallback when it stops part way, and a requester that did not
ask for batches gets the whole set as before."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from qgen_answers import TECHNICAL, good_answer, request_payload

from careerflow_contracts import EventBase, QuestionsGenerated, QuestionsRequested, routing, utc_now
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_testing.fake_ollama import Behaviour, FakeOllama


def _event(*, batches: bool = True) -> QuestionsRequested:
    return QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=60),
        payload=request_payload(batches=batches),
    )


class Published:
    """The batches a handler published, and whether the model was still writing at each."""

    def __init__(self, fake: FakeOllama) -> None:
        self.fake = fake
        self.events: list[QuestionsGenerated] = []
        self.while_writing: list[bool] = []

    async def __call__(self, event: EventBase) -> None:
        assert isinstance(event, QuestionsGenerated)
        self.events.append(event)
        self.while_writing.append(self.fake.chat_requests()[-1].finished_at is None)


@pytest.fixture
async def llm(fake_ollama: FakeOllama) -> AsyncIterator[OllamaClient]:
    settings = OllamaSettings(url=fake_ollama.url, budget_s=20.0, stall_s=1.0, stall_floor_s=1.0)
    async with OllamaClient(settings) as client:
        yield client


def _check_set(sent: list[QuestionsGenerated], final: QuestionsGenerated) -> None:
    """The batches are one set: consecutive positions 1..10, the final one last."""
    positions = [q.position for event in (*sent, final) for q in event.payload.questions]
    assert positions == list(range(1, 11))
    assert [e.payload.final for e in (*sent, final)] == [False] * len(sent) + [True]
    assert all(e.version == 2 and e.payload.total == 10 for e in (*sent, final))
    assert len({e.event_id for e in (*sent, final)}) == len(sent) + 1
    kinds = sorted(q.kind for event in (*sent, final) for q in event.payload.questions)
    assert kinds == ["behavioral"] * 5 + ["technical"] * 5


async def test_questions_are_published_while_the_model_writes(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    # Six pieces, a tenth of a second apart: the first questions are complete long before the end.
    fake_ollama.set_behaviour(Behaviour.SLOW_TOKENS, content=good_answer(), delay_s=0.1)
    published = Published(fake_ollama)
    event = _event()
    final = await handle_questions_requested(event, llm=llm, publish=published)

    assert published.events, "nothing was published before the set was done"
    assert published.while_writing[0], "the first batch waited for the model to finish"
    _check_set(published.events, final)
    first = published.events[0].payload.questions[0]
    assert (first.position, first.text, first.source) == (1, TECHNICAL[0][1], "ai")
    payload = final.payload
    assert (payload.source, payload.fallback_reason, payload.notices) == ("ai", None, [])
    assert all(q.source == "ai" for e in published.events for q in e.payload.questions)
    assert final.causation_id == event.event_id
    assert len(fake_ollama.chat_requests()) == 1


async def test_a_model_that_stalls_part_way_is_topped_up_from_the_fallback(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    # Half the answer, then silence: cut by the stall limit.
    fake_ollama.set_behaviour(Behaviour.STALL, content=good_answer())
    published = Published(fake_ollama)
    final = await handle_questions_requested(_event(), llm=llm, publish=published)

    _check_set(published.events, final)
    questions = [q for e in (*published.events, final) for q in e.payload.questions]
    sources = [q.source for q in questions]
    from_model = sources.count("ai")
    assert 0 < from_model < 10
    # The model's questions first, as it wrote them; the fallback's after, each labelled.
    assert sources == ["ai"] * from_model + ["fallback"] * (10 - from_model)
    assert [q.text for q in questions[:from_model]] == [t for _, t in TECHNICAL][:from_model]
    assert len({q.text.casefold() for q in questions}) == 10
    payload = final.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "timeout")
    # As data, for the gateway to say: "The AI wrote 6 of 10 questions before it stopped (the
    # AI model stopped writing for 0.5 s part way through its answer); the other 4 are ...".
    assert payload.notices == []
    detail = payload.fallback_detail
    assert detail is not None
    assert (detail.from_model, detail.limit, detail.answering) == (from_model, "stall", True)
    assert payload.model == "llama3.2:3b"


async def test_a_requester_that_did_not_ask_for_batches_gets_the_whole_set(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    fake_ollama.set_behaviour(Behaviour.SLOW_TOKENS, content=good_answer(), delay_s=0.05)
    published = Published(fake_ollama)
    event = _event(batches=False)
    result = await handle_questions_requested(event, llm=llm, publish=published)
    assert published.events == []
    assert result.version == 1
    assert result.event_id == event.result_event_id(routing.QUESTIONS_GENERATED)
    assert [q.position for q in result.payload.questions] == list(range(1, 11))
    assert result.payload.source == "ai"


async def test_a_model_not_asked_gives_the_whole_fallback_in_one_final_batch(
    fake_ollama: FakeOllama,
) -> None:
    published = Published(fake_ollama)
    async with OllamaClient(OllamaSettings(url=fake_ollama.url, enabled=False)) as off:
        final = await handle_questions_requested(_event(), llm=off, publish=published)
    assert published.events == []
    _check_set([], final)
    assert (final.payload.source, final.payload.fallback_reason) == ("fallback", "disabled")
    assert {q.source for q in final.payload.questions} == {"fallback"}
    assert final.payload.notices == []  # the gateway says why (issue 14 item 3)


async def test_a_batch_that_cannot_be_published_fails_the_request_and_stops_the_model(
    fake_ollama: FakeOllama, llm: OllamaClient
) -> None:
    fake_ollama.set_behaviour(Behaviour.SLOW_TOKENS, content=good_answer(), delay_s=0.5)

    async def broken(_: EventBase) -> None:
        raise ConnectionError("the broker went away")

    with pytest.raises(ConnectionError, match="the broker went away"):
        await handle_questions_requested(_event(), llm=llm, publish=broken)
    # The call was given up, not judged: the model is not blamed for the broker.
    snapshot = llm.breaker.snapshot()
    assert (snapshot.failures, snapshot.successes) == (0, 0)
