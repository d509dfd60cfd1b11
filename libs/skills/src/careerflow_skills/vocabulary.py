"""The skill vocabulary: canonical skill names, their category and the aliases that mean them.

The data lives in ``vocabulary.json`` beside this module, so adding a skill is a data change.
Each alias carries one of four matching rules, because short names are often ordinary words:

- ``loose``: case-insensitive at word boundaries ("postgres", "K8s", "node.js");
- ``case_sensitive``: the exact case at word boundaries ("ML" but not "ml", "Git" but not "git");
- ``ambiguous``: a whole list item, or the exact case inside a sentence but never as its first
  word and never before a number ("Go", "Swift", "Rust", "Spring" but not "Spring 2021");
- ``list_only``: only a whole item of a list such as "Languages: Python, Go, C" ("C", "R").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Literal

MatchRule = Literal["loose", "case_sensitive", "ambiguous", "list_only"]


@dataclass(frozen=True)
class Alias:
    """One written form of a skill and how strictly it must be matched."""

    text: str
    rule: MatchRule


@dataclass(frozen=True)
class Skill:
    """A canonical skill with its category and every written form that means it."""

    name: str
    category: str
    aliases: tuple[Alias, ...]


_STRICT_RULES: tuple[MatchRule, ...] = ("case_sensitive", "ambiguous", "list_only")


def _skill_from_entry(entry: dict[str, object]) -> Skill:
    name = str(entry["name"])
    aliases: list[Alias] = []
    strict_texts: set[str] = set()
    for rule in _STRICT_RULES:
        for text in _as_strings(entry.get(rule, [])):
            aliases.append(Alias(text, rule))
            strict_texts.add(text.casefold())
    if name.casefold() not in strict_texts:
        aliases.append(Alias(name, "loose"))
    aliases.extend(Alias(text, "loose") for text in _as_strings(entry.get("aliases", [])))
    return Skill(name=name, category=str(entry["category"]), aliases=tuple(aliases))


def _as_strings(value: object) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list of aliases, got {value!r}")
    return [str(item) for item in value]


def load_vocabulary() -> tuple[Skill, ...]:
    """Read the packaged vocabulary file; raises ``ValueError`` on a duplicate name."""
    raw = resources.files("careerflow_skills").joinpath("vocabulary.json").read_text("utf-8")
    skills = tuple(_skill_from_entry(entry) for entry in json.loads(raw)["skills"])
    names = [skill.name.casefold() for skill in skills]
    if len(names) != len(set(names)):
        duplicates = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"duplicate skill names in the vocabulary: {duplicates}")
    return skills
