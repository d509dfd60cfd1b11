"""The fallback ranks a labelled set of answers as people labelled them.

The set (tests/data/evaluator_calibration.json) was written for this test: twenty questions,
half technical and half behavioral, across ten roles, eight of them for jobs outside software
(an ICU nurse, a staff accountant, a mathematics teacher, an electrical engineer, asked what the
question generator's fallback asks them), each with a strong, a medium and a weak answer. The
heuristic never sees the labels. ``scripts/fallback_figures.py`` prints the figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from careerflow_contracts import Question
from careerflow_evaluator.heuristic import heuristic_evaluation
from careerflow_testing.ranking import spearman

_DATA = Path(__file__).parent.parent / "data" / "evaluator_calibration.json"
_LABEL_RANK = {"weak": 1, "medium": 2, "strong": 3}


def _load() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = json.loads(_DATA.read_text(encoding="utf-8"))["questions"]
    return questions


def _score(entry: dict[str, Any], text: str) -> int:
    question = Question.model_validate(entry["question"])
    return heuristic_evaluation(question, text, reason="calibration").score


def test_spearman_matches_known_values() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # With ties: ranks [1.5, 1.5, 3] and [1, 2, 3] -> r = 0.866...
    assert spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(0.8660254, rel=1e-6)


def test_the_set_is_large_and_balanced() -> None:
    entries = _load()
    answers = [answer for entry in entries for answer in entry["answers"]]
    assert len(answers) >= 36
    kinds = [entry["question"]["kind"] for entry in entries]
    assert kinds.count("technical") == kinds.count("behavioral")
    assert len({entry["role"] for entry in entries}) >= 5
    # Jobs outside software, each with technical and behavioral questions (issue 17).
    outside = [entry for entry in entries if entry.get("outside_software")]
    assert len({entry["role"] for entry in outside}) >= 3
    assert {entry["question"]["kind"] for entry in outside} == {"technical", "behavioral"}
    for entry in entries:
        assert sorted(answer["label"] for answer in entry["answers"]) == [
            "medium",
            "strong",
            "weak",
        ]
        assert 3 <= len(entry["question"]["expected_points"]) <= 5


def test_fallback_ranks_the_set_as_labelled() -> None:
    labels: list[float] = []
    scores: list[float] = []
    for entry in _load():
        for answer in entry["answers"]:
            labels.append(_LABEL_RANK[answer["label"]])
            scores.append(_score(entry, answer["text"]))
    assert spearman(labels, scores) >= 0.7


@pytest.mark.parametrize("entry", _load(), ids=lambda entry: entry["id"])
def test_strong_scores_above_weak_for_every_question(entry: dict[str, Any]) -> None:
    by_label = {answer["label"]: _score(entry, answer["text"]) for answer in entry["answers"]}
    assert by_label["strong"] > by_label["weak"]
    assert by_label["strong"] >= by_label["medium"] >= by_label["weak"]
