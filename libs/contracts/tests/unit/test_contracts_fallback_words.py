"""A fallback's reason is said in one wording, from the data a worker sends (issue 14 item 3)."""

from __future__ import annotations

import pytest

from careerflow_contracts import FALLBACK_REASONS, FallbackDetail, FallbackReason
from careerflow_contracts.common import CutLimit, Stage
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


_EVALUATOR_STAGES: tuple[Stage, ...] = ("evaluation", "followup", "report")
_OTHER_STAGES: tuple[Stage, ...] = ("resume", "questions", "session")


@pytest.mark.parametrize("stage", _EVALUATOR_STAGES + _OTHER_STAGES)
def test_each_reason_is_said_in_words_of_its_own(stage: Stage) -> None:
    said = [reason_in_words(reason, stage=stage) for reason in FALLBACK_REASONS]
    assert all(said)
    assert len(set(said)) == len(FALLBACK_REASONS)


@pytest.mark.parametrize("reason", [r for r in FALLBACK_REASONS if r != "timeout"])
def test_the_evaluators_stages_name_the_evaluator_and_the_others_the_ai(
    reason: FallbackReason,
) -> None:
    # As the evaluator's notices and feedback always did.
    for stage in _EVALUATOR_STAGES:
        assert "the AI evaluator" in reason_in_words(reason, stage=stage)
    for stage in _OTHER_STAGES:
        said = reason_in_words(reason, stage=stage)
        assert "the AI" in said and "evaluator" not in said


def test_a_timeout_is_said_alike_at_every_stage() -> None:
    said = {reason_in_words("timeout", stage=s) for s in _EVALUATOR_STAGES + _OTHER_STAGES}
    assert said == {"the AI service did not answer in time"}


@pytest.mark.parametrize(
    ("reason", "stage", "said"),
    [
        ("connection_error", "questions", "the AI service could not be reached"),
        ("connection_error", "evaluation", "the AI evaluator is unreachable"),
        ("breaker_open", "report", "the AI evaluator is paused after repeated failures"),
        ("disabled", "resume", "the AI is turned off"),
    ],
)
def test_the_wordings_the_architecture_document_quotes(
    reason: FallbackReason, stage: Stage, said: str
) -> None:
    assert reason_in_words(reason, stage=stage) == said


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
