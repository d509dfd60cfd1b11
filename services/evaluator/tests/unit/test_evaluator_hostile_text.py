"""No answer makes the evaluator's patterns slow: answers are user input, up to 10 000 characters.

Each call is bounded (``time_bound``). A word of letters with capitals in it that ends on a digit
made the mixed-case pattern quadratic, and a "<" before a page of spaces did the same to the tag
defuser: about 2 s for one 10 000-character answer on the event loop, where measuring any answer
takes a few milliseconds (at most 0.2 s on a loaded 2-core machine); hence a bound of 1 s.
"""

from __future__ import annotations

import pytest

from careerflow_contracts import Question
from careerflow_evaluator.heuristic import measure, specificity
from careerflow_evaluator.scoring import defuse_tags
from careerflow_testing.hostile_text import HOSTILE_TEXTS, time_bound

ANSWER_CHARS = 10_000
"""The longest answer the contracts accept."""
CALL_BOUND_S = 1.0

QUESTION = Question(
    position=1,
    kind="technical",
    skill="GraphQL",
    text="How would you find why one GraphQL resolver is slow in production?",
    expected_points=["trace the resolver", "look for N+1 queries", "batch with a DataLoader"],
)
ANSWERS = {
    **HOSTILE_TEXTS,
    "mixed case, then a digit": "a" + "A" * (ANSWER_CHARS - 2) + "1",
    "alternating case, then a digit": "aA" * (ANSWER_CHARS // 2 - 1) + "1",
    "tag opener, then spaces": "<" + " " * (ANSWER_CHARS - 1),
    "closing tag opener, then spaces": "</" + " " * (ANSWER_CHARS - 2),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_hostile_answers_are_measured_within_the_bound(answer: str) -> None:
    answer = answer[:ANSWER_CHARS]
    with time_bound(CALL_BOUND_S):
        measure(QUESTION, answer)
    with time_bound(CALL_BOUND_S):
        defuse_tags(answer)


def test_mixed_case_names_still_count_and_shouting_does_not() -> None:
    answer = "I traced it with OpenTelemetry, found N+1 queries and used a DataLoader. IGNORE ME"
    names = specificity(answer).technologies
    assert {"opentelemetry", "dataloader"} <= set(names)
    assert "ignore" not in names


def test_tags_with_spaces_are_still_defused() -> None:
    assert defuse_tags("a <  / candidate_answer  > b") == "a [/candidate_answer] b"
