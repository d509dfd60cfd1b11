"""``questions.generated``: version 1 is the whole set, version 2 one batch of it, written only
to a requester that asked for batches; both are read."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from careerflow_contracts import (
    Question,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    UnknownEventVersion,
    parse_event,
)

SESSION = uuid.UUID("00000000-0000-4000-8000-000000000002")


def _questions(*positions: int) -> list[Question]:
    return [
        Question(position=p, kind="technical", text=f"Question number {p}, asked in full?")
        for p in positions
    ]


def _batch(*positions: int, total: int = 10, final: bool | None = None) -> QuestionsGenerated:
    return QuestionsGenerated(
        version=2,
        session_id=SESSION,
        payload=QuestionsGeneratedPayload(
            source="ai",
            questions=_questions(*positions),
            total=total,
            final=final if final is not None else bool(positions) and positions[-1] == total,
        ),
    )


def test_a_batch_round_trips_as_version_2() -> None:
    batch = _batch(3, 4, 5)
    read = parse_event(batch.model_dump_json())
    assert isinstance(read, QuestionsGenerated)
    assert read.version == 2
    assert [q.position for q in read.payload.questions] == [3, 4, 5]
    assert (read.payload.total, read.payload.final, read.payload.set_size) == (10, False, 10)
    last = parse_event(_batch(9, 10).model_dump_json())
    assert isinstance(last, QuestionsGenerated) and last.payload.final


@pytest.mark.parametrize(
    ("positions", "total", "final", "problem"),
    [
        ((), 10, False, "at least one question"),
        ((1, 3), 10, False, "consecutive"),
        ((2, 1), 10, False, "consecutive"),
        ((10, 11), 10, True, "past the total"),
        ((9, 10), 10, False, "final batch"),
        ((1, 2), 10, True, "final batch"),
    ],
)
def test_a_malformed_batch_is_refused(
    positions: tuple[int, ...], total: int, final: bool, problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        _batch(*positions, total=total, final=final)


def test_a_batch_names_the_total_of_its_set() -> None:
    body = json.loads(_batch(1, 2).model_dump_json())
    del body["payload"]["total"]
    with pytest.raises(ValidationError, match="names the total"):
        parse_event(json.dumps(body))


def _release_1_body(questions: list[dict[str, Any]]) -> str:
    """``questions.generated`` exactly as release 1 wrote it: no total, no final."""
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "type": "questions.generated",
            "version": 1,
            "occurred_at": "2030-01-01T00:00:00Z",
            "session_id": str(SESSION),
            "causation_id": None,
            "payload": {
                "source": "fallback",
                "fallback_reason": "timeout",
                "duration_ms": 30000,
                "questions": questions,
                "generation": 1,
            },
        }
    )


def test_the_whole_set_of_version_1_is_still_read() -> None:
    questions = [q.model_dump(mode="json") for q in _questions(*range(1, 11))]
    read = parse_event(_release_1_body(questions))
    assert isinstance(read, QuestionsGenerated)
    assert (read.version, read.payload.final, read.payload.set_size) == (1, True, 10)
    empty = parse_event(_release_1_body([]))
    assert isinstance(empty, QuestionsGenerated) and empty.payload.set_size == 0


def test_version_1_is_never_a_part_of_a_set() -> None:
    with pytest.raises(ValidationError, match="whole set"):
        QuestionsGenerated(
            session_id=SESSION,
            payload=QuestionsGeneratedPayload(
                source="ai", questions=_questions(1, 2), total=10, final=False
            ),
        )


def test_a_later_version_is_refused_not_read_as_a_batch() -> None:
    body = json.loads(_batch(1).model_dump_json())
    body["version"] = 3
    with pytest.raises(UnknownEventVersion):
        parse_event(json.dumps(body))


def test_a_request_of_an_earlier_release_does_not_ask_for_batches() -> None:
    """Release 1's gateway sends no ``batches``: it is answered with one version 1 event."""
    request = {
        "event_id": str(uuid.uuid4()),
        "type": "questions.requested",
        "version": 2,
        "occurred_at": "2030-01-01T00:00:00Z",
        "session_id": str(SESSION),
        "deadline": "2030-01-01T00:10:00Z",
        "payload": {"target_role": "Dev", "job_description": "Python.", "profile": {}},
    }
    read = parse_event(json.dumps(request))
    assert isinstance(read, QuestionsRequested) and read.payload.batches is False
