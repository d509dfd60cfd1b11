"""Degrees in the education part of a resume: "B.S. in Computer Science", "MEng in ...",
"Master of Science in Computer Science", "Ph.D., Physics".

Only the first ``MAX_LINE_CHARS`` of a line are read, and the patterns are linear: whitespace runs
are possessive, and where the end of a degree follows spaces, lookbehinds check the spaces
already taken instead of the engine trying every way to split them.
"""

from __future__ import annotations

import re

from careerflow_resume_parser.dates import DATE_RANGE
from careerflow_resume_parser.sections import MAX_LINE_CHARS

_DOTTED = (
    r"B\.\s?S\.?(?:c\.?)?|B\.\s?A\.?|B\.\s?Eng\.?|B\.\s?Tech\.?|M\.\s?S\.?(?:c\.?)?|M\.\s?A\.?"
    r"|M\.\s?Eng\.?|M\.\s?Tech\.?|Ph\.\s?D\.?|M\.\s?B\.\s?A\.?|Ed\.\s?D\.?|J\.\s?D\.?|M\.\s?D\.?"
    r"|A\.\s?A\.?|A\.\s?S\.?"
)
_WORDS = (
    r"Bachelor(?:'s|s)?|Master(?:'s|s)?|Associate(?:'s)?\s+(?:of|in|degree)|Doctor(?:ate)?\s+of"
    r"|Doctorate|High\s+School\s+Diploma|Diploma|Graduate\s+Certificate|Postgraduate"
)
_SHORT = r"BSc|BS|BA|BEng|BTech|BBA|MSc|MS|MA|MEng|MTech|MBA|MPhil|PhD|DPhil|EdD|JD|MD|AA|AS"
_DEGREE = re.compile(
    rf"(?:^|(?<=[\s|·•,(]))(?P<degree>(?:{_DOTTED})|(?:{_WORDS})\b|(?:{_SHORT})\b(?=\s++(?:in|of)\s"
    rf"|\s++[A-Z]|,\s*+[A-Z][a-z]))"
)
# Where a degree ends: a separator, " - ", a comma not followed by "Science in", "GPA", three or
# more spaces, or the end of the line. The leading run of spaces is taken whole, and what needed
# part of it (" - ", the three spaces) looks back at it.
_DEGREE_END = re.compile(
    r"\s*+(?:(?<=\s\s\s)|[|·•(]|(?<=\s)[-–—]\s|,\s*+(?=\S)(?![A-Z][a-z]++\s++(?:in|of)\b)|GPA|$)"
)


def degree_in_line(line: str) -> str | None:
    """The degree a line names, cut before the institution, place or dates; or ``None``."""
    cleaned = DATE_RANGE.sub(" ", line[:MAX_LINE_CHARS]).strip().lstrip("•·▪●◦*-–— \t")
    cleaned = re.sub(r"\b(?:19|20)\d{2}\b", " ", cleaned)
    match = _DEGREE.search(cleaned)
    if match is None:
        return None
    rest = cleaned[match.start("degree") :]
    end = _DEGREE_END.search(rest, len(match.group("degree")))
    degree = re.sub(r"\s+", " ", rest[: end.start() if end else len(rest)]).strip(" ,;:-")
    if degree.endswith(".") and len(degree) > 1 and degree[-2].islower():
        degree = degree[:-1]  # a sentence's full stop, not the one of "B.S."
    return degree or None


def find_degrees(lines: list[str]) -> list[str]:
    """Every degree named in ``lines``, in order."""
    return [degree for line in lines if (degree := degree_in_line(line)) is not None]
