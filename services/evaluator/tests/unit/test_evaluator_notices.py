"""Every fallback reason has words for a person."""

from __future__ import annotations

import pytest

from careerflow_contracts import FALLBACK_REASONS, FallbackReason
from careerflow_evaluator.notices import fallback_notice


@pytest.mark.parametrize("reason", FALLBACK_REASONS)
def test_every_reason_gives_a_notice_coded_with_it(reason: FallbackReason) -> None:
    notice = fallback_notice("evaluation", reason, None, "an automatic estimate was used")
    assert notice.code == f"ai_{reason}"
    assert notice.message.endswith("an automatic estimate was used.")
    assert reason not in notice.message


def test_a_stalled_model_is_said_to_have_stopped_writing_not_to_be_late() -> None:
    """The call's own words say which limit ended it; the reason alone would say "did not
    answer in time" of a model that wrote for minutes and then stopped."""
    stalled = "the AI model stopped writing for 30 s part way through its answer"
    detail = "the model went silent for 30 s after 812 tokens"
    notice = fallback_notice(
        "evaluation", "timeout", detail, "an automatic estimate was used", why=stalled
    )
    assert notice.message == (
        "The AI model stopped writing for 30 s part way through its answer; "
        "an automatic estimate was used."
    )
    assert "in time" not in notice.message


def test_words_of_a_call_do_not_replace_a_reason_that_says_enough() -> None:
    notice = fallback_notice(
        "report",
        "invalid_output",
        "the summary gives a score not one of the answers'",
        "the summary was written from a template",
        why="the AI's answer could not be used",
    )
    assert notice.message == (
        "The AI evaluator returned an unusable answer (the summary gives a score not one of the "
        "answers'); the summary was written from a template."
    )
