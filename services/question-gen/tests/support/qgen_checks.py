"""What every set of questions the generator hands out must be, checked the same in every test."""

from __future__ import annotations

from careerflow_contracts import Question
from careerflow_question_gen.drafts import normalised_text


def assert_valid_questions(questions: list[Question], count: int = 10) -> None:
    """``count`` distinct questions, the technical half rounded up, each with three to five
    expected points and no unfilled ``{skill}``, and a skill exactly when it is technical."""
    assert len(questions) == count
    kinds = [question.kind for question in questions]
    assert kinds.count("technical") == count - count // 2
    assert kinds.count("behavioral") == count // 2
    assert len({normalised_text(question.text) for question in questions}) == count
    for question in questions:
        assert 3 <= len(question.expected_points) <= 5
        assert "{skill}" not in question.text
        assert (question.skill is not None) == (question.kind == "technical")
