"""The model's speed on an evaluation (an optional field, so old and new evaluators are read
alike), and the session view's report and scoring fields (optional, so old clients read on)."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerEvaluatedPayload,
    CallSpeed,
    Evaluation,
    Rubric,
    parse_event,
)
from careerflow_contracts.rest import NarrativeView, SessionView

SESSION = uuid.UUID("00000000-0000-4000-8000-000000000003")
RUBRIC = Rubric(relevance=7, depth=7, structure=7, specificity=7)


def _evaluated(speed: CallSpeed | None) -> AnswerEvaluated:
    return AnswerEvaluated(
        session_id=SESSION,
        payload=AnswerEvaluatedPayload(
            source="ai",
            question_id=uuid.uuid4(),
            evaluation=Evaluation(score=7, rubric=RUBRIC, feedback="Fine.", source="ai"),
            speed=speed,
        ),
    )


def test_an_evaluation_carries_the_models_speed_and_reads_without_it() -> None:
    speed = CallSpeed(load_s=4.0, prompt_tokens_per_s=60.0, output_tokens_per_s=15.0)
    read = parse_event(_evaluated(speed).model_dump_json())
    assert isinstance(read, AnswerEvaluated)
    assert read.version == 1  # an optional field: no new version
    assert read.payload.speed == speed

    # What an evaluator of an earlier release sends: no speed at all.
    body = json.loads(_evaluated(None).model_dump_json())
    del body["payload"]["speed"]
    old = parse_event(json.dumps(body))
    assert isinstance(old, AnswerEvaluated) and old.payload.speed is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("output_tokens_per_s", -1.0),
        ("output_tokens_per_s", 0.0),
        ("prompt_tokens_per_s", math.inf),
        ("prompt_tokens_per_s", math.nan),
        ("output_tokens_per_s", 1e9),
        ("load_s", -0.5),
    ],
)
def test_a_speed_that_cannot_be_is_refused(field: str, value: float) -> None:
    with pytest.raises(ValidationError) as raised:
        CallSpeed(**{field: value})
    assert raised.value.errors()[0]["loc"] == (field,)


def _view(**fields: Any) -> dict[str, Any]:
    now = datetime(2025, 1, 1, tzinfo=UTC).isoformat()
    return {
        "id": str(SESSION),
        "status": "in_progress",
        "target_role": "Backend Engineer",
        "created_at": now,
        "updated_at": now,
        "progress": {"answered": 10, "evaluated": 9, "total": 10},
        **fields,
    }


def test_a_view_of_an_earlier_release_reads_with_the_new_fields_empty() -> None:
    view = SessionView.model_validate(_view())
    assert view.report_numbers is None and view.report_narrative is None
    assert view.scoring == [] and view.model_speed == []


def test_the_new_fields_are_optional_in_the_schema_clients_are_built_from() -> None:
    schema = SessionView.model_json_schema()
    new = {"report_numbers", "report_narrative", "scoring", "model_speed"}
    assert new <= set(schema["properties"])
    assert not new & set(schema["required"])


def test_a_pending_narrative_says_by_when_and_a_written_one_does_not() -> None:
    due = datetime(2025, 1, 1, 12, 10, tzinfo=UTC)
    assert NarrativeView(status="pending", expected_by=due).expected_by == due
    with pytest.raises(ValidationError):
        NarrativeView(status="ready", expected_by=due)
    with pytest.raises(ValidationError):
        NarrativeView(status="written")  # type: ignore[arg-type]
