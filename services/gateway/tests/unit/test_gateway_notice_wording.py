"""The gateway words a fallback from the data a worker sends (issue 14 item 3), in the words
each worker used to write itself, so a worker that leaves its wording to the gateway changes
nothing a person reads."""

from __future__ import annotations

from careerflow_contracts import Notice, QuestionsGeneratedPayload
from careerflow_contracts.events import ResultPayload
from careerflow_gateway.notices import result_notices


def _fallback(**fields: object) -> ResultPayload:
    return ResultPayload.model_validate({"source": "fallback", **fields})


def _set(from_model: int, reason: str, **detail: object) -> QuestionsGeneratedPayload:
    return QuestionsGeneratedPayload.model_validate(
        {
            "source": "fallback",
            "fallback_reason": reason,
            "fallback_detail": {"from_model": from_model, **detail},
            "questions": [],
            "total": 10,
            "final": True,
        }
    )


def test_a_fallback_with_its_detail_is_worded_by_the_gateway() -> None:
    payload = _fallback(
        fallback_reason="timeout",
        duration_ms=250_000,
        fallback_detail={"limit": "stall", "seconds": 30, "answering": True},
    )
    [notice] = result_notices("questions", payload)
    assert (notice.level, notice.code) == ("warning", "ai_timeout")
    assert notice.message == (
        "The AI model stopped writing for 30 s part way through its answer; "
        "default questions were used."
    )
    lost = _fallback(fallback_reason="connection_error", fallback_detail={"answering": True})
    [notice] = result_notices("resume", lost)
    assert notice.message == (
        "The connection to the AI service was lost during its answer; your resume was read "
        "with the basic parser, which finds fewer details."
    )


def test_the_evaluators_stages_are_worded_as_the_evaluator_wrote_them() -> None:
    found = _fallback(
        fallback_reason="invalid_output",
        fallback_detail={"found": "rejected by check: the summary gives a score not one of the"},
    )
    [notice] = result_notices("report", found)
    assert (notice.level, notice.code) == ("warning", "ai_invalid_output")
    assert notice.message == (
        "The AI evaluator returned an unusable answer (rejected by check: the summary gives a "
        "score not one of the); the report's summary was written from the scores alone."
    )
    [notice] = result_notices("evaluation", _fallback(fallback_reason="breaker_open"))
    assert notice.message == (
        "The AI evaluator is paused after repeated failures; answers it could not score were "
        "given an automatic estimate (marked on each answer)."
    )
    # The evaluator warned of every reason, a model turned off too.
    [notice] = result_notices("followup", _fallback(fallback_reason="disabled"))
    assert (notice.level, notice.message) == (
        "warning",
        "The AI evaluator is turned off; follow-up questions were built from the points your "
        "answers left out.",
    )


def test_a_model_turned_off_or_put_off_is_told_calmly_outside_the_evaluator() -> None:
    off = result_notices("questions", _fallback(fallback_reason="disabled"))
    assert [(n.level, n.message) for n in off] == [
        ("info", "The AI is turned off; default questions were used.")
    ]
    later = result_notices("resume", _fallback(fallback_reason="deferred"))
    assert [(n.level, n.code, n.message) for n in later] == [
        (
            "info",
            "ai_deferred",
            "Your resume was first read with the basic parser, so that your questions could "
            "start at once; the AI reads it as soon as it is free.",
        )
    ]


def test_a_set_topped_up_from_the_fallback_says_how_many_are_the_models() -> None:
    [unusable] = result_notices("questions", _set(6, "invalid_output"))
    assert (unusable.level, unusable.code, unusable.message) == (
        "info",
        "ai_partial",
        "The AI wrote 6 of 10 questions; 4 default questions were added in place of unusable ones.",
    )
    [stopped] = result_notices(
        "questions", _set(6, "timeout", limit="stall", seconds=30.0, answering=True)
    )
    assert (stopped.level, stopped.code, stopped.message) == (
        "warning",
        "ai_partial",
        "The AI wrote 6 of 10 questions before it stopped (the AI model stopped writing for "
        "30 s part way through its answer); the other 4 are default questions.",
    )


def test_an_earlier_workers_result_still_renders() -> None:
    # No detail: a timeout is said over the call's whole time, as before.
    [notice] = result_notices(
        "evaluation", _fallback(fallback_reason="timeout", duration_ms=31_000)
    )
    assert notice.message.startswith("The AI service did not answer within 31 s;")
    # A worker's own notice with its message (every worker until now) is shown as it is.
    own = Notice(stage="questions", code="ai_timeout", message="Its own words.")
    payload = _fallback(fallback_reason="timeout", notices=[own.model_dump()])
    assert result_notices("questions", payload) == [own]


def test_a_workers_other_warning_does_not_stand_for_the_reason() -> None:
    # Lines set aside from the resume are worth a warning of their own; they do not say why
    # the model did not read it.
    aside = Notice(stage="resume", code="instructions_set_aside", message="Lines ignored.")
    payload = _fallback(fallback_reason="model_error", notices=[aside.model_dump()])
    assert [n.code for n in result_notices("resume", payload)] == [
        "ai_model_error",
        "instructions_set_aside",
    ]
