"""Cutting resume text into sections by their headings.

A heading is a short line, in capitals or title case, with no digits, whose words include a
known section noun: "EXPERIENCE", "Relevant Experience", "Technical Skills", "Top Skills",
"Programs / Skills / Software". Letter-spaced headings ("E X P E R I E N C E"), a leading glyph
and a trailing colon are tolerated, and so is a heading broken over two lines ("Technical" then
"Skills"), which two-column layouts produce. What comes before the first heading is the
``header`` (name, contact line, tagline).

Every pattern here is linear in its input (no two quantifiers can share the same characters), and
a line too long to be a heading is refused before any pattern sees it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal["header", "summary", "experience", "education", "skills", "projects", "other"]

# Checked in this order: "Skills & Interests" is skills, "Leadership Experience" experience.
_SECTION_NOUNS: tuple[tuple[SectionKind, frozenset[str]], ...] = (
    (
        "skills",
        frozenset(
            {
                "skills",
                "skill",
                "competencies",
                "technologies",
                "proficiencies",
                "toolkit",
                "toolbox",
                "expertise",
                "stack",
                "tools",
            }
        ),
    ),
    (
        "experience",
        frozenset(
            {"experience", "experiences", "employment", "history", "career", "positions", "work"}
        ),
    ),
    ("education", frozenset({"education", "academics", "academic", "degrees", "qualifications"})),
    ("projects", frozenset({"projects", "project", "portfolio"})),
    ("summary", frozenset({"summary", "profile", "objective", "highlights", "about", "overview"})),
    (
        "other",
        frozenset(
            {
                "awards",
                "honors",
                "honours",
                "certifications",
                "certificates",
                "certification",
                "licenses",
                "publications",
                "interests",
                "hobbies",
                "activities",
                "volunteer",
                "volunteering",
                "references",
                "contact",
                "links",
                "coursework",
                "achievements",
                "languages",
                "affiliations",
                "memberships",
                "courses",
                "patents",
                "leadership",
                "extracurricular",
                "training",
                "accomplishments",
                "involvement",
                "research",
            }
        ),
    ),
)
_MINOR_WORDS = frozenset({"and", "of", "in", "&", "the", "for", "to", "a", "with", "/"})
_BULLETED = re.compile(r"^\s*+[•·▪●◦*\-–—]\s")
# A decorative glyph before a heading ("▶ Work History", "¥Skills" from a symbol font).
_LEADING_SYMBOLS = re.compile(r"^[^\w]+")
# Three or more letters with single spaces, then more groups after runs of two or more spaces.
# Possessive throughout: a group can only end where the spacing changes, so nothing backtracks.
_LETTER_SPACED = re.compile(r"^\S(?: \S){2,}+(?: {2,}+\S(?: \S)++)*+$")
MAX_LINE_CHARS = 500
"""The longest line the per-line readers (titles, degrees) look at: a title or a degree sits at
the start of its line, and a longer line is a paragraph."""
_MAX_HEADING_CHARS = 120  # a 40-letter heading, letter-spaced, with a glyph and indentation


@dataclass
class Section:
    """One section of a resume: its kind, its heading as written, and its lines."""

    kind: SectionKind
    heading: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def normalise_text(text: str) -> str:
    """NFKC (ligatures such as "ﬁ" become "fi"), no-break spaces and minus signs made plain."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def collapse_letter_spacing(line: str) -> str:
    """ "J O R D A N  R E Y E S" -> "JORDAN REYES"; other lines are returned unchanged."""
    stripped = line.strip()
    if not _LETTER_SPACED.match(stripped):
        return line
    return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", stripped))


def heading_kind(line: str) -> SectionKind | None:
    """The kind of section ``line`` opens, or ``None`` when it is not a heading."""
    if len(line) > _MAX_HEADING_CHARS and len(line.strip()) > _MAX_HEADING_CHARS:
        return None
    if _BULLETED.match(line):
        return None  # "• Leadership" is an item of a list
    text = collapse_letter_spacing(line.strip())
    text = _LEADING_SYMBOLS.sub("", text).rstrip(":").strip()
    if not text or len(text) > 40 or any(char.isdigit() or char in "@,:;" for char in text):
        return None  # "Languages: Go, Rust" is a labelled row, not a heading
    words = re.findall(r"[^\W\d_]+|&|/", text)
    if not words or len(words) > 5 or not _is_heading_case(words):
        return None
    lowered = {word.casefold() for word in words}
    for kind, nouns in _SECTION_NOUNS:
        if lowered & nouns:
            return kind
    return None


def _is_heading_case(words: list[str]) -> bool:
    letters = [word for word in words if word.casefold() not in _MINOR_WORDS]
    if not letters:
        return False
    return all(word.isupper() for word in letters) or all(word[0].isupper() for word in letters)


def split_sections(text: str) -> list[Section]:
    """The sections of a resume in reading order, starting with its header."""
    lines = [line.rstrip() for line in normalise_text(text).splitlines()]
    sections = [Section("header", "")]
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = heading_kind(line)
        if kind is None and index + 1 < len(lines) and _short(line) and _short(lines[index + 1]):
            joined = f"{line.strip()} {lines[index + 1].strip()}"
            kind = heading_kind(joined) if heading_kind(lines[index + 1]) is None else None
            if kind is not None and _ends_in_noun(joined):
                sections.append(Section(kind, joined))
                index += 2
                continue
            kind = None
        if kind is not None:
            sections.append(Section(kind, line.strip()))
        elif line.strip():
            sections[-1].lines.append(line)
        index += 1
    return sections


def _short(line: str) -> bool:
    return 0 < len(line.strip()) <= 20 and len(line.split()) <= 2


def _ends_in_noun(joined: str) -> bool:
    # "Technical" + "Skills" is a heading; "Skills" + "Python" is a heading and a skill.
    last = re.findall(r"[^\W\d_]+", joined)[-1].casefold()
    return any(last in nouns for _, nouns in _SECTION_NOUNS)
