"""The shape of one entry of every question bank, validated as the bank is read: a question text
and the points a strong answer covers.

The banks are data files beside this module (``technical_questions.json``,
``behavioral_questions.json``, ``workplace_questions.json``); each bank's module reads its file
once into these models, so a bad entry stops the service at start, not a session.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

PLACEHOLDER = "{skill}"
"""Where a template names its subject; filled with the skill's display name."""


def _no_stray_braces(text: str) -> str:
    if "{" in text.replace(PLACEHOLDER, "") or "}" in text.replace(PLACEHOLDER, ""):
        raise ValueError(f"only {PLACEHOLDER} may stand in braces: {text!r}")
    return text


Text = Annotated[str, Field(min_length=40, max_length=300), AfterValidator(_no_stray_braces)]
Point = Annotated[str, Field(min_length=2, max_length=160), AfterValidator(_no_stray_braces)]


class QuestionTemplate(BaseModel):
    """One question of a bank.

    ``text`` may hold ``{skill}``, filled with the skill's display name. ``points`` are the
    three to five concrete things a strong answer mentions; the evaluator's fallback scores an
    answer by how many it covers, so they name terms, not virtues.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Text
    points: tuple[Point, ...] = Field(min_length=3, max_length=5)

    def render(self, skill: str) -> tuple[str, list[str]]:
        """The question text and its expected points for ``skill``."""
        # str.replace, not str.format: a skill name may hold braces and must not be interpreted.
        return (
            self.text.replace(PLACEHOLDER, skill),
            [point.replace(PLACEHOLDER, skill) for point in self.points],
        )
