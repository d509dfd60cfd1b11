"""The words that make a question about software work, and which of them a text uses.

The list is data (``software_terms.json``), read once and validated. A job outside the software
families gets questions that use none of these words unless its own description does: the
fallback leaves out a subject that would bring one in, and the tests hold every question to it.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from careerflow_question_gen.data_files import read_data_file
from careerflow_skills import phrases_pattern
from careerflow_skills.phrasing import PhraseList


class SoftwareTerms(BaseModel):
    """The packaged list: each term a short lower-case phrase, listed once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    terms: PhraseList


@cache
def software_terms() -> SoftwareTerms:
    return read_data_file(SoftwareTerms, "software_terms.json")


@cache
def _pattern() -> re.Pattern[str]:
    pattern = phrases_pattern(software_terms().terms)
    assert pattern is not None  # the model refuses an empty list
    return pattern


def software_terms_in(text: str) -> frozenset[str]:
    """The software terms ``text`` uses, in lower case ("SQL" in "SQL joins" is "sql")."""
    return frozenset(" ".join(match.group().lower().split()) for match in _pattern().finditer(text))
