"""What the model is asked to return: its JSON Schema is sent as Ollama's ``format``.

The schema fixes the shape (kinds and difficulties are enums); whether each question is any good
is judged in code afterwards (``screening``), one question at a time, so that one bad question
does not throw away nine good ones.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ModelQuestion(BaseModel):
    """One question as the model writes it."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["technical", "behavioral"]
    skill: str | None = Field(
        default=None,
        description="for a technical question, the one skill from the lists it is about",
    )
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    text: str = Field(description="the question as an interviewer would ask it")
    expected_points: list[str] = Field(
        default_factory=list,
        description="3 to 5 short, concrete points a strong answer covers",
    )


class ModelQuestionSet(BaseModel):
    """The model's whole answer."""

    model_config = ConfigDict(extra="ignore")

    questions: list[ModelQuestion]
