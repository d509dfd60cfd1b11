"""Follow-ups in the contracts (issue 16): every field they added is optional, so a reader of
this release reads a writer of the earlier one, and the earlier readers ignore them."""

from __future__ import annotations

import json
import uuid

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerEvaluatedPayload,
    AnswerGaps,
    Evaluation,
    Rubric,
    parse_event,
)
from careerflow_contracts.rest import Progress, QuestionView, ReportNumbersView

RUBRIC = Rubric(relevance=3, depth=3, structure=3, specificity=3)


def test_an_evaluation_of_an_earlier_evaluator_has_no_gaps() -> None:
    event = AnswerEvaluated(
        session_id=uuid.uuid4(),
        payload=AnswerEvaluatedPayload(
            question_id=uuid.uuid4(),
            evaluation=Evaluation(score=RUBRIC.score(), rubric=RUBRIC, feedback="Thin."),
            source="ai",
            gaps=AnswerGaps(missed_points=["index"], vague=True),
        ),
    )
    raw = json.loads(event.model_dump_json())
    assert raw["payload"]["gaps"] == {
        "missed_points": ["index"],
        "vague": True,
        "non_answer": False,
    }
    del raw["payload"]["gaps"]
    earlier = parse_event(json.dumps(raw))
    assert isinstance(earlier, AnswerEvaluated) and earlier.payload.gaps is None


def test_a_view_of_an_earlier_gateway_reads_as_one_without_follow_ups() -> None:
    question = QuestionView.model_validate(
        {
            "id": str(uuid.uuid4()),
            "position": 1,
            "kind": "technical",
            "text": "Why?",
            "source": "ai",
        }
    )
    assert question.parent_id is None and question.skipped is False
    progress = Progress.model_validate({"answered": 1, "evaluated": 1, "total": 10, "written": 10})
    assert (progress.followups, progress.skipped) == (0, 0)
    numbers = ReportNumbersView.model_validate(
        {"overall_score": 50, "by_kind": {}, "skill_match": {"score": 0}}
    )
    assert numbers.followups == []
