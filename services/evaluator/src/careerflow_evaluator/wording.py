"""How the fallback reads words: tokens, stopwords, a light stemmer and interview synonyms.

The heuristic compares an answer with the points a strong answer covers. Both go through
``terms`` here, so "caching", "cached" and "cache" meet, and so do "k8s" and "Kubernetes" or
"customers" and "users". The stemmer is deliberately crude (suffix stripping): it only has to
map both sides of a comparison the same way, not produce dictionary words.

The word lists are data (``wording.json``), read once and validated here: the stopwords and
synonyms used below, and the phrases the heuristic looks for (STAR parts, reasoning, fillers,
spelled-out numbers). Each entry is lower case and listed once.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from careerflow_skills.phrasing import PhraseList as Phrases
from careerflow_skills.phrasing import listed_once

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-/][a-z0-9+#]+)*")


def _word(value: str) -> str:
    if not value.isalpha() or value != value.lower():
        raise ValueError(f"{value!r} is not one lower-case word")
    return value


Words = Annotated[
    tuple[Annotated[str, AfterValidator(_word)], ...],
    Field(min_length=1),
    AfterValidator(listed_once),
]


class StarPhrases(BaseModel):
    """Phrases that show each part of a behavioral story, in the order of the story."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    situation: Phrases
    task: Phrases
    action: Phrases
    result: Phrases


class Wording(BaseModel):
    """The word lists of ``wording.json``, each validated; the file says what each one means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    stopwords: Words
    synonyms: tuple[Annotated[Phrases, Field(min_length=2)], ...]
    star: StarPhrases
    reasoning: Phrases
    fillers: Words
    number_words: Words
    units: Words


@cache
def wording() -> Wording:
    """The packaged word lists, read and validated once."""
    raw = resources.files("careerflow_evaluator").joinpath("wording.json").read_text("utf-8")
    return Wording.model_validate(json.loads(raw))


STOPWORDS = frozenset(wording().stopwords)

_SUFFIXES = (
    "izations",
    "ization",
    "isation",
    "ational",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """Strip one common English suffix, keeping a stem of at least three letters."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return root + "y"
            # "caching" -> "cach" -> "cache" would need a dictionary; dropping a final "e"
            # from every stem instead makes "cache", "cached" and "caching" all meet at "cach".
            return root.rstrip("e") if len(root) > 3 else root
        if word.endswith("ss"):
            break
    return word.rstrip("e") if len(word) > 4 else word


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in wording().synonyms:
        canonical = stem(group[0])
        for member in group:
            key = " ".join(stem(part) for part in member.split())
            table.setdefault(key, canonical)
    return table


_SYNONYMS = _build_synonyms()
_PHRASES = {key: value for key, value in _SYNONYMS.items() if " " in key}


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, keeping names such as ``c++``, ``node.js`` and ``ci/cd`` whole."""
    return [token.rstrip(".-/") for token in _TOKEN.findall(text.lower())]


def terms(text: str) -> list[str]:
    """The content terms of a text: stemmed, canonical synonyms, without stopwords, in order."""
    stems = [stem(token) for token in tokens(text) if token not in STOPWORDS]
    result: list[str] = []
    index = 0
    while index < len(stems):
        pair = " ".join(stems[index : index + 2])
        if pair in _PHRASES:
            result.append(_PHRASES[pair])
            index += 2
            continue
        result.append(_SYNONYMS.get(stems[index], stems[index]))
        index += 1
    return result


def word_count(text: str) -> int:
    """Words as a reader counts them (whitespace-separated, ignoring stray punctuation)."""
    return sum(1 for part in text.split() if any(ch.isalnum() for ch in part))
