"""Every event survives a JSON round trip, parses by its type, and keeps the envelope rules."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from careerflow_contracts import (
    EVENT_TYPES,
    AnswerEvaluated,
    AnswerEvaluatedPayload,
    AnswerGaps,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    ByKind,
    Evaluation,
    EvaluationFlag,
    EventBase,
    FollowupGenerated,
    FollowupGeneratedPayload,
    FollowupRequested,
    FollowupRequestedPayload,
    ParentAnswer,
    ProfileRefined,
    ProfileRefinedPayload,
    ProfileRequested,
    ProfileRequestedPayload,
    Question,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    QuestionsRequestedPayload,
    ReportFollowup,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportItem,
    ReportRequested,
    ReportRequestedPayload,
    ResumeParsed,
    ResumeParsedPayload,
    ResumeProfile,
    ResumeSubmitted,
    ResumeSubmittedPayload,
    Rubric,
    SkillMatch,
    parse_event,
    routing,
)

SESSION = uuid.UUID("00000000-0000-4000-8000-000000000001")
DEADLINE = datetime(2030, 1, 1, tzinfo=UTC)
PROFILE = ResumeProfile(
    skills=["Python", "PostgreSQL"],
    years_experience=6.5,
    titles=["Backend Engineer"],
    education=["B.S. Computer Science"],
    source="ai",
)
QUESTION = Question(
    position=1,
    kind="technical",
    skill="PostgreSQL",
    text="How would you find and fix a slow PostgreSQL query?",
    expected_points=["EXPLAIN ANALYZE", "index"],
    source="ai",
)
RUBRIC = Rubric(relevance=8, depth=6, structure=7, specificity=6)
ANSWER = "I run EXPLAIN ANALYZE first."


def _examples() -> list[EventBase]:
    return [
        ResumeSubmitted(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=ResumeSubmittedPayload(document_type="pdf", document=b"%PDF-1.7\n\x00\xff"),
        ),
        ResumeParsed(
            session_id=SESSION,
            payload=ResumeParsedPayload(
                profile=PROFILE, source="fallback", fallback_reason="timeout", duration_ms=30_000
            ),
        ),
        ResumeParsed(
            session_id=SESSION,
            payload=ResumeParsedPayload(
                profile=PROFILE,
                source="fallback",
                fallback_reason="deferred",
                resume_text="Jane Doe\nBackend Engineer, Python, PostgreSQL",
            ),
        ),
        ProfileRequested(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=ProfileRequestedPayload(
                resume_text="Jane Doe\nBackend Engineer, Python, PostgreSQL", profile=PROFILE
            ),
        ),
        ProfileRefined(
            session_id=SESSION,
            payload=ProfileRefinedPayload(
                profile=PROFILE, source="ai", model="llama3.2:3b", dropped_claims=1
            ),
        ),
        QuestionsRequested(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=QuestionsRequestedPayload(
                target_role="Backend Engineer",
                job_description="Python and Postgres",
                profile=PROFILE,
            ),
        ),
        QuestionsGenerated(
            session_id=SESSION,
            payload=QuestionsGeneratedPayload(
                questions=[QUESTION], source="ai", model="llama3.2:3b", duration_ms=1200
            ),
        ),
        AnswerSubmitted(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=AnswerSubmittedPayload(
                question_id=uuid.uuid4(),
                question=QUESTION,
                answer_text=ANSWER,
                target_role="Backend Engineer",
            ),
        ),
        AnswerEvaluated(
            session_id=SESSION,
            payload=AnswerEvaluatedPayload(
                question_id=uuid.uuid4(),
                evaluation=Evaluation(
                    score=RUBRIC.score(), rubric=RUBRIC, feedback="Good start.", source="ai"
                ),
                source="ai",
            ),
        ),
        _report_requested(
            score=RUBRIC.score(),
            skill_match=SkillMatch(matched=["Python"], missing=["Kafka"], score=50.0),
        ),
        ReportGenerated(
            session_id=SESSION,
            payload=ReportGeneratedPayload(
                summary="Solid.", source="fallback", fallback_reason="breaker_open"
            ),
        ),
        *_followup_examples(),
    ]


def _followup_examples() -> list[EventBase]:
    gaps = AnswerGaps(missed_points=["index"], vague=True)
    parent_id = uuid.uuid4()
    followup = QUESTION.model_copy(
        update={"text": "You mentioned EXPLAIN ANALYZE. Which index would you add, and why?"}
    )
    return [
        AnswerEvaluated(
            session_id=SESSION,
            payload=AnswerEvaluatedPayload(
                question_id=parent_id,
                evaluation=Evaluation(score=RUBRIC.score(), rubric=RUBRIC, feedback="Thin."),
                source="fallback",
                fallback_reason="timeout",
                gaps=gaps,
            ),
        ),
        FollowupRequested(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=FollowupRequestedPayload(
                question_id=parent_id,
                question=QUESTION,
                answer_text=ANSWER,
                target_role="Backend Engineer",
                reason="missed_points",
                gaps=gaps,
            ),
        ),
        FollowupGenerated(
            session_id=SESSION,
            payload=FollowupGeneratedPayload(
                question_id=parent_id,
                text=followup.text,
                expected_points=["index"],
                source="ai",
                model="llama3.2:3b",
            ),
        ),
        AnswerSubmitted(
            session_id=SESSION,
            deadline=DEADLINE,
            payload=AnswerSubmittedPayload(
                question_id=uuid.uuid4(),
                question=followup,
                answer_text="A B-tree index on the filtered column.",
                target_role="Backend Engineer",
                parent=ParentAnswer(question=QUESTION, answer_text=ANSWER),
            ),
        ),
        _report_requested(
            score=3,
            skill_match=SkillMatch(score=0.0),
            followup=ReportFollowup(question=followup.text, skipped=True),
            topic_score=3.0,
        ),
    ]


def _report_requested(*, score: int, skill_match: SkillMatch, **item: Any) -> ReportRequested:
    """A report's request on one technical question, scored ``score`` out of 10."""
    return ReportRequested(
        session_id=SESSION,
        deadline=DEADLINE,
        payload=ReportRequestedPayload(
            target_role="Backend Engineer",
            job_description="Python and Postgres",
            items=[
                ReportItem(
                    position=1,
                    kind="technical",
                    question=QUESTION.text,
                    answer_text=ANSWER,
                    score=score,
                    rubric=RUBRIC,
                    **item,
                )
            ],
            overall_score=score * 10.0,
            by_kind=ByKind(technical=score * 10.0),
            skill_match=skill_match,
        ),
    )


