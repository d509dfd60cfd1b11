"""The gateway words a fallback's reason from the data a worker sends (issue 14 item 3)."""

from __future__ import annotations

import pytest

from careerflow_contracts import FALLBACK_REASONS, FallbackDetail, Notice
from careerflow_contracts.events import ResultPayload
from careerflow_gateway.notices import reason_in_words, result_notices
from careerflow_llm.pace import CallPace, Limit


def _fallback(**fields: object) -> ResultPayload:
    return ResultPayload.model_validate({"source": "fallback", **fields})


@pytest.mark.parametrize(
    ("limit", "lines"),
    [
        (Limit.FIRST_TOKEN, 0),
        (Limit.STALL, 40),
        (Limit.DEADLINE, 0),
        (Limit.DEADLINE, 12),
        (Limit.BUDGET, 0),
        (Limit.BUDGET, 12),
    ],
)
def test_a_cut_is_said_as_the_llm_client_says_it(limit: Limit, lines: int) -> None:
    # The client's own words for the cut (LLMResult.why), which the workers' notices say today:
    # the gateway's wording from the data must read the same, so moving the words is unseen.
    pace = CallPace(
        started=0.0, first_token_s=171.4, stall_s=30.0, budget_s=600.0, slow_call_s=20.0
    )
    pace.lines = lines
    cut = pace.cut(700.0, limit)
    # What the client sends as data for the cut (LLMResult.fallback_detail).
    detail = FallbackDetail(limit=cut.limit.value, seconds=cut.seconds, answering=cut.answering)
    words = reason_in_words("timeout", detail, duration_ms=700_000)
    assert words == f"{cut.words[0].upper()}{cut.words[1:]}"


def test_a_fallback_with_its_detail_is_worded_by_the_gateway() -> None:
    payload = _fallback(
        fallback_reason="timeout",
        duration_ms=250_000,
        fallback_detail={"limit": "stall", "seconds": 30, "answering": True},
    )
    [notice] = result_notices("questions", payload)
    assert notice.code == "ai_timeout"
    assert notice.message == (
        "The AI model stopped writing for 30 s part way through its answer; "
        "default questions were used."
    )
    found = _fallback(
        fallback_reason="invalid_output",
        fallback_detail={"found": "the summary gives a score not one of the answers'"},
    )
    [notice] = result_notices("report", found)
    assert notice.message == (
        "The AI's answer could not be used (the summary gives a score not one of the "
        "answers'); the report's summary was written from a template."
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


def test_a_connection_lost_mid_answer_is_said_as_the_llm_client_says_it() -> None:
    words = reason_in_words("connection_error", FallbackDetail(answering=True))
    assert words == "The connection to the AI service was lost during its answer"


def test_the_reasons_are_said_in_the_llm_clients_words() -> None:
    # The words the workers' notices use today (LLMResult.why where the call says no more), so
    # a worker that leaves the wording to the gateway changes nothing a person reads.
    said = {
        "breaker_open": "The AI service is paused after repeated failures",
        "connection_error": "The AI service could not be reached",
        "invalid_output": "The AI's answer could not be used",
        "model_error": "The AI model reported an error",
        "deadline_exceeded": "There was no time left to ask the AI",
        "disabled": "The AI is turned off",
        "unreadable_input": "There was no readable text to give the AI",
        "deferred": "The AI was kept free for work a candidate waits for",
        "timeout": "The AI service did not answer in time",
    }
    assert set(said) == set(FALLBACK_REASONS)
    assert {reason: reason_in_words(reason) for reason in said} == said
    off = result_notices("questions", _fallback(fallback_reason="disabled"))
    assert [(n.level, n.message) for n in off] == [
        ("info", "The AI is turned off; default questions were used.")
    ]


def test_a_detail_that_does_not_fit_the_reason_is_not_said() -> None:
    # A cut belongs to a timeout, a finding to an unusable answer; anything else is the reason.
    detail = FallbackDetail(limit="stall", seconds=30, found="x")
    assert reason_in_words("connection_error", detail) == "The AI service could not be reached"
