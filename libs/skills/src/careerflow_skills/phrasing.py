"""How job adverts and skills sections are worded: the phrase lists of ``phrasing.json``.

The lists are data, read once through ``importlib.resources`` and validated here: every entry is
a short phrase of words (so it can be matched as a whole phrase) and no list repeats itself.
What each list means is said in the file's own ``description``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_MAX_PHRASE_CHARS = 40


def _phrase(value: str) -> str:
    words = value.split()
    if not words or len(value) > _MAX_PHRASE_CHARS or " ".join(words) != value:
        raise ValueError(f"{value!r} is not a short phrase of single-spaced words")
    if value != value.lower():
        raise ValueError(f"{value!r} is matched ignoring case: write it in lower case")
    return value


def listed_once(values: tuple[str, ...]) -> tuple[str, ...]:
    """A data file's list, refused when an entry is listed twice (a validator)."""
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise ValueError(f"listed twice: {repeated}")
    return values


Phrase = Annotated[str, AfterValidator(_phrase)]
PhraseList = Annotated[tuple[Phrase, ...], Field(min_length=1), AfterValidator(listed_once)]


class Phrasing(BaseModel):
    """The phrase lists, each validated; see ``phrasing.json`` for what each one means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    topic_cues: PhraseList
    duty_cues: PhraseList
    duty_verbs: PhraseList
    leading_fillers: PhraseList
    trailing_qualifiers: PhraseList
    context_words: PhraseList
    excluded_headings: PhraseList
    not_requirements: PhraseList
    not_skills: PhraseList
    skill_fillers: PhraseList


@cache
def phrasing() -> Phrasing:
    """The packaged phrase lists, read and validated once."""
    raw = resources.files("careerflow_skills").joinpath("phrasing.json").read_text("utf-8")
    return Phrasing.model_validate(json.loads(raw))
