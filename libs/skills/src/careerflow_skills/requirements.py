"""A job's requirements: what a job advert asks for, as short phrases.

Two readings of the advert (every word list is in ``phrasing.json``):

- **its list items** (bulleted lines, and unbulleted short lines after a heading that ends with
  a colon), outside sections such as "What we offer": an item that starts with a duty verb is a
  duty ("Titrate vasoactive infusions to agreed blood pressure targets"), any other a topic
  ("BLS and ACLS certification");
- **the words after a cue**, anywhere: "experience with ventilator management and arterial line
  monitoring" gives a topic, and each item of a list after a topic cue its own ("knowledge of
  civil procedure, e-discovery and court filing rules" gives two); "you will use formative
  assessment to adjust instruction" gives a duty, and a duty cue not followed by a duty verb
  ("you will join a friendly team") gives nothing. An item holding a cue is read through its
  cues only.

A phrase loses its parentheses, leading fillers ("strong", "a") and trailing qualifiers ("is a
plus"); one longer than ``MAX_REQUIREMENT_WORDS`` words is cut before a context word ("to",
"for", "including"...) from its fourth word on, or dropped when that is not enough. A phrase
naming a degree or the pay, or made of fillers only, is no requirement. A duty is written from
its verb's base form, in lower case ("prepare monthly bank reconciliations").

Job descriptions are user input: the text is cut at ``MAX_JOB_CHARS``, lines and sentences are
cut with patterns that try each position once, and the cues are one tree-shaped alternation
(``phrases_pattern``), so the whole reading is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from careerflow_skills.matching import phrases_pattern
from careerflow_skills.phrasing import phrasing

MAX_JOB_CHARS = 20_000
"""The longest job description the contracts accept; anything after it is not read."""
MAX_REQUIREMENTS = 25
MAX_REQUIREMENT_CHARS = 90
MAX_REQUIREMENT_WORDS = 12
_FIRST_CUT_WORD = 3
"""A long phrase is cut at a context word only from its fourth word on: "care for one or two
patients" keeps its "for"."""
_MAX_WORDS_READ = 64
_MAX_HEADING_WORDS = 8
_MAX_LABEL_CHARS = 60

RequirementForm = Literal["topic", "duty"]


@dataclass(frozen=True)
class Requirement:
    """One thing a job asks for: a topic ("ventilator management") or a duty ("titrate
    vasoactive infusions to agreed blood pressure targets", from its verb's base form)."""

    text: str
    form: RequirementForm


# "• item", "- item", "* item", "1. item", "a) item" at the start of a line.
_BULLET = re.compile(r"[ \t]*+(?:[•·▪●◦►▸✓✔][ \t]*+|(?:[*\-–—]|\d{1,2}[.)]|[a-z][)])[ \t]++)")
# "What we offer: a 401(k) match..." is a heading and its first line.
_LABELLED = re.compile(rf"([^:\n]{{1,{_MAX_LABEL_CHARS}}}+):[ \t]++(?=\S)")
# A sentence ends at one of these before whitespace or the end ("U.S." inside a word does not).
_SENTENCE_END = re.compile(r"[.;!?:](?=\s|\Z)")
_PARENTHESISED = re.compile(r"\([^()]*+\)|\[[^\[\]]*+\]")
# A comma, with an "and" or "or" after it: where a list of topics or duties goes on.
_COMMA = re.compile(r",\s*+(?:(?:and|or)\s++)?", re.IGNORECASE)
_EDGE_CHARS = " \t-–—*•·.:,;/&'\"“”‘’()[]"
_WORD_EDGE = ".,;:!?()[]\"'“”‘’"


def read_requirements(text: str) -> list[Requirement]:
    """The requirement phrases of a job advert, in the order they appear, each once (ignoring case),
    at most ``MAX_REQUIREMENTS``."""
    found: list[Requirement] = []
    seen: set[str] = set()
    for requirement in _read(text[:MAX_JOB_CHARS].replace("’", "'")):
        key = requirement.text.casefold()
        if key not in seen:
            seen.add(key)
            found.append(requirement)
            if len(found) == MAX_REQUIREMENTS:
                break
    return found


@dataclass
class _Line:
    parts: list[str]
    """The line's text, and the lines that continue it."""
    item: bool
    """A list item: its text is a requirement unless it holds a cue."""

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _read(text: str) -> Iterator[Requirement]:
    for line in _requirement_lines(text):
        from_cues = False
        # "(Manhattan, Blue Yonder or similar)" gives examples, not requirements of their own.
        bare = _PARENTHESISED.sub(" ", line.text)
        sentences = [s for s in _SENTENCE_END.split(bare) if s.strip()]
        for sentence in sentences:
            phrases = _cue_phrases(sentence)
            if phrases is not None:
                from_cues = True
                yield from phrases
        if line.item and not from_cues:
            for sentence in sentences:
                requirement = _requirement(sentence, "item")
                if requirement is not None:
                    yield requirement


