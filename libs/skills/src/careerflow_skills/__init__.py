"""CareerFlow's skill vocabulary: find skills in text and name them canonically.

The resume parser reads a resume's skills with it and guards the model's claims with it; the
gateway matches a job description's skills against a profile with it. One vocabulary, as data
(``vocabulary.json``), so both sides agree that "k8s" is Kubernetes.

    find_skills(text)        canonical names found, in order of first appearance
    canonical(name)          "k8s" -> "Kubernetes"; None for a name the vocabulary lacks
    mentions(text, skill)    does the text name this skill under any of its aliases
    category_of(name)        "language", "framework", "database", "cloud", "tool", "soft", ...
    VOCABULARY               canonical name -> Skill (category and aliases), read-only
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from careerflow_skills.matching import SkillMatcher, matcher_for, phrase_in
from careerflow_skills.vocabulary import Alias, MatchRule, Skill, load_vocabulary

_SKILLS = load_vocabulary()

VOCABULARY: Mapping[str, Skill] = MappingProxyType({skill.name: skill for skill in _SKILLS})

_BY_ALIAS: dict[str, Skill] = {}
for _skill in _SKILLS:
    for _alias in _skill.aliases:
        _BY_ALIAS.setdefault(" ".join(_alias.text.split()).casefold(), _skill)
for _skill in _SKILLS:  # a canonical name always names its own entry
    _BY_ALIAS[_skill.name.casefold()] = _skill

_ALL = SkillMatcher(_SKILLS)


def _lookup(name: str) -> Skill | None:
    return _BY_ALIAS.get(" ".join(name.split()).casefold())


def find_skills(text: str) -> list[str]:
    """The canonical names of the vocabulary's skills found in ``text``, in order of first
    appearance, each once."""
    return [skill.name for skill in _ALL.find(text)]


def canonical(name: str) -> str | None:
    """The canonical name of a skill given any of its names ("postgres" -> "PostgreSQL"), or
    ``None`` when the vocabulary does not know it."""
    skill = _lookup(name)
    return skill.name if skill is not None else None


def category_of(name: str) -> str | None:
    """The category of a skill given any of its names, or ``None`` when it is unknown."""
    skill = _lookup(name)
    return skill.category if skill is not None else None


def mentions(text: str, skill: str) -> bool:
    """Whether ``text`` names ``skill`` under any of its aliases, with the same rules as
    ``find_skills``; a skill the vocabulary lacks is looked for as a whole phrase, ignoring
    case."""
    known = _lookup(skill)
    if known is not None:
        return bool(matcher_for((known,)).find(text))
    return phrase_in(text, skill)


__all__ = [
    "VOCABULARY",
    "Alias",
    "MatchRule",
    "Skill",
    "canonical",
    "category_of",
    "find_skills",
    "mentions",
]
