"""The candidate's name and email from the top of a resume. They stay in the profile and are
never logged."""

from __future__ import annotations

import re

from careerflow_resume_parser.roles import names_a_role
from careerflow_resume_parser.sections import collapse_letter_spacing, heading_kind

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-][^\W\d_]?)*\.?$")
_NOT_NAMES = frozenset({"resume", "résumé", "cv", "curriculum", "vitae", "portfolio"})
_NAME_LINES_SEARCHED = 6


def find_email(text: str) -> str | None:
    """The first email address in the text."""
    match = EMAIL.search(text)
    return match.group() if match else None


def find_name(header_lines: list[str]) -> str | None:
    """The first line near the top that reads as a person's name: one to four words of
    letters, not a heading, not a job title, no digits, no contact details."""
    for line in header_lines[:_NAME_LINES_SEARCHED]:
        candidate = collapse_letter_spacing(line).strip(" \t•·|")
        if _is_name(candidate):
            return " ".join(candidate.split())
    return None


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 4 or heading_kind(text) is not None or names_a_role(text):
        return False
    if any(word.casefold() in _NOT_NAMES for word in words):
        return False
    if not all(_NAME_WORD.match(word) for word in words):
        return False
    return all(word[0].isupper() for word in words)
