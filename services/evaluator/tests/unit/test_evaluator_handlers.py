"""The handlers answer each request with the right envelope, and the settings read EVALUATOR_*."""

from __future__ import annotations

import uuid

import pytest

from careerflow_contracts import (
    AnswerGaps,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    ByKind,
    FollowupRequested,
    FollowupRequestedPayload,
    Question,
    ReportRequested,
    ReportRequestedPayload,
    SkillMatch,
    routing,
)
from careerflow_evaluator.bootstrap import bootstrap
from careerflow_evaluator.handlers import (
    handle_answer_submitted,
    handle_followup_requested,
    handle_report_requested,
)
from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_llm import OllamaClient, OllamaSettings


def _disabled_llm() -> OllamaClient:
    return OllamaClient(OllamaSettings(url="http://127.0.0.1:9", enabled=False))


async def test_answer_submitted_gets_a_derived_answer_evaluated() -> None:
    event = AnswerSubmitted(
        session_id=uuid.uuid4(),
        payload=AnswerSubmittedPayload(
            question_id=uuid.uuid4(),
            question=Question(position=1, kind="behavioral", text="Tell me about a conflict."),
            answer_text="I don't know",
            target_role="Engineer",
        ),
    )
    async with _disabled_llm() as llm:
        result = await handle_answer_submitted(event, llm=llm)
        again = await handle_answer_submitted(event, llm=llm)
    assert result.type == "answer.evaluated"
    assert result.event_id == event.result_event_id(routing.ANSWER_EVALUATED) == again.event_id
    assert result.causation_id == event.event_id
    assert result.session_id == event.session_id
    assert result.payload.question_id == event.payload.question_id
    assert result.payload.fallback_reason == "disabled"
    assert result.payload.evaluation.score <= 1


async def test_report_requested_gets_a_derived_report_generated() -> None:
    event = ReportRequested(
        session_id=uuid.uuid4(),
        payload=ReportRequestedPayload(
            target_role="Engineer",
            job_description="Python",
            items=[],
            overall_score=0,
            by_kind=ByKind(),
            skill_match=SkillMatch(score=0),
        ),
    )
    async with _disabled_llm() as llm:
        result = await handle_report_requested(event, llm=llm)
    assert result.type == "report.generated"
    assert result.event_id == event.result_event_id(routing.REPORT_GENERATED)
    assert result.causation_id == event.event_id
    assert result.payload.source == "fallback"
    assert result.payload.summary


async def test_followup_requested_gets_a_derived_followup_generated() -> None:
    question = Question(
        position=3,
        kind="technical",
        skill="Redis",
        text="How do you keep a Redis cache consistent with the database?",
        expected_points=["cache invalidation on write", "TTL as a safety net"],
    )
    event = FollowupRequested(
        session_id=uuid.uuid4(),
        payload=FollowupRequestedPayload(
            question_id=uuid.uuid4(),
            question=question,
            answer_text="I would put Redis in front of the database.",
            target_role="Engineer",
            reason="missed_points",
            gaps=AnswerGaps(missed_points=["TTL as a safety net"]),
        ),
    )
    async with _disabled_llm() as llm:
        result = await handle_followup_requested(event, llm=llm)
        again = await handle_followup_requested(event, llm=llm)
    assert result.type == "followup.generated"
    assert result.event_id == event.result_event_id(routing.FOLLOWUP_GENERATED) == again.event_id
    assert result.causation_id == event.event_id
    assert result.payload.question_id == event.payload.question_id
    assert (result.payload.source, result.payload.fallback_reason) == ("fallback", "disabled")
    assert result.payload.text == again.payload.text
    assert "TTL as a safety net" in result.payload.text
    assert result.payload.expected_points == ["TTL as a safety net"]


async def test_the_service_consumes_the_three_evaluator_queues() -> None:
    async with _disabled_llm() as llm:
        worker = bootstrap(EvaluatorSettings(), llm=llm)
        assert set(worker.handlers) == {
            routing.EVALUATOR_ANSWERS,
            routing.EVALUATOR_REPORTS,
            routing.EVALUATOR_FOLLOWUPS,
        }


def test_settings_read_the_evaluator_prefix_and_shared_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EVALUATOR_PORT", raising=False)
    monkeypatch.setenv("OLLAMA_URL", "http://shared:11434")
    monkeypatch.setenv("EVALUATOR_OLLAMA_MODEL", "qwen2.5:3b")
    settings = EvaluatorSettings()
    assert settings.port == 8003
    assert settings.ollama_url == "http://shared:11434"
    assert settings.ollama_settings().model == "qwen2.5:3b"
    monkeypatch.setenv("EVALUATOR_PORT", "9003")
    assert EvaluatorSettings().port == 9003
