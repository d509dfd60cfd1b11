"""The batching of a set while it is written, and the fallback's top-up of what the model did not
write: what goes in each batch, in what order, with which positions and ids."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from qgen_answers import BEHAVIORAL, TECHNICAL, request_payload

from careerflow_contracts import (
    EventBase,
    QuestionsGenerated,
    QuestionsRequested,
    ResultPayload,
    utc_now,
)
from careerflow_question_gen.batches import QuestionBatches, batch_event_id
from careerflow_question_gen.drafts import QuestionDraft, normalised_text
from careerflow_question_gen.fallback import fallback_rest, question_seed, top_up
from careerflow_question_gen.plan import plan_questions

POINTS = ("one point", "another point", "a third point")


def _request(count: int = 10) -> QuestionsRequested:
    return QuestionsRequested(
        session_id=uuid.UUID("00000000-0000-4000-8000-00000000000a"),
        event_id=uuid.UUID("00000000-0000-4000-8000-00000000000b"),
        deadline=utc_now() + timedelta(minutes=10),
        payload=request_payload(count=count, batches=True),
    )


def _draft(n: int) -> QuestionDraft:
    return QuestionDraft(
        "behavioral", None, "medium", f"Question {n}, in full words?", POINTS, "ai"
    )


class GatedPublish:
    """Publishes when let through, one at a time, as a broker's confirms would come."""

    def __init__(self) -> None:
        self.sent: list[QuestionsGenerated] = []
        self.started = asyncio.Event()
        self.gate = asyncio.Event()
        self.fail: Exception | None = None

    async def __call__(self, event: EventBase) -> None:
        assert isinstance(event, QuestionsGenerated)
        self.started.set()
        await self.gate.wait()
        self.gate.clear()
        if self.fail is not None:
            raise self.fail
        self.sent.append(event)


def _positions(event: QuestionsGenerated) -> list[int]:
    return [q.position for q in event.payload.questions]


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_what_waits_while_a_batch_is_confirmed_goes_in_the_next_one() -> None:
    publish = GatedPublish()
    batches = QuestionBatches(_request(), publish, model="m", clock=lambda: 0.0)
    sender = asyncio.create_task(batches.run())
    batches.add([_draft(1)])
    await publish.started.wait()  # the first question goes at once, alone
    batches.add([_draft(2)])
    batches.add([_draft(3), _draft(4)])
    publish.gate.set()
    await _settle()
    publish.gate.set()  # the three that waited go together
    await _settle()
    batches.add([_draft(n) for n in range(5, 11)])
    publish.gate.set()
    await _settle()
    batches.close()
    await sender
    assert [_positions(e) for e in publish.sent] == [[1], [2, 3, 4], [5, 6, 7, 8, 9]]
    # The set's last position waits for the final batch.
    final = batches.final([], ResultPayload(source="ai", model="m", duration_ms=1234))
    assert _positions(final) == [10]
    assert final.payload.final and not any(e.payload.final for e in publish.sent)
    for event in [*publish.sent, final]:
        assert event.version == 2
        assert event.payload.total == 10
        assert event.causation_id == _request().event_id
        positions = _positions(event)
        assert event.event_id == batch_event_id(_request(), positions[0], positions[-1])
    assert [e.payload.source for e in publish.sent] == ["ai"] * 3
    assert final.payload.duration_ms == 1234


async def test_the_final_batch_takes_what_waits_and_the_fallbacks_rest() -> None:
    publish = GatedPublish()
    batches = QuestionBatches(_request(), publish, model="m", clock=lambda: 0.0)
    sender = asyncio.create_task(batches.run())
    batches.add([_draft(1), _draft(2)])
    await publish.started.wait()
    batches.add([_draft(3)])  # written while the first batch was under way
    batches.close()
    publish.gate.set()
    await sender
    rest = [
        QuestionDraft(
            "technical", "Python", "hard", f"Fallback {n}, asked in full?", POINTS, "fallback"
        )
        for n in range(4, 11)
    ]
    outcome = ResultPayload(source="fallback", fallback_reason="timeout", duration_ms=5)
    final = batches.final(rest, outcome)
    assert [_positions(e) for e in publish.sent] == [[1, 2]]
    assert _positions(final) == list(range(3, 11))
    assert [q.source for q in final.payload.questions] == ["ai"] + ["fallback"] * 7
    assert (final.payload.source, final.payload.fallback_reason) == ("fallback", "timeout")


async def test_a_set_cannot_be_short_or_overfull() -> None:
    batches = QuestionBatches(_request(count=2), GatedPublish(), model=None)
    batches.add([_draft(1), _draft(2)])
    with pytest.raises(ValueError, match="no room"):
        batches.add([_draft(3)])
    short = QuestionBatches(_request(count=4), GatedPublish(), model=None)
    with pytest.raises(ValueError, match="1 questions of 4"):
        short.final([_draft(1)], ResultPayload(source="ai"))


async def test_a_failed_publish_ends_the_sending_with_its_error() -> None:
    publish = GatedPublish()
    publish.fail = ConnectionError("broker gone")
    batches = QuestionBatches(_request(), publish, model="m")
    sender = asyncio.create_task(batches.run())
    batches.add([_draft(1)])
    publish.gate.set()
    with pytest.raises(ConnectionError, match="broker gone"):
        await sender
    assert publish.sent == []


# --- the top-up ---------------------------------------------------------------------------------


def _model_drafts(kind: str, count: int) -> list[QuestionDraft]:
    if kind == "technical":
        return [
            QuestionDraft("technical", skill, "hard", text, POINTS, "ai")
            for skill, text in TECHNICAL[:count]
        ]
    return [
        QuestionDraft("behavioral", None, "medium", t, POINTS, "ai") for t in BEHAVIORAL[:count]
    ]


@pytest.mark.parametrize(("technical", "behavioral"), [(0, 0), (3, 1), (5, 2), (2, 5), (5, 5)])
def test_the_rest_completes_each_kind_with_other_questions(technical: int, behavioral: int) -> None:
    plan = plan_questions(request_payload(), question_seed(uuid.uuid4(), 1))
    given_t, given_b = (
        _model_drafts("technical", technical),
        _model_drafts("behavioral", behavioral),
    )
    more_t, more_b = fallback_rest(plan, given_t, given_b)
    assert (len(more_t), len(more_b)) == (5 - technical, 5 - behavioral)
    assert {d.kind for d in more_t} <= {"technical"} and {d.kind for d in more_b} <= {"behavioral"}
    assert all(d.source == "fallback" for d in (*more_t, *more_b))
    texts = [normalised_text(d.text) for d in (*given_t, *given_b, *more_t, *more_b)]
    assert len(set(texts)) == 10, "a fallback question repeats one already in the set"
    # The fallback turns first to skills the model's questions left uncovered.
    covered = {d.skill for d in given_t}
    uncovered = [s.name for s in plan.skills if s.name not in covered]
    assert [d.skill for d in more_t][: len(uncovered)] == uncovered[: len(more_t)]
    # The same questions as the whole set's top-up, in the whole set's order.
    assert top_up(plan, given_t, given_b) == given_t + more_t + given_b + more_b