def _requirement_lines(text: str) -> Iterator[_Line]:
    """The lines that may hold requirements: list items and prose, with a wrapped line joined
    to the line it continues, and nothing under an excluded heading."""
    excluded = False
    in_list = False  # after a heading ending in a colon, or an item of such a list
    current: _Line | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            in_list = False
            if current is not None:
                yield current
                current = None
            continue
        bullet = _BULLET.match(raw)
        if bullet is None and current is not None and _continues(raw, stripped, current):
            current.parts.append(stripped)
            continue
        if current is not None:
            yield current
            current = None
        if bullet is not None:
            if not excluded:
                current = _Line([raw[bullet.end() :].strip()], item=True)
            continue
        label = _LABELLED.match(stripped)
        if label is not None and len(label.group(1).split()) <= 6:
            # "Benefits: meals on duty" opens a section and holds its first line.
            excluded = _is_excluded(label.group(1))
            in_list = False
            if not excluded:
                current = _Line([stripped[label.end() :]], item=False)
            continue
        if in_list and not stripped.endswith(":") and not _is_excluded(stripped):
            if not excluded:
                current = _Line([stripped], item=True)  # an unbulleted item of a list
            continue
        if _is_heading(stripped):
            excluded = _is_excluded(stripped)
            in_list = stripped.endswith(":")
            continue
        in_list = False
        if not excluded:
            current = _Line([stripped], item=False)
    if current is not None:
        yield current


def _continues(raw: str, stripped: str, current: _Line) -> bool:
    """Whether a line carries on the one before it: a wrapped item is indented, wrapped prose
    goes on in lower case."""
    if current.item and raw[:1] in (" ", "\t"):
        return True
    return stripped[:1].islower() and not current.parts[-1].endswith((".", "!", "?", ":"))


def _is_heading(stripped: str) -> bool:
    """A short line that is no sentence: "What you will do", "Requirements:"."""
    if len(stripped.split()) > _MAX_HEADING_WORDS or stripped[:1].islower():
        return False
    return _SENTENCE_END.search(stripped.rstrip(":")) is None and not stripped.endswith(",")


def _is_excluded(heading: str) -> bool:
    return _lists().excluded_headings.search(heading) is not None


def _cue_phrases(sentence: str) -> list[Requirement] | None:
    """The requirements after the cues of a sentence, or ``None`` when it holds no cue.

    A cue inside the phrase of the cue before it is part of that phrase ("years of supervisory
    experience in a hotel"), unless a comma, "and" or "or" starts it afresh ("..., and you will
    differentiate tasks").
    """
    lists = _lists()
    cues: list[re.Match[str]] = []
    for cue in lists.cues.finditer(sentence):
        if cues and not _starts_afresh(sentence[cues[-1].end() : cue.start()]):
            continue
        cues.append(cue)
    if not cues:
        return None
    found: list[Requirement] = []
    for index, cue in enumerate(cues):
        end = cues[index + 1].start() if index + 1 < len(cues) else len(sentence)
        body = sentence[cue.end() : end]
        if " ".join(cue.group().lower().split()) in lists.duty_cues:
            pieces = _duty_pieces(body)
            found += [r for piece in pieces if (r := _requirement(piece, "duty")) is not None]
        else:
            found += _topic_list(body)
    return found


def _starts_afresh(between: str) -> bool:
    words = between.split()
    if not words:
        return True
    return between.rstrip().endswith((",", ";")) or words[-1].casefold() in ("and", "or")


def _topic_list(body: str) -> list[Requirement]:
    """One topic per item of a list after a topic cue; the list ends at an item that starts
    with a context word ("..., including weaning")."""
    found: list[Requirement] = []
    for index, piece in enumerate(_COMMA.split(body)):
        if index and _lists().context_words.match(piece.lstrip()) is not None:
            break
        requirement = _requirement(piece, "topic")
        if requirement is not None:
            found.append(requirement)
    return found


def _duty_pieces(body: str) -> list[str]:
    """A duty cue's words, cut at each comma that a new duty follows ("prepare monthly journal
    entries, reconcile bank accounts"), not at one inside a duty's object ("teach algebra,
    geometry and statistics") nor after a lone verb ("assess, monitor and document")."""
    pieces: list[str] = []
    start = 0
    for comma in _COMMA.finditer(body):
        following = body[comma.end() : comma.end() + 40].split(None, 1)
        if not following or _base_verb(following[0]) is None:
            continue
        if len(body[start : comma.start()].split()) >= 2:
            pieces.append(body[start : comma.start()])
            start = comma.end()
    pieces.append(body[start:])
    return pieces


