"""The handler of ``questions.requested``: ask the model, judge its answer, fill in from the
fallback, and say how the set was made.

A requester that asked for ``batches`` gets the set as the model writes it: each question is
read from the streamed answer once it is complete, screened, numbered and published in a
``questions.generated`` version 2 batch (``batches``), so the interview can start at the first
one. When the model is done, or fails, or is cut by a limit part way, the rest of the set comes
from the fallback, each question with its own ``source``, in the final batch. Another requester
gets the whole set at the end, in one version 1 event, as before.

The set's ``source`` is ``ai`` only when every question is the model's. When some of the model's
questions were unusable, or it stopped part way, the set is topped up from the fallback, its
reason is the model call's (``invalid_output`` when the call itself went well), and its detail
says how many questions are the model's (``from_model``). When the model gave nothing usable, or
was not asked (deadline too close, breaker open, turned off), the whole set is the fallback's
and the result carries the model call's reason. The gateway says them in words.
"""

from __future__ import annotations

import asyncio
import logging

from careerflow_contracts import (
    FallbackDetail,
    FallbackReason,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    ResultPayload,
)
from careerflow_llm import LLMResult, OllamaClient
from careerflow_question_gen.batches import QuestionBatches
from careerflow_question_gen.fallback import fallback_rest, question_seed, top_up
from careerflow_question_gen.model_output import ModelQuestionSet
from careerflow_question_gen.plan import QuestionPlan, plan_questions
from careerflow_question_gen.prompt import build_messages
from careerflow_question_gen.screening import Screening
from careerflow_question_gen.streamed_questions import QuestionStream
from careerflow_service import Publish

log = logging.getLogger(__name__)


async def handle_questions_requested(
    event: QuestionsRequested, *, llm: OllamaClient, publish: Publish | None = None
) -> QuestionsGenerated:
    """The questions of one request, AI where the model gave usable ones, fallback otherwise:
    in batches as they are written when the requester asked for them (all but the final batch
    sent through ``publish``), else the whole set."""
    plan = plan_questions(event.payload, question_seed(event.session_id, event.payload.generation))
    if event.payload.batches and publish is not None:
        return await _in_batches(event, plan, llm=llm, publish=publish)
    return await _whole_set(event, plan, llm=llm)


async def _whole_set(
    event: QuestionsRequested, plan: QuestionPlan, *, llm: OllamaClient
) -> QuestionsGenerated:
    payload = event.payload
    answer = QuestionStream(plan)
    result = await llm.chat(
        build_messages(plan), ModelQuestionSet, deadline=event.deadline, check=answer.check
    )
    # Screened by the check, once: nothing usable unless the call gave a valid answer.
    screening = answer.screening
    drafts = top_up(plan, screening.technical, screening.behavioral)
    questions = [draft.numbered(position) for position, draft in enumerate(drafts, start=1)]
    from_model = sum(1 for question in questions if question.source == "ai")
    outcome = _outcome(result, from_model, plan)
    _log_outcome(event, plan, outcome, from_model, screening)
    return event.reply(
        QuestionsGenerated,
        QuestionsGeneratedPayload(
            **outcome.model_dump(), questions=questions, generation=payload.generation
        ),
    )


async def _in_batches(
    event: QuestionsRequested, plan: QuestionPlan, *, llm: OllamaClient, publish: Publish
) -> QuestionsGenerated:
    stream = QuestionStream(plan)
    batches = QuestionBatches(event, publish, model=llm.settings.model)

    def on_text(text: str) -> None:
        batches.add(stream.read(text))

    sender = asyncio.create_task(batches.run())
    chat = asyncio.create_task(
        llm.chat(
            build_messages(plan),
            ModelQuestionSet,
            deadline=event.deadline,
            check=stream.check,
            on_text=on_text,
        )
    )
    try:
        await asyncio.wait({sender, chat}, return_when=asyncio.FIRST_COMPLETED)
        if not chat.done():
            sender.result()  # a batch could not be published: the request is redelivered
            raise RuntimeError("the batches stopped before the model was done")
        result = chat.result()
        batches.add(stream.rest)  # what the check took from the whole answer, if it ran
        batches.close()
        await sender
    finally:
        for task in (chat, sender):
            task.cancel()
        await asyncio.gather(chat, sender, return_exceptions=True)

    kept = stream.screening
    more_technical, more_behavioral = fallback_rest(plan, kept.technical, kept.behavioral)
    from_model = len(stream.kept)
    outcome = _outcome(result, from_model, plan)
    _log_outcome(event, plan, outcome, from_model, kept, batches=len(batches.sent) + 1)
    return batches.final(more_technical + more_behavioral, outcome)


def _outcome(
    result: LLMResult[ModelQuestionSet], from_model: int, plan: QuestionPlan
) -> ResultPayload:
    """How the whole set was made: the result fields of its event (or of its final batch).

    The reason and its detail go as data, and the gateway says them: the call's detail (which
    limit cut it), and for a set topped up from the fallback how many questions are the
    model's ("The AI wrote 6 of 10 questions before it stopped (...)").
    """
    reason = _fallback_reason(result, from_model, plan)
    detail = result.fallback_detail if reason == result.fallback_reason else None
    if reason is not None and from_model:
        detail = (detail or FallbackDetail()).model_copy(update={"from_model": from_model})
    return ResultPayload(
        source="ai" if reason is None else "fallback",
        fallback_reason=reason,
        fallback_detail=detail,
        model=result.model if from_model else None,
        duration_ms=result.duration_ms,
    )


def _log_outcome(
    event: QuestionsRequested,
    plan: QuestionPlan,
    outcome: ResultPayload,
    from_model: int,
    screening: Screening,
    *,
    batches: int = 1,
) -> None:
    log.info(
        "questions for session %s generation %d: %d of %d from the model (%s) in %d "
        "event(s), rejected %s",
        event.session_id,
        event.payload.generation,
        from_model,
        plan.count,
        outcome.fallback_reason or "ai",
        batches,
        dict(screening.rejected),
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
