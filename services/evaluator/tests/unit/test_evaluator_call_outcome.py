"""How a model call went, as the result's fields, and why the model was not used in words."""

from __future__ import annotations

import pytest

from careerflow_contracts import FallbackDetail
from careerflow_evaluator.call_outcome import call_outcome, model_output
from careerflow_evaluator.followup import ModelFollowup
from careerflow_llm import LLMResult

MODEL = "llama3.2:3b"


def test_a_stalled_model_is_said_to_have_stopped_writing_not_to_be_late() -> None:
    """The limit that ended the call says more than "did not answer in time" of a model that
    wrote for minutes and then stopped."""
    cut = FallbackDetail(limit="stall", seconds=30.0, answering=True)
    stalled = LLMResult(
        None,
        "timeout",
        MODEL,
        250_000,
        detail="the model went silent for 30 s after 812 tokens",
        fallback_detail=cut,
    )
    outcome = call_outcome(stalled)
    assert outcome.result_fields() == {
        "source": "fallback",
        "fallback_reason": "timeout",
        "fallback_detail": cut,
        "model": MODEL,
        "duration_ms": 250_000,
    }
    assert outcome.in_words("evaluation") == (
        "the AI model stopped writing for 30 s part way through its answer"
    )


def test_what_our_checks_found_wrong_with_an_answer_is_shown() -> None:
    refused = LLMResult(
        None,
        "invalid_output",
        MODEL,
        900,
        detail="rejected by check: the summary gives a score not one of the answers'",
    )
    outcome = call_outcome(refused)
    assert outcome.detail == FallbackDetail(
        found="rejected by check: the summary gives a score not one of the answers'"
    )
    assert outcome.in_words("report") == (
        "the AI evaluator returned an unusable answer (rejected by check: the summary gives a "
        "score not one of the answers')"
    )


def test_a_long_finding_is_cut_to_what_a_notice_has_room_for() -> None:
    long = LLMResult(None, "invalid_output", MODEL, 900, detail="x" * 500)
    detail = call_outcome(long).detail
    assert detail is not None and detail.found == "x" * 120


def test_a_model_servers_own_text_is_not_kept() -> None:
    crashed = LLMResult(None, "model_error", MODEL, 40, detail="HTTP 500: CUDA error at ggml.c")
    outcome = call_outcome(crashed)
    assert (outcome.reason, outcome.detail) == ("model_error", None)
    assert outcome.in_words("evaluation") == "the AI evaluator reported an error"


def test_a_connection_lost_during_the_answer_is_said_as_the_evaluator_always_said_it() -> None:
    lost = LLMResult(
        None,
        "connection_error",
        MODEL,
        3_000,
        detail="connection dropped during the answer",
        fallback_detail=FallbackDetail(answering=True),
    )
    assert call_outcome(lost).in_words("followup") == "the AI evaluator is unreachable"


def test_a_used_answer_has_no_reason_to_say() -> None:
    answered = LLMResult(
        ModelFollowup(question="What would you measure first, and why?"), None, MODEL, 1_200
    )
    outcome = call_outcome(answered)
    assert outcome.result_fields() == {
        "source": "ai",
        "fallback_reason": None,
        "fallback_detail": None,
        "model": MODEL,
        "duration_ms": 1_200,
    }
    with pytest.raises(ValueError, match="no reason"):
        outcome.in_words("evaluation")


def test_a_step_takes_the_models_output_only_when_the_call_gives_no_reason() -> None:
    followup = ModelFollowup(question="What would you measure first, and why?")
    output, outcome = model_output(LLMResult(followup, None, MODEL, 1_200))
    assert output is followup and outcome.reason is None
    refused = LLMResult(followup, "invalid_output", MODEL, 1_200, detail="rejected by check")
    output, outcome = model_output(refused)
    assert output is None and outcome.reason == "invalid_output"
    output, outcome = model_output(LLMResult(None, "model_error", MODEL, 900))
    assert output is None and outcome.reason == "model_error"
