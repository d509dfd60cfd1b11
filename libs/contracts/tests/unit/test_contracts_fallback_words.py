"""A fallback's reason is said in one wording, from the data a worker sends (issue 14 item 3)."""

from __future__ import annotations

import pytest

from careerflow_contracts import FALLBACK_REASONS, FallbackDetail, FallbackReason
from careerflow_contracts.common import CutLimit
from careerflow_contracts.fallback_words import reason_in_words, sentence


@pytest.mark.parametrize(
    ("limit", "answering", "said"),
    [
        ("first_token", False, "the AI model did not begin its answer within 171.4 s"),
        ("stall", True, "the AI model stopped writing for 30 s part way through its answer"),
        (
            "deadline",
            False,
            "the AI model had not begun its answer when the time for this step ran out (600 s)",
        ),
        (
            "deadline",
            True,
            "the AI model had not finished when the time for this step ran out (600 s)",
        ),
        (
            "budget",
            False,
            "the AI model was still silent after 600 s, the longest this step may take",
        ),
        (
            "budget",
            True,
            "the AI model was still writing after 600 s, the longest this step may take",
        ),
    ],
)
def test_a_cut_is_said_as_what_the_model_did_at_every_stage(
    limit: CutLimit, answering: bool, said: str
) -> None:
    seconds = {"first_token": 171.4, "stall": 30.0}.get(limit, 600.0)
    detail = FallbackDetail(limit=limit, seconds=seconds, answering=answering)
    for stage in ("resume", "questions", "evaluation", "report"):
        assert reason_in_words("timeout", detail, stage=stage, duration_ms=700_000) == said


def test_a_timeout_without_its_limit_is_said_over_the_calls_time_only_from_an_earlier_worker() -> (
    None
):
    # No detail at all: a worker of an earlier release, whose call's whole time is what is known.
    assert (
        reason_in_words("timeout", stage="questions", duration_ms=31_000)
        == "the AI service did not answer within 31 s"
    )
    assert reason_in_words("timeout", stage="questions") == "the AI service did not answer in time"
    # A detail without a limit: the call timed out some other way (a connection pool, a write).
    assert (
        reason_in_words("timeout", FallbackDetail(), stage="evaluation", duration_ms=31_000)
        == "the AI service did not answer in time"
    )


def test_the_reasons_are_said_in_the_words_the_workers_have_always_used() -> None:
    the_ai = {
        "breaker_open": "the AI service is paused after repeated failures",
        "connection_error": "the AI service could not be reached",
        "invalid_output": "the AI's answer could not be used",
        "model_error": "the AI model reported an error",
        "deadline_exceeded": "there was no time left to ask the AI",
        "disabled": "the AI is turned off",
        "unreadable_input": "there was no readable text to give the AI",
        "deferred": "the AI was kept free for work a candidate waits for",
        "timeout": "the AI service did not answer in time",
    }
    # The evaluator's stages name the evaluator, as its notices and feedback always did.
    the_evaluator = {
        "breaker_open": "the AI evaluator is paused after repeated failures",
        "connection_error": "the AI evaluator is unreachable",
        "invalid_output": "the AI evaluator returned an unusable answer",
        "model_error": "the AI evaluator reported an error",
        "deadline_exceeded": "there was no time left to ask the AI evaluator",
        "disabled": "the AI evaluator is turned off",
        "unreadable_input": "there was no readable text to give the AI evaluator",
        "deferred": "the AI evaluator was kept free for work a candidate waits for",
        "timeout": "the AI service did not answer in time",
    }
    assert set(the_ai) == set(the_evaluator) == set(FALLBACK_REASONS)
    for stage, said in [("resume", the_ai), ("questions", the_ai), ("session", the_ai)]:
        assert {r: reason_in_words(r, stage=stage) for r in FALLBACK_REASONS} == said
    for stage in ("evaluation", "followup", "report"):
        assert {r: reason_in_words(r, stage=stage) for r in FALLBACK_REASONS} == the_evaluator


def test_a_connection_lost_mid_answer_is_said_so_except_by_the_evaluator() -> None:
    lost = FallbackDetail(answering=True)
    assert (
        reason_in_words("connection_error", lost, stage="resume")
        == "the connection to the AI service was lost during its answer"
    )
    assert reason_in_words("connection_error", lost, stage="report") == (
        "the AI evaluator is unreachable"
    )


def test_what_a_workers_checks_found_is_quoted_after_an_unusable_answer() -> None:
    found = FallbackDetail(found="the summary gives a score not one of the answers'")
    assert reason_in_words("invalid_output", found, stage="report") == (
        "the AI evaluator returned an unusable answer (the summary gives a score not one of the "
        "answers')"
    )
    assert reason_in_words("invalid_output", found, stage="questions") == (
        "the AI's answer could not be used (the summary gives a score not one of the answers')"
    )


@pytest.mark.parametrize("reason", ["connection_error", "breaker_open", "model_error"])
def test_a_detail_that_does_not_fit_the_reason_is_not_said(reason: FallbackReason) -> None:
    # A cut belongs to a timeout, a finding to an unusable answer; anything else is the reason.
    detail = FallbackDetail(limit="stall", seconds=30, found="x")
    assert reason_in_words(reason, detail, stage="questions") == reason_in_words(
        reason, stage="questions"
    )


def test_a_clause_opens_a_sentence() -> None:
    assert sentence("the AI is turned off") == "The AI is turned off"
    assert sentence("") == ""
