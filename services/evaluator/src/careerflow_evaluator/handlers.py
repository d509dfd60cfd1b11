"""The evaluator's three handlers: plain functions from a request event to its result event.

The runtime (``careerflow_service``) decodes the message, calls the handler, publishes the
returned event with confirms and then acks. A result's ``event_id`` is derived from the request,
so a redelivered request produces a duplicate the gateway drops.
"""

from __future__ import annotations

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerSubmitted,
    FollowupGenerated,
    FollowupRequested,
    ReportGenerated,
    ReportRequested,
    routing,
)
from careerflow_evaluator.followup import write_followup
from careerflow_evaluator.report import write_report
from careerflow_evaluator.scoring import evaluate_answer
from careerflow_llm import OllamaClient


async def handle_answer_submitted(event: AnswerSubmitted, *, llm: OllamaClient) -> AnswerEvaluated:
    """Score one answer, by the model or the labelled fallback."""
    payload = await evaluate_answer(event.payload, llm=llm, deadline=event.deadline)
    return AnswerEvaluated(
        event_id=event.result_event_id(routing.ANSWER_EVALUATED),
        session_id=event.session_id,
        causation_id=event.event_id,
        payload=payload,
    )


async def handle_report_requested(event: ReportRequested, *, llm: OllamaClient) -> ReportGenerated:
    """Write the report's narrative, by the model or the labelled fallback."""
    payload = await write_report(event.payload, llm=llm, deadline=event.deadline)
    return ReportGenerated(
        event_id=event.result_event_id(routing.REPORT_GENERATED),
        session_id=event.session_id,
        causation_id=event.event_id,
        payload=payload,
    )


async def handle_followup_requested(
    event: FollowupRequested, *, llm: OllamaClient
) -> FollowupGenerated:
    """Write one follow-up question, by the model or the labelled fallback."""
    payload = await write_followup(event.payload, llm=llm, deadline=event.deadline)
    return FollowupGenerated(
        event_id=event.result_event_id(routing.FOLLOWUP_GENERATED),
        session_id=event.session_id,
        causation_id=event.event_id,
        payload=payload,
    )