def test_resume_text_travels_with_a_deferred_reading_and_only_with_one() -> None:
    with pytest.raises(ValidationError, match="resume_text comes with a deferred reading"):
        ResumeParsedPayload(profile=PROFILE, source="fallback", fallback_reason="deferred")
    with pytest.raises(ValidationError, match="resume_text comes with a deferred reading"):
        ResumeParsedPayload(
            profile=PROFILE, source="fallback", fallback_reason="timeout", resume_text="text"
        )


def test_a_request_of_an_earlier_release_asks_for_the_model_first() -> None:
    raw = json.loads(_examples()[0].model_dump_json())
    del raw["payload"]["profile_later"]
    parsed = parse_event(json.dumps(raw))
    assert isinstance(parsed, ResumeSubmitted) and parsed.payload.profile_later is False


def test_every_event_type_has_an_example() -> None:
    assert {event.type for event in _examples()} == set(EVENT_TYPES)
    assert set(EVENT_TYPES) == set(routing.REQUEST_TYPES) | set(routing.RESULT_TYPES)


@pytest.mark.parametrize("event", _examples(), ids=lambda e: e.type)
def test_round_trip_through_json_gives_the_same_event(event: EventBase) -> None:
    body = event.model_dump_json().encode()
    parsed = parse_event(body)
    assert type(parsed) is type(event)
    assert parsed == event
    assert json.loads(body)["type"] == event.type


def test_document_bytes_travel_as_base64() -> None:
    event = _examples()[0]
    raw = json.loads(event.model_dump_json())
    assert raw["payload"]["document"] == "JVBERi0xLjcKAP8="
    assert isinstance(event, ResumeSubmitted)
    assert parse_event(json.dumps(raw)).payload.document == b"%PDF-1.7\n\x00\xff"  # type: ignore[union-attr]


