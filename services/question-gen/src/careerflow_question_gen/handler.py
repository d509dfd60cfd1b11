"""The handler of ``questions.requested``: ask the model, judge its answer, fill in from the
fallback, and say how the set was made.

The result's ``source`` is ``ai`` only when every question is the model's. When the model
answered but some questions were unusable, the set is topped up from the fallback, the result is
a fallback with reason ``invalid_output``, and a notice says how many questions are the model's.
When the model gave nothing usable, or was not asked (deadline too close, breaker open, turned
off), the whole set is the fallback's and the result carries the model call's reason.
"""

from __future__ import annotations

import logging

from careerflow_contracts import (
    FallbackReason,
    Notice,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    routing,
)
from careerflow_contracts.common import NoticeLevel
from careerflow_llm import LLMResult, OllamaClient
from careerflow_question_gen.fallback import question_seed, top_up
from careerflow_question_gen.model_output import ModelQuestionSet
from careerflow_question_gen.plan import QuestionPlan, plan_questions
from careerflow_question_gen.prompt import build_messages
from careerflow_question_gen.screening import Screening, require_usable, screen

log = logging.getLogger(__name__)

_MAX_NOTICE = 500


async def handle_questions_requested(
    event: QuestionsRequested, *, llm: OllamaClient
) -> QuestionsGenerated:
    """The questions of one request, AI where the model gave usable ones, fallback otherwise."""
    payload = event.payload
    plan = plan_questions(payload, question_seed(event.session_id, payload.generation))
    result = await llm.chat(
        build_messages(plan),
        ModelQuestionSet,
        deadline=event.deadline,
        check=require_usable(plan),
    )
    screening = screen(result.value, plan) if result.ok and result.value else Screening()
    drafts = top_up(plan, screening.technical, screening.behavioral)
    questions = [draft.numbered(position) for position, draft in enumerate(drafts, start=1)]
    from_model = sum(1 for question in questions if question.source == "ai")

    reason = _fallback_reason(result, from_model, plan)
    notices = _notices(result, from_model, plan)
    log.info(
        "questions for session %s generation %d: %d of %d from the model (%s), rejected %s",
        event.session_id,
        payload.generation,
        from_model,
        plan.count,
        reason or "ai",
        dict(screening.rejected),
    )
    return QuestionsGenerated(
        event_id=event.result_event_id(routing.QUESTIONS_GENERATED),
        session_id=event.session_id,
        causation_id=event.event_id,
        payload=QuestionsGeneratedPayload(
            source="ai" if reason is None else "fallback",
            fallback_reason=reason,
            model=result.model if from_model else None,
            duration_ms=result.duration_ms,
            notices=notices,
            questions=questions,
            generation=payload.generation,
        ),
    )


def _fallback_reason(
    result: LLMResult[ModelQuestionSet], from_model: int, plan: QuestionPlan
) -> FallbackReason | None:
    if from_model == plan.count:
        return None
    if result.fallback_reason is not None:
        return result.fallback_reason
    # The model answered, but not with enough usable questions.
    return "invalid_output"


def _notices(
    result: LLMResult[ModelQuestionSet], from_model: int, plan: QuestionPlan
) -> list[Notice]:
    if from_model == plan.count:
        return []
    if from_model:
        message = (
            f"The AI wrote {from_model} of {plan.count} questions; "
            f"{plan.count - from_model} default questions were added in place of unusable ones."
        )
        return [Notice(level="info", stage="questions", code="ai_partial", message=message)]
    reason = result.fallback_reason or "invalid_output"
    # The code names the reason, as the gateway's and the other workers' notices do.
    code = f"ai_{reason}"
    level, message = _WHOLE_FALLBACK[reason]
    # The detail of a failed call ("connection refused") helps the user; the detail of an
    # unusable answer is about JSON and schemas, which does not.
    shown = result.detail and reason not in ("disabled", "invalid_output")
    detail = f" ({result.detail})" if shown else ""
    text = message.format(detail=detail)
    if len(text) > _MAX_NOTICE:
        text = message.format(detail="")
    return [Notice(level=level, stage="questions", code=code, message=text)]


_UNAVAILABLE = "The AI service is unavailable{detail}; default questions were used."
_WHOLE_FALLBACK: dict[FallbackReason, tuple[NoticeLevel, str]] = {
    "connection_error": ("warning", _UNAVAILABLE),
    "timeout": ("warning", _UNAVAILABLE),
    "model_error": ("warning", _UNAVAILABLE),
    "breaker_open": ("warning", _UNAVAILABLE),
    "invalid_output": (
        "warning",
        "The AI's answer could not be used{detail}; default questions were used.",
    ),
    "deadline_exceeded": (
        "warning",
        "There was too little time left to ask the AI{detail}; default questions were used.",
    ),
    "disabled": ("info", "The AI is turned off; default questions were used."),
    "unreadable_input": (
        "warning",
        "There was no readable text to give the AI; default questions were used.",
    ),
}
