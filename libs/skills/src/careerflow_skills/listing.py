"""The skills a resume lists: every item of its skills section, known to the vocabulary or not.

The package's ``listed_skills(text)`` reads the text of a skills section (the parser finds the
section, however it is titled): the vocabulary's skills are found in it as ``find_skills`` finds
them, with all its rules against false positives, and this module gives every other item as
written ("Ventilator management", "ModelSim", "Xilinx Vivado"), once it looks like a name:

- items are cut at commas, semicolons, pipes, bullets, tabs, line ends and parentheses; a label
  before a colon ("Clinical: ...") is not an item; an item naming no vocabulary skill is cut
  again at slashes ("BLS/ACLS"), and one naming some at "and" ("Python and Xilinx Vivado");
- an item is a name when it has a letter, at most ``MAX_ITEM_WORDS`` words and two to
  ``MAX_ITEM_CHARS`` characters, no address in it, is not a sentence (a full stop after several
  words, or a duty verb in the past, "Managed", in front of several), is no number of years, and
  is not a level ("Native", "Fluent", "C1") or a filler ("etc.") of ``phrasing.json``'s
  ``not_skills``.

Every pattern here cuts at single characters or at a whitespace run where it starts, so the
reading is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from careerflow_skills.phrasing import phrasing

MAX_ITEM_WORDS = 5
MAX_ITEM_CHARS = 40
"""A longer "skill" is a sentence that slipped into the list, not a skill's name."""
MAX_LISTED = 80
"""At most this many items of a skills section are read as skills the vocabulary lacks."""

_SEPARATOR_CHARS = ",;|•·▪●◦►▸✓✔"
_ITEM_SEPARATORS = re.compile(rf"[{_SEPARATOR_CHARS}\t()\[\]]")
_SEPARATOR_INSIDE = re.compile(rf"[{_SEPARATOR_CHARS}]")
_SEPARATOR_LINE = re.compile(rf"[{_SEPARATOR_CHARS}:]")
_BULLET_START = re.compile(r"[•·▪●◦►▸✓✔*\-–—]")
_PARENTHESISED = re.compile(r"\([^()]*+\)")
# A line that is one word in capitals, or several: a heading inside the list.
_SUBHEADING = re.compile(r"[A-Z&/ ]{6,40}+")
# Tried only where a whitespace run (or the slash itself) starts, as the conjunction is.
_SLASH = re.compile(r"(?<!\s)\s*+/\s*+")
# Only where a whitespace run starts: tried inside one it would rescan the run at each character.
_CONJUNCTION = re.compile(r"(?<!\s)\s++(?:and|&)\s++", re.IGNORECASE)
_EDGE_CHARS = " \t-–—*•·.:'\"“”‘’"
_DOTTED = re.compile(r"[^\W\d_]\.[^\W\d_]")
_NUMBER_OF_YEARS = re.compile(r"\d[\d.,+]*+\s*+(?:years?|yrs?|months?)\b", re.IGNORECASE)


def listed_items(text: str, names_a_skill: Callable[[str], bool]) -> list[str]:
    """The items of a skills section for which ``names_a_skill`` (the vocabulary) is false and
    that look like a skill's name, as written (whitespace made single), each once ignoring case,
    in order."""
    found: list[str] = []
    seen: set[str] = set()
    known: dict[str, bool] = {}  # a list that repeats an item asks the vocabulary once

    def vocabulary_names(piece: str) -> bool:
        if piece not in known:
            known[piece] = names_a_skill(piece)
        return known[piece]

    for line in _list_lines(text):
        for piece in _line_pieces(line, vocabulary_names):
            name = _name(piece)
            if name is None or name.casefold() in seen or vocabulary_names(name):
                continue
            seen.add(name.casefold())
            found.append(name)
            if len(found) == MAX_LISTED:
                return found
    return found


def _list_lines(text: str) -> Iterator[str]:
    """The lines of a list, a line that wraps an item joined to the next one: "Linux, eBPF,
    performance" then "profiling" is one line of a list; "Ventilator management," then
    "Central line care" are two, and so are two rows that each list several items."""
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if pending and line and not _BULLET_START.match(line) and not _SEPARATOR_LINE.search(line):
            line = f"{pending} {line}"
        elif pending:
            yield pending
        pending = ""
        if _SEPARATOR_INSIDE.search(line) and not line.endswith(_SEPARATOR_CHARS):
            pending = line
        elif line:
            yield line
    if pending:
        yield pending


def _line_pieces(line: str, names_a_skill: Callable[[str], bool]) -> Iterator[str]:
    line = line.rsplit(":", 1)[-1]  # "Clinical: ventilator management, ..."
    if _SUBHEADING.fullmatch(line.strip()):
        return  # "PROGRAMMING" over a list of languages
    # "Accessibility (WCAG) awareness": "Accessibility awareness" and "WCAG".
    inner = [group[1:-1] for group in _PARENTHESISED.findall(line)]
    for part in (_PARENTHESISED.sub(" ", line), *inner):
        for item in _ITEM_SEPARATORS.split(part):
            if _is_address(item):
                continue  # "github.com/someone" is not two items
            if names_a_skill(item):
                # "Python and Xilinx Vivado": the vocabulary reads Python, the rest is an item
                # when it reads as a name of its own (not "and testing").
                for piece in _CONJUNCTION.split(item):
                    if len(piece.split()) >= 2 or piece.strip()[:1].isupper():
                        yield piece
            else:
                yield from _SLASH.split(item)  # "BLS/ACLS"


def _name(item: str) -> str | None:
    words = item.split()
    if not words:
        return None
    name = " ".join(words).strip(_EDGE_CHARS)
    words = name.split()
    if words and words[0].casefold() in ("and", "or", "&"):
        words = words[1:]
        name = " ".join(words)
    if not words or len(words) > MAX_ITEM_WORDS or not 2 <= len(name) <= MAX_ITEM_CHARS:
        return None
    if not any(char.isalpha() for char in name) or "{" in name or "}" in name:
        return None
    if _is_address(name):
        return None
    if _NUMBER_OF_YEARS.search(name) or name.casefold() in _not_skills():
        return None
    if len(words) >= 3 and (item.rstrip().endswith(".") or _past_tense(words[0])):
        return None  # "Managed a team of five." is a sentence
    return name


def _is_address(item: str) -> bool:
    # A dotted name the vocabulary lacks is an address too ("github.com").
    return "@" in item or "://" in item or _DOTTED.search(item) is not None


def _past_tense(word: str) -> bool:
    return word.strip(_EDGE_CHARS).casefold() in _lists()[1]


@cache
def _not_skills() -> frozenset[str]:
    return _lists()[0]


@cache
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    data = phrasing()
    past: set[str] = set(_IRREGULAR_PAST)
    for verb in data.duty_verbs:
        past.add(f"{verb}d" if verb.endswith("e") else f"{verb}ed")
        if verb.endswith("y"):
            past.add(f"{verb[:-1]}ied")
    return frozenset(data.not_skills), frozenset(past)


_IRREGULAR_PAST = (
    "led",
    "built",
    "ran",
    "taught",
    "wrote",
    "made",
    "drew",
    "sold",
    "drove",
    "kept",
    "met",
    "set",
    "grew",
    "oversaw",
    "won",
    "gave",
    "took",
)
