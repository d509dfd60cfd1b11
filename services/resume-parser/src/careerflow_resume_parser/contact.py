"""The candidate's name and email from the top of a resume. They stay in the profile and are
never logged; ``without_contact_details`` takes them, and phone numbers, out of a resume's text
before the text leaves the parser.

The patterns are linear in their input, and bounded: a line longer than a name line could be, or
a word longer than a name's, is refused before any pattern sees it (a line like "A.a.a…a.1" once
sent the name pattern into exponential backtracking).
"""

from __future__ import annotations

import re

from careerflow_resume_parser.roles import names_a_role
from careerflow_resume_parser.sections import collapse_letter_spacing, heading_kind

# At most 64 characters before the "@" and 63 in a domain label, as the RFCs allow.
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}+@[\w-]{1,63}+(?:\.[\w-]{1,63}+)*\.[A-Za-z]{2,63}+(?![\w-])"
)
# A phone number: 9 to 15 digits in groups joined by one space, dot, dash or bracket, maybe
# after a "+"; possessive, so a long run of digits fails in one pass. Years ("2019-2023", 8
# digits) and year ranges written " - " are not matched.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d{1,5}+\)?(?:[ .-]?\(?\d{1,5}+\)?){2,6}+(?!\w)")
_PHONE_DIGITS = range(9, 16)
# A letter, then letters and the marks of "O'Neil", "D’Souza", "Jean-Luc", "J.": each character
# has one way to match, so a word that fails ("A.a.a…a.1") fails in one pass.
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-])*+")
_MAX_NAME_LINE_CHARS = 120  # four long words, letter-spaced
_MAX_NAME_WORD_CHARS = 40
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
        if len(line) > _MAX_NAME_LINE_CHARS and len(line.strip()) > _MAX_NAME_LINE_CHARS:
            continue
        candidate = collapse_letter_spacing(line).strip(" \t•·|")
        if _is_name(candidate):
            return " ".join(candidate.split())
    return None


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 4 or any(len(word) > _MAX_NAME_WORD_CHARS for word in words):
        return False
    if heading_kind(text) is not None or names_a_role(text):
        return False
    if any(word.casefold() in _NOT_NAMES for word in words):
        return False
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return False
    return all(word[0].isupper() for word in words)


def without_contact_details(text: str, full_name: str | None) -> str:
    """``text`` with the candidate's name, every email address and every phone number replaced
    by ``[name]``, ``[email]`` and ``[phone]``: what the model needs of a resume to read it,
    and no more, for a text that goes to other services and their storage."""
    text = EMAIL.sub("[email]", text)
    text = _PHONE.sub(_phone_or_not, text)
    if full_name:
        words = [re.escape(word) for word in full_name.split()]
        # The name wherever it is written again, any case, across a line break too.
        text = re.sub(r"\s+".join(words), "[name]", text, flags=re.IGNORECASE)
    return text


def _phone_or_not(match: re.Match[str]) -> str:
    digits = sum(char.isdigit() for char in match.group())
    return "[phone]" if digits in _PHONE_DIGITS else match.group()
