"""The evaluator's three handlers: plain functions from a request event to its result event.

The runtime (``careerflow_service``) decodes the message, calls the handler, publishes the
returned event with confirms and then acks. A result is the request's ``reply``: its
``event_id`` is derived from the request, so a redelivered request produces a duplicate the
gateway drops.
"""

from __future__ import annotations

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerSubmitted,
    FollowupGenerated,
    FollowupRequested,
    ReportGenerated,
    ReportRequested,
)
from careerflow_evaluator.followup import write_followup
from careerflow_evaluator.report import write_report
from careerflow_evaluator.scoring import evaluate_answer
from careerflow_llm import OllamaClient


async def handle_answer_submitted(event: AnswerSubmitted, *, llm: OllamaClient) -> AnswerEvaluated:
    """Score one answer, by the model or the labelled fallback."""
    payload = await evaluate_answer(event.payload, llm=llm, deadline=event.deadline)
    return event.reply(AnswerEvaluated, payload)


async def handle_report_requested(event: ReportRequested, *, llm: OllamaClient) -> ReportGenerated:
    """Write the report's narrative, by the model or the labelled fallback."""
    payload = await write_report(event.payload, llm=llm, deadline=event.deadline)
    return event.reply(ReportGenerated, payload)


async def handle_followup_requested(
    event: FollowupRequested, *, llm: OllamaClient
) -> FollowupGenerated:
    """Write one follow-up question, by the model or the labelled fallback."""
    payload = await write_followup(event.payload, llm=llm, deadline=event.deadline)
    return event.reply(FollowupGenerated, payload)
