"""The shape of one entry of the question banks: a question text and the points a strong answer
covers. Kept apart from the banks so that the data modules hold nothing but data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionTemplate:
    """One question of a bank.

    ``text`` may hold ``{skill}``, filled with the skill's display name. ``points`` are the
    three to five concrete things a strong answer mentions; the evaluator's fallback scores an
    answer by how many it covers, so they name terms, not virtues.
    """

    text: str
    points: tuple[str, ...]

    def render(self, skill: str) -> tuple[str, list[str]]:
        """The question text and its expected points for ``skill``."""
        # str.replace, not str.format: a skill name may hold braces and must not be interpreted.
        return (
            self.text.replace("{skill}", skill),
            [point.replace("{skill}", skill) for point in self.points],
        )
