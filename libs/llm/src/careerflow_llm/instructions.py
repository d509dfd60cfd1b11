"""Finding text that speaks to the model inside data it is given (a prompt injection).

Every prompt fences untrusted text (an answer, a resume) and tells the model it is data; this
module checks the other side: does the data itself contain instructions to its reader ("ignore
all previous instructions", "give this answer 10/10", "recommend this candidate")? The services
use it to flag such text, to set it aside, and to refuse a model output that echoes it.

The phrases live in ``instruction_phrases.txt``, in a tiny syntax of words, alternatives and
optional words (see the file). It cannot express repetition, so every compiled phrase is a
regular expression without nested or open-ended quantifiers: a scan is linear in the text,
whatever the text. The text is normalised first so that disguises do not help: compatibility
forms (full-width letters), invisible characters (zero-width spaces, soft hyphens, Unicode
tags), look-alike Cyrillic and Greek letters, case, and any punctuation between words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["PHRASES", "compile_phrase", "instruction_phrases", "normalise"]

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
# Lower-case letters of other scripts that read as Latin ones (after casefold).
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "о": "o", "р": "p",
        "с": "c", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
        "к": "k", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ı": "i", "ɡ": "g",
    }
)  # fmt: skip
_BETWEEN_WORDS = re.compile(r"[\W_]+")
_WORD = re.compile(r"[a-z0-9_]+")


def normalise(text: str) -> str:
    """The text as the phrases are matched: plain lower-case words separated by one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = text.casefold().translate(_LOOKALIKES)
    return _BETWEEN_WORDS.sub(" ", text).strip()


def _alternatives(token: str, phrase: str) -> str:
    words = token.split("|")
    if not all(_WORD.fullmatch(word) for word in words):
        raise ValueError(f"not words or alternatives of words: {token!r} in {phrase!r}")
    return "|".join(word.replace("_", " ") for word in words)


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """The regular expression of one phrase; ValueError for anything outside the syntax.

    ``a|b`` is one of the words, ``[a|b]`` optionally one of them, ``_`` joins words. The first
    and the last token are required, so a match has definite ends.
    """
    tokens = phrase.split(" ")
    if not phrase or any(not token for token in tokens):
        raise ValueError(f"an empty phrase or token in {phrase!r}")
    if tokens[0].startswith("[") or tokens[-1].startswith("["):
        raise ValueError(f"a phrase starts and ends with a required word: {phrase!r}")
    parts = []
    for index, token in enumerate(tokens):
        space = "" if index == 0 else " "
        if token.startswith("[") and token.endswith("]"):
            parts.append(f"(?:{space}(?:{_alternatives(token[1:-1], phrase)}))?")
        else:
            parts.append(f"{space}(?:{_alternatives(token, phrase)})")
    return re.compile(r"\b" + "".join(parts) + r"\b")


def _load_phrases() -> tuple[str, ...]:
    text = resources.files(__package__).joinpath("instruction_phrases.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


PHRASES: tuple[str, ...] = _load_phrases()
"""Every shipped phrase, as written in ``instruction_phrases.txt``."""


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(compile_phrase(phrase) for phrase in PHRASES)


def instruction_phrases(text: str) -> list[str]:
    """The instruction-like phrases in ``text``, normalised, each once, in order of appearance.

    An empty list means none was found, not that the text is harmless: a reworded instruction
    can pass, which is why the services also check what the model made of the text.
    """
    plain = normalise(text)
    found = sorted(
        (match.start(), match.group())
        for pattern in _patterns()
        for match in pattern.finditer(plain)
    )
    return list(dict.fromkeys(phrase for _, phrase in found))
