"""A question before it has a position, and the normalised text that decides whether two
questions are alike.

Both the fallback and the model's output produce ``QuestionDraft`` values; the question set is
assembled from drafts and numbered last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careerflow_contracts import Difficulty, Question, QuestionKind, Source

_NOT_WORD = re.compile(r"[^\w+#]+")


@dataclass(frozen=True)
class QuestionDraft:
    """One question without its position."""

    kind: QuestionKind
    skill: str | None
    difficulty: Difficulty
    text: str
    expected_points: tuple[str, ...]
    source: Source

    def numbered(self, position: int) -> Question:
        return Question(
            position=position,
            kind=self.kind,
            skill=self.skill,
            difficulty=self.difficulty,
            text=self.text,
            expected_points=list(self.expected_points),
            source=self.source,
        )


def normalised_text(text: str) -> str:
    """The text as compared for duplicates: case, punctuation and spacing do not count."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