def test_unknown_fields_are_ignored_so_old_readers_survive() -> None:
    event = _examples()[1]
    raw = json.loads(event.model_dump_json())
    raw["added_later"] = {"x": 1}
    raw["payload"]["profile"]["new_field"] = "y"
    assert parse_event(json.dumps(raw)) == event


def test_an_unknown_type_is_rejected() -> None:
    raw = json.loads(_examples()[1].model_dump_json())
    raw["type"] = "resume.exploded"
    with pytest.raises(ValidationError):
        parse_event(json.dumps(raw))


def test_naive_timestamps_are_rejected() -> None:
    raw = json.loads(_examples()[0].model_dump_json())
    raw["deadline"] = "2030-01-01T00:00:00"
    with pytest.raises(ValidationError):
        parse_event(json.dumps(raw))


def test_result_id_is_derived_from_the_request() -> None:
    request = _examples()[2]
    again = parse_event(request.model_dump_json())
    assert request.result_event_id("questions.generated") == again.result_event_id(
        "questions.generated"
    )
    assert request.result_event_id("questions.generated") == uuid.uuid5(
        request.event_id, "questions.generated"
    )
    assert request.result_event_id("questions.generated") != request.result_event_id("x")


def test_a_reply_is_in_the_envelope_of_what_it_answers() -> None:
    request = _examples()[2]
    payload = ReportGeneratedPayload(summary="Well done.", source="ai")
    reply = request.reply(ReportGenerated, payload)
    assert isinstance(reply, ReportGenerated)
    assert reply.event_id == request.result_event_id("report.generated")
    assert (reply.session_id, reply.causation_id, reply.payload) == (
        request.session_id,
        request.event_id,
        payload,
    )
    # A result sent in parts: each part's own id, and the version that carries parts.
    batch = QuestionsGeneratedPayload(
        source="ai",
        questions=[
            Question(position=1, kind="technical", text="Why is the cache cold after a deploy?")
        ],
        total=2,
        final=False,
    )
    part = request.reply(QuestionsGenerated, batch, version=2, event_id=uuid.UUID(int=7))
    assert (part.version, part.event_id, part.causation_id) == (
        2,
        uuid.UUID(int=7),
        request.event_id,
    )


def test_fallback_results_name_their_reason_and_ai_results_do_not() -> None:
    with pytest.raises(ValidationError, match="names its fallback_reason"):
        ReportGeneratedPayload(summary="x", source="fallback")
    with pytest.raises(ValidationError, match="no fallback_reason"):
        ReportGeneratedPayload(summary="x", source="ai", fallback_reason="timeout")


def test_evaluation_score_must_be_the_rubrics() -> None:
    assert RUBRIC.score() == 7  # 0.35*8 + 0.25*6 + 0.2*7 + 0.2*6 = 6.9
    with pytest.raises(ValidationError, match="not the rubric's"):
        Evaluation(score=10, rubric=RUBRIC, feedback="x")


def test_rubric_values_are_bounded() -> None:
    with pytest.raises(ValidationError):
        Rubric(relevance=11, depth=0, structure=0, specificity=0)
    assert Rubric(relevance=0, depth=0, structure=0, specificity=0).score() == 0
    assert Rubric(relevance=10, depth=10, structure=10, specificity=10).score() == 10


def test_request_deadline_in_the_past_still_parses() -> None:
    # A late request is the worker's business (it answers deadline_exceeded), not a parse error.
    late = _examples()[0].model_copy(update={"deadline": datetime.now(UTC) - timedelta(hours=1)})
    assert parse_event(late.model_dump_json()).deadline == late.deadline


def test_evaluation_flags_are_optional_and_travel() -> None:
    event = next(e for e in _examples() if isinstance(e, AnswerEvaluated))
    raw = json.loads(event.model_dump_json())
    del raw["payload"]["evaluation"]["flags"]  # as a writer from before flags sends it
    assert parse_event(json.dumps(raw)) == event
    flag = EvaluationFlag(code="score_capped", message="Capped at 2/10.")
    flagged = event.model_copy(
        update={
            "payload": event.payload.model_copy(
                update={"evaluation": event.payload.evaluation.model_copy(update={"flags": [flag]})}
            )
        }
    )
    again = parse_event(flagged.model_dump_json())
    assert isinstance(again, AnswerEvaluated)
    assert again.payload.evaluation.flags == [flag]