def _requirement(raw: str, source: Literal["item", "topic", "duty"]) -> Requirement | None:
    """A cleaned requirement, or ``None`` when the words are no requirement."""
    lists = _lists()
    text = re.split(r"[()\[\]]", raw, maxsplit=1)[0]
    # "Advanced Excel skills, including pivot tables": what follows the comma is an example.
    for comma in _COMMA.finditer(text):
        if lists.context_words.match(text, comma.end()) is not None:
            text = text[: comma.start()]
            break
    # A phrase longer than this is cut to a dozen words anyway: trimming looks no further.
    words = _trim(text.split()[:_MAX_WORDS_READ])
    if len(words) > MAX_REQUIREMENT_WORDS:
        words = _trim(words[: _cut_at(words)])
    if not words or len(words) > MAX_REQUIREMENT_WORDS:
        return None
    bare = [word.strip(_WORD_EDGE).casefold() for word in words]
    if any(word in lists.not_requirements for word in bare):
        return None
    if all(word in lists.fillers for word in bare):
        return None
    verb = _base_verb(words[0])
    if verb is not None and len(bare) > 1 and bare[1].endswith("ing") and source == "item":
        verb = None  # "Record keeping", "Order picking": a topic
    if source == "duty" and verb is None:
        return None
    form: RequirementForm = "duty" if verb is not None and source != "topic" else "topic"
    if form == "duty" and verb is not None:
        # The verb in its base form, in lower case; a comma after it stays ("assess, monitor").
        words = [verb + words[0][len(words[0].rstrip(_WORD_EDGE)) :], *words[1:]]
    text = " ".join(words)
    if len(text) > MAX_REQUIREMENT_CHARS or not any(char.isalpha() for char in text):
        return None
    if "@" in text or "://" in text or "www." in text.casefold():
        return None
    return Requirement(text, form)


def _trim(words: list[str]) -> list[str]:
    """Without edge punctuation, leading fillers and trailing qualifiers (by index: a sentence
    of a thousand fillers is trimmed in one pass)."""
    lists = _lists()
    words = [word for word in words if word.strip(_EDGE_CHARS)]
    bare = [word.strip(_EDGE_CHARS).casefold() for word in words]
    start, end = 0, len(words)
    while start < end:
        if bare[start] in lists.leading_fillers:
            start += 1
        elif bare[end - 1] in _TRAILING_WORDS:
            end -= 1
        else:
            qualifier = next(
                (
                    q
                    for q in lists.trailing_qualifiers
                    if len(q) < end - start and tuple(bare[end - len(q) : end]) == q
                ),
                None,
            )
            if qualifier is None:
                break
            end -= len(qualifier)
    kept = words[start:end]
    if kept:
        # Punctuation goes from the ends only: "by phone, email and visits" keeps its comma.
        kept[0] = kept[0].lstrip(_EDGE_CHARS)
        kept[-1] = kept[-1].rstrip(_EDGE_CHARS)
    return kept


_TRAILING_WORDS = frozenset({"and", "or", "&"})


def _cut_at(words: list[str]) -> int:
    """Where a long phrase is cut: before its first context word from the fourth word on."""
    context = _lists().context_words
    for index in range(_FIRST_CUT_WORD, len(words)):
        if context.match(" ".join(words[index : index + 2])) is not None:
            return index
    return len(words)


def _base_verb(word: str) -> str | None:
    """The base form of a duty verb written as "prepare" or "prepares"."""
    return _lists().verb_forms.get(word.strip(_WORD_EDGE).casefold())


@dataclass(frozen=True)
class _Lists:
    cues: re.Pattern[str]
    duty_cues: frozenset[str]
    context_words: re.Pattern[str]
    excluded_headings: re.Pattern[str]
    verb_forms: dict[str, str]
    leading_fillers: frozenset[str]
    trailing_qualifiers: tuple[tuple[str, ...], ...]
    not_requirements: frozenset[str]
    fillers: frozenset[str]


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    pattern = phrases_pattern(phrases)
    if pattern is None:  # the data model refuses empty lists
        raise ValueError("no phrase to match")
    return pattern


def _verb_forms(verbs: tuple[str, ...]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for verb in verbs:
        # Not the "-ing" form: an item starting with one names a topic more often than a duty
        # ("Testing and commissioning of switchgear", "Budgeting and forecasting").
        written = [verb, f"{verb}s", f"{verb}es"]
        if verb.endswith("y"):
            written.append(f"{verb[:-1]}ies")
        for form in written:
            forms.setdefault(form, verb)
    return forms


@cache
def _lists() -> _Lists:
    data = phrasing()
    return _Lists(
        cues=_pattern(data.topic_cues + data.duty_cues),
        duty_cues=frozenset(data.duty_cues),
        # A context word opens the piece: anchored with ``match``.
        context_words=_pattern(data.context_words),
        excluded_headings=_pattern(data.excluded_headings),
        verb_forms=_verb_forms(data.duty_verbs),
        leading_fillers=frozenset(data.leading_fillers),
        # Longest first, so that "is a plus" goes before "a plus" would leave an "is".
        trailing_qualifiers=tuple(
            sorted((tuple(q.split()) for q in data.trailing_qualifiers), key=len, reverse=True)
        ),
        not_requirements=frozenset(data.not_requirements),
        fillers=frozenset(data.skill_fillers) | frozenset(data.leading_fillers),
    )
