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
_BEFORE = r"(?<![\w+#.@])"
_AFTER = r"(?![\w+#]|\.\w)"
_LIST_SEPARATORS = re.compile(r"[^,;|•·▪●◦/()\[\]\n\t]+")
# Only where a whitespace run starts: tried inside one, it would rescan the run at each character
# (quadratic on a job description of spaces).
_LIST_CONJUNCTION = re.compile(r"(?<!\s)\s++(?:and|&|or)\s++")
_SENTENCE_ENDS = frozenset(".!?•·▪●◦*:;-–—\n")
_BEFORE_NUMBER = re.compile(r"\s*+\d")
_ITEM_STRIP = " \t-–—*•·.:"


@dataclass(frozen=True)
class _Hit:
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


def _tree_pattern(node: _Tree) -> str:
    # The longer alias is tried first ("" last) and the regex engine backtracks to a shorter one
    # when what follows is not a boundary: the same choice as an alternation of every alias,
    # longest first, but each character is compared once instead of once per alias.
    options = [
        (r"\s++" if unit == _SPACE else re.escape(unit)) + _tree_pattern(child)
        for unit, child in sorted(node.items())
        if unit
    ]
    if "" in node:
        options.append("")
    return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"


def _alternation(aliases: Iterable[str], flags: re.RegexFlag) -> re.Pattern[str] | None:
    tree = _alias_tree(aliases)
    if not tree:
        return None
    # A cheap test of the first character: most positions in any text (spaces, punctuation)
    # cannot start an alias.
    first = "".join(sorted(re.escape(unit) for unit in tree))
    return re.compile(f"{_BEFORE}(?=[{first}]){_tree_pattern(tree)}{_AFTER}", flags)


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

    def find(self, text: str) -> list[Skill]:
        """The skills found in ``text``, each once, in order of first appearance."""
        hits = sorted(self._hits(text), key=lambda hit: (hit.start, -(hit.end - hit.start)))
        found: list[Skill] = []
        seen: set[str] = set()
        covered_until = -1
        for hit in hits:
            if hit.start < covered_until:
                continue  # inside a longer hit: "Spring" within "Spring Boot"
            covered_until = hit.end
            if hit.skill.name not in seen:
                seen.add(hit.skill.name)
                found.append(hit.skill)
        return found

    def _hits(self, text: str) -> Iterator[_Hit]:
        if self._loose_pattern is not None:
            for match in self._loose_pattern.finditer(text):
                skill = self._loose[_normalise(match.group()).casefold()]
                yield _Hit(match.start(), match.end(), skill)
        if self._exact_pattern is not None:
            for match in self._exact_pattern.finditer(text):
                skill, alias = self._exact[_normalise(match.group())]
                if alias.rule == "ambiguous" and not _inside_sentence(text, match):
                    continue
                yield _Hit(match.start(), match.end(), skill)
        if self._list_items:
            yield from self._list_hits(text)

    def _list_hits(self, text: str) -> Iterator[_Hit]:
        for segment in _LIST_SEPARATORS.finditer(text):
            offset = segment.start()
            pieces = _LIST_CONJUNCTION.split(segment.group())
            for piece in pieces:
                start = text.find(piece, offset)
                offset = start + len(piece)
                item = piece.rsplit(":", 1)[-1].strip(_ITEM_STRIP)
                skill = self._list_items.get(_normalise(item))
                if skill is not None:
                    item_start = text.find(item, start)
                    yield _Hit(item_start, item_start + len(item), skill)


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


@lru_cache(maxsize=1024)
def matcher_for(skills: tuple[Skill, ...]) -> SkillMatcher:
    """A matcher for a set of skills, cached: building one compiles a large pattern."""
    return SkillMatcher(skills)
