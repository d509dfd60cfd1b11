"""What a worker under test is sent and how a handler answers it without a model: the request
of ``questions.requested`` that every worker test publishes, and its fallback answer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from careerflow_contracts import (
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    QuestionsRequestedPayload,
    ResumeProfile,
)


def questions_requested(*, deadline_s: float = 30.0) -> QuestionsRequested:
    """A new session's request for questions, due ``deadline_s`` from now."""
    return QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=datetime.now(UTC) + timedelta(seconds=deadline_s),
        payload=QuestionsRequestedPayload(
            target_role="Backend Engineer", job_description="Python", profile=ResumeProfile()
        ),
    )


async def answer_without_the_model(event: QuestionsRequested) -> QuestionsGenerated:
    """A handler's result for ``event`` when the model is turned off: no questions."""
    return event.reply(
        QuestionsGenerated,
        QuestionsGeneratedPayload(questions=[], source="fallback", fallback_reason="disabled"),
    )
