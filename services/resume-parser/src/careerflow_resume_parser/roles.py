"""Job titles in the experience part of a resume.

A line is cut into segments at the separators resumes put between a title, an employer, a place
and dates (" · ", " | ", " — ", " – ", " - ", ", ", " at ", parentheses). The first segment that
names a role ("Engineer", "Manager", "Intern", "Founder & CEO"...), starts with a capital, and is
short enough not to be a sentence, is that line's title. Only the first ``MAX_LINE_CHARS`` of a
line are read, and the patterns are linear (whitespace runs are possessive).
"""

from __future__ import annotations

import re

from careerflow_resume_parser.dates import DATE_RANGE
from careerflow_resume_parser.sections import MAX_LINE_CHARS

TITLE_WORDS = frozenset(
    {
        "engineer", "developer", "programmer", "architect", "manager", "director", "lead",
        "analyst", "scientist", "designer", "consultant", "intern", "administrator",
        "specialist", "officer", "ceo", "cto", "cfo", "coo", "cio", "vp", "president",
        "founder", "co-founder", "cofounder", "head", "researcher", "assistant", "associate",
        "coordinator", "technician", "tester", "writer", "editor", "strategist", "owner",
        "partner", "principal", "fellow", "contractor", "freelancer", "instructor", "professor",
        "lecturer", "advisor", "adviser", "representative", "recruiter", "accountant", "teacher",
        "executive", "supervisor", "sre", "devops", "maintainer", "tutor", "trainee",
        "apprentice", "mentor", "chief", "product owner", "scrum master", "librarian", "nurse",
        "auditor", "economist", "statistician", "mathematician", "physicist", "chemist",
        "biologist",
    }
)  # fmt: skip
_SEPARATORS = re.compile(
    r"\s*+→\s*+|\s++[·|•—–]\s++|\s*+\|\s*+|\s++-\s++|,\s++|\s++at\s++|\s*+[()]\s*+|\s{3,}+|\t"
)
_WORD = re.compile(r"[^\W\d_][\w'&/.-]*")
_SENTENCE_VERBS = re.compile(
    r"^(?:led|built|worked|helped|managed|developed|designed|created|reduced|improved|mentored"
    r"|owned|wrote|ran|cut|shipped|drove|partnered|collaborated|implemented|launched)\b",
    re.IGNORECASE,
)
MAX_TITLE_WORDS = 10


def names_a_role(text: str) -> bool:
    """Whether ``text`` contains a job-title word ("Senior Software Engineer": yes)."""
    words = [word.casefold().strip(".") for word in _WORD.findall(text)]
    return any(word in TITLE_WORDS for word in words)


def title_in_line(line: str) -> str | None:
    """The job title a line names, or ``None``."""
    line = DATE_RANGE.sub(" ", line[:MAX_LINE_CHARS]).strip(" \t•·▪●◦*-–—|,")
    for segment in _SEPARATORS.split(line):
        segment = segment.strip(" .;:")
        words = _WORD.findall(segment)
        if not words or len(segment.split()) > MAX_TITLE_WORDS:
            continue
        if not segment[0].isupper() or _SENTENCE_VERBS.match(segment):
            continue
        if any(char.isdigit() for char in segment):
            continue
        if names_a_role(segment):
            return segment
    return None


def find_titles(lines: list[str]) -> list[str]:
    """One title per line that names one, in order (a person may hold a title twice)."""
    return [title for line in lines if (title := title_in_line(line)) is not None]
