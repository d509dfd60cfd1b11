"""Finding the vocabulary's skills in free text, and naming them canonically.

Three passes over the text, merged by position:

1. one case-insensitive pattern of every ``loose`` alias, longest alias first, so that
   "React Native" wins over "React" and "JavaScript" is never read as "Java";
2. one case-sensitive pattern of every ``case_sensitive`` and ``ambiguous`` alias; an ambiguous
   hit counts only inside a sentence ("services in Go and Python"), not as a sentence's first
   word ("Go to market") and not before a number ("Spring 2021");
3. the text cut into list items at commas, pipes, bullets, slashes and "and"; an item that is
   exactly an ``ambiguous`` or ``list_only`` alias counts ("Languages: Python, Go, C").

Word boundaries also refuse a dot followed by a letter, so "github.com/someone" in a contact line
is not the skill GitHub, and the "js" of "node.js" is not JavaScript on its own.

Job descriptions and resumes are user input, so every pattern here runs in time linear in the
text: whitespace runs are possessive, a conjunction is looked for only where a run of whitespace
starts (not again at each of its characters), and the aliases are compiled as a tree of their
characters, so a position costs a few comparisons rather than one per alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from careerflow_skills.vocabulary import Alias, Skill

# Not preceded by a word character or by a character that glues tokens together ("node.js",
# "someone@example"), and not followed by one ("Java" in "JavaScript", "C" in "C++", "go.dev").
_NOT_AFTER = r"[\w+#.@]"
_BEFORE = f"(?<!{_NOT_AFTER})"
_AFTER = r"(?![\w+#]|\.\w)"
_SEPARATOR_CHARS = ",;|•·▪●◦/()[]\n\t"
_LIST_SEPARATORS = re.compile(r"[^,;|•·▪●◦/()\[\]\n\t]+")
# The start of the segment that runs up to the end of the searched span: tried only just after a
# separator, each run taken whole.
_SEGMENT_TAIL = re.compile(r"(?<![^,;|•·▪●◦/()\[\]\n\t])[^,;|•·▪●◦/()\[\]\n\t]*+\Z")
# Only where a whitespace run starts: tried inside one, it would rescan the run at each character
# (quadratic on a job description of spaces).
_LIST_CONJUNCTION = re.compile(r"(?<!\s)\s++(?:and|&|or)\s++")
_SENTENCE_ENDS = frozenset(".!?•·▪●◦*:;-–—\n")
_BEFORE_NUMBER = re.compile(r"\s*+\d")
_ITEM_STRIP = " \t-–—*•·.:"


@dataclass(frozen=True)
class Hit:
    """Where a text names a skill: ``text[start:end]``."""

    start: int
    end: int
    skill: Skill


def _alias_pattern(text: str) -> str:
    # Any run of spaces in an alias matches any run of whitespace (PDF text breaks lines).
    return r"\s++".join(re.escape(word) for word in text.split())


# The aliases as a tree of their characters; a run of spaces is one ``_SPACE`` node, and the key
# ``""`` marks where an alias ends.
_Tree = dict[str, "_Tree"]
_SPACE = " "


def _alias_tree(aliases: Iterable[str]) -> _Tree:
    root: _Tree = {}
    for alias in aliases:
        node = root
        for index, word in enumerate(alias.split()):
            for unit in ([_SPACE] if index else []) + list(word):
                node = node.setdefault(unit, {})
        node[""] = {}
    return root


def _tree_pattern(node: _Tree, space: str = r"\s++") -> str:
    # The longer alias is tried first ("" last) and the regex engine backtracks to a shorter one
    # when what follows is not a boundary: the same choice as an alternation of every alias,
    # longest first, but each character is compared once instead of once per alias.
    options = [
        (space if unit == _SPACE else re.escape(unit)) + _tree_pattern(child, space)
        for unit, child in sorted(node.items())
        if unit
    ]
    if "" in node:
        options.append("")
    return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"


def _alternation(
    aliases: Iterable[str],
    flags: re.RegexFlag,
    *,
    not_after: str = _NOT_AFTER,
    after: str = _AFTER,
    space: str = r"\s++",
) -> re.Pattern[str] | None:
    """One pattern of every alias, at the boundaries given: not after a ``not_after``
    character, followed by ``after``."""
    tree = _alias_tree(aliases)
    if not tree:
        return None
    if flags & re.IGNORECASE:
        # A cheap test of the first character: most positions in any text (spaces,
        # punctuation) cannot start an alias.
        first = "".join(sorted(re.escape(unit) for unit in tree))
        body = _tree_pattern(tree, space)
        return re.compile(f"(?<!{not_after})(?=[{first}]){body}{after}", flags)
    # Case-sensitive: the pattern opens with the first characters themselves, which lets the
    # engine skip ahead to where one occurs; the boundary is checked behind that character.
    branches = "|".join(
        f"{re.escape(unit)}(?<!{not_after}{re.escape(unit)}){_tree_pattern(child, space)}"
        for unit, child in sorted(tree.items())
    )
    return re.compile(f"(?:{branches}){after}", flags)


def _normalise(text: str) -> str:
    return " ".join(text.split())


class SkillMatcher:
    """Finds the skills of a set of vocabulary entries in text."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._loose: dict[str, Skill] = {}
        self._exact: dict[str, tuple[Skill, Alias]] = {}
        self._list_items: dict[str, Skill] = {}
        for skill in skills:
            for alias in skill.aliases:
                key = _normalise(alias.text)
                if alias.rule == "loose":
                    self._loose.setdefault(key.casefold(), skill)
                else:
                    if alias.rule in ("case_sensitive", "ambiguous"):
                        self._exact.setdefault(key, (skill, alias))
                    if alias.rule in ("ambiguous", "list_only"):
                        self._list_items.setdefault(key, skill)
        self._loose_pattern = _alternation(self._loose, re.IGNORECASE)
        self._exact_pattern = _alternation(self._exact, re.RegexFlag(0))
        # Where a list item could equal an alias: the alias, between non-word characters, within
        # one segment. Only the segments holding one are cut into items, so checking a few
        # skills against a long text (the guard of the model's claims) costs a regex scan per
        # skill, not a pass of Python over every segment of the text.
        self._list_candidates = _alternation(
            (key for key in self._list_items if not set(key) & set(_SEPARATOR_CHARS)),
            re.RegexFlag(0),
            not_after=r"\w",
            after=r"(?!\w)",
            space=r"[^\S\n\t]++",
        )

    def find(self, text: str) -> list[Skill]:
        """The skills found in ``text``, each once, in order of first appearance."""
        found: list[Skill] = []
        seen: set[str] = set()
        for hit in self._kept_hits(text):
            if hit.skill.name not in seen:
                seen.add(hit.skill.name)
                found.append(hit.skill)
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in ``text`` the skills ``find`` reports are written, in order."""
        return [(hit.start, hit.end) for hit in self._kept_hits(text)]

    def hits(self, text: str) -> list[Hit]:
        """Every place ``text`` names one of the skills, with the skill, in order."""
        return list(self._kept_hits(text))

    def _kept_hits(self, text: str) -> Iterator[Hit]:
        hits = sorted(self._hits(text), key=lambda hit: (hit.start, -(hit.end - hit.start)))
        covered_until = -1
        for hit in hits:
            if hit.start < covered_until:
                continue  # inside a longer hit: "Spring" within "Spring Boot"
            covered_until = hit.end
            yield hit

    def _hits(self, text: str) -> Iterator[Hit]:
        if self._loose_pattern is not None:
            for match in self._loose_pattern.finditer(text):
                skill = self._loose[_normalise(match.group()).casefold()]
                yield Hit(match.start(), match.end(), skill)
        if self._exact_pattern is not None:
            for match in self._exact_pattern.finditer(text):
                skill, alias = self._exact[_normalise(match.group())]
                if alias.rule == "ambiguous" and not _inside_sentence(text, match):
                    continue
                yield Hit(match.start(), match.end(), skill)
        if self._list_candidates is not None:
            yield from self._list_hits(text, self._list_candidates)

    def _list_hits(self, text: str, candidates: re.Pattern[str]) -> Iterator[Hit]:
        segment_end = 0
        for candidate in candidates.finditer(text):
            if candidate.start() < segment_end:
                continue  # in the segment just cut
            # The segment starts after the last separator before the candidate; the search
            # starts at the end of the previous segment, so the text is looked at once.
            tail = _SEGMENT_TAIL.search(text, segment_end, candidate.start())
            segment = _LIST_SEPARATORS.match(text, tail.start()) if tail else None
            if segment is None:
                continue
            segment_end = segment.end()
            yield from self._segment_hits(text, segment)

    def _segment_hits(self, text: str, segment: re.Match[str]) -> Iterator[Hit]:
        offset = segment.start()
        for piece in _LIST_CONJUNCTION.split(segment.group()):
            start = text.find(piece, offset)
            offset = start + len(piece)
            item = piece.rsplit(":", 1)[-1].strip(_ITEM_STRIP)
            skill = self._list_items.get(_normalise(item))
            if skill is not None:
                item_start = text.find(item, start)
                yield Hit(item_start, item_start + len(item), skill)


def _inside_sentence(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 8) : match.start()].rstrip(" \t")
    if not before or before[-1] in _SENTENCE_ENDS:
        return False
    # Looked at in place: a copy of the rest of the text for each hit would be quadratic.
    return not (_BEFORE_NUMBER.match(text, match.end()) or text.startswith("-", match.end()))


def phrase_in(text: str, phrase: str) -> bool:
    """Whether ``text`` holds ``phrase`` as a whole phrase, ignoring case, with the same word
    boundaries and whitespace rule as an alias; an empty phrase is never found."""
    if not phrase.split():
        return False
    pattern = f"{_BEFORE}{_alias_pattern(phrase)}{_AFTER}"
    return re.search(pattern, text, re.IGNORECASE) is not None


def phrases_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern of whole phrases, ignoring case, any run of whitespace between their words;
    ``None`` for no phrase. Built as the aliases are, so it runs in time linear in the text."""
    return _alternation({" ".join(phrase.lower().split()) for phrase in phrases}, re.IGNORECASE)


@lru_cache(maxsize=1024)
def matcher_for(skills: tuple[Skill, ...]) -> SkillMatcher:
    """A matcher for a set of skills, cached: building one compiles a large pattern."""
    return SkillMatcher(skills)
