"""The cross-check of a model's verdict, measured on the labelled calibration set.

A simulated honest model gives every answer of the set a flat rubric at the score its label
deserves. The cross-check must leave those scores alone (honest models and the heuristic
rarely disagree by much), while it caps a model that scores an empty or off-topic answer high.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from evaluator_samples import SLOW_QUERY

from careerflow_contracts import Evaluation, Question, Rubric
from careerflow_evaluator.crosscheck import MAX_GAP, cross_check
from careerflow_evaluator.heuristic import heuristic_evaluation

_DATA = Path(__file__).parent.parent / "data" / "evaluator_calibration.json"
_ENTRIES: list[dict[str, Any]] = json.loads(_DATA.read_text(encoding="utf-8"))["questions"]
_ANSWERS = [
    (Question.model_validate(entry["question"]), answer["label"], answer["text"])
    for entry in _ENTRIES
    for answer in entry["answers"]
]


def _model_verdict(score: int) -> Evaluation:
    rubric = Rubric(relevance=score, depth=score, structure=score, specificity=score)
    return Evaluation(
        score=rubric.score(), rubric=rubric, feedback="The model's feedback.", source="ai"
    )


def _capped(honest: dict[str, int]) -> list[tuple[str, str, int, int]]:
    capped = []
    for question, label, text in _ANSWERS:
        checked = cross_check(_model_verdict(honest[label]), question, text)
        if checked.evaluation.score != honest[label]:
            capped.append((question.text[:40], label, honest[label], checked.evaluation.score))
    return capped


def test_no_strong_answer_is_capped_even_at_ten() -> None:
    generous = {"strong": 10, "medium": 7, "weak": 4}
    capped = _capped(generous)
    assert [entry for entry in capped if entry[1] == "strong"] == []
    # Only thin medium answers (few expected points covered, automatic estimate 1/10) scored 7
    # by a generous model are touched by the rule, and only by one point: three of the set's 20.
    assert {(label, before - after) for _, label, before, after in capped} == {("medium", 1)}
    assert len(capped) <= 3


def test_a_model_scoring_as_the_labels_say_is_never_capped() -> None:
    assert _capped({"strong": 9, "medium": 6, "weak": 3}) == []


def test_the_allowed_gap_covers_every_honest_disagreement_in_the_set() -> None:
    # The largest gap between the label's score and the automatic estimate, with the labels
    # scored 9 / 6 / 3: the rule's gap is not smaller.
    honest = {"strong": 9, "medium": 6, "weak": 3}
    gaps = [
        honest[label] - heuristic_evaluation(question, text, reason="x").score
        for question, label, text in _ANSWERS
    ]
    assert max(gaps) <= MAX_GAP


def test_no_calibration_answer_is_flagged_as_instructions() -> None:
    for question, _, text in _ANSWERS:
        checked = cross_check(_model_verdict(5), question, text)
        assert "instructions_in_answer" not in [flag.code for flag in checked.evaluation.flags]


@pytest.mark.parametrize("answer", ["", "   ", "I don't know, sorry.", "No idea, pass."])
def test_a_non_answer_scored_high_is_capped_to_the_estimate(answer: str) -> None:
    question, _, _ = _ANSWERS[0]
    checked = cross_check(_model_verdict(8), question, answer)
    assert checked.evaluation.score <= 1
    assert [flag.code for flag in checked.evaluation.flags] == ["score_capped"]
    assert "gives no content" in checked.evaluation.flags[0].message


def test_a_capped_rubric_keeps_the_models_shape() -> None:
    question, _, _ = _ANSWERS[0]
    rubric = Rubric(relevance=10, depth=9, structure=6, specificity=10)
    verdict = Evaluation(score=rubric.score(), rubric=rubric, feedback="Great.", source="ai")
    answer = "Add more resources to the server and a cache; it gets slower with more data."
    checked = cross_check(verdict, question, answer)
    estimate = heuristic_evaluation(question, answer, reason="x").score
    evaluation = checked.evaluation
    assert evaluation.score == estimate + MAX_GAP
    # Lowered evenly: the dimension the model rated lowest is still the lowest.
    assert evaluation.rubric.structure == min(evaluation.rubric.model_dump().values())
    assert evaluation.rubric.relevance > evaluation.rubric.structure
    # Without instructions in the answer, the model's own words are kept, after the label.
    assert evaluation.feedback.startswith(f"Score capped at {evaluation.score}/10")
    assert evaluation.feedback.endswith("Great.")


def test_a_short_answer_covering_every_point_is_not_capped() -> None:
    # 30 words, both expected points: the estimate is 3/10 (length), an interviewer's 9 stands.
    answer = (
        "I would run EXPLAIN ANALYZE to see the plan; a sequential scan on the filtered column "
        "means an index is missing, so I add one concurrently and measure p95 again."
    )
    assert heuristic_evaluation(SLOW_QUERY, answer, reason="x").score + MAX_GAP < 9
    checked = cross_check(_model_verdict(9), SLOW_QUERY, answer)
    assert checked.evaluation.score == 9
    assert checked.evaluation.flags == []
