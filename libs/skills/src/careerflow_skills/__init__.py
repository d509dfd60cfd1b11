"""CareerFlow's skill vocabulary: find skills in text and name them canonically.

The resume parser reads a resume's skills with it and guards the model's claims with it; the
gateway matches a job description's skills against a profile with it. One vocabulary, as data
(``vocabulary.json``), so both sides agree that "k8s" is Kubernetes.

    find_skills(text)        canonical names found, in order of first appearance
    canonical(name)          "k8s" -> "Kubernetes"; None for a name the vocabulary lacks
    mentions(text, skill)    does the text name this skill under any of its aliases
    technical_mentions(text) where the text names a technical skill: its name, as written
    category_of(name)        "language", "framework", "database", "cloud", "tool", "soft", ...
    skill_of(name)           the Skill any of its names means, or None
    VOCABULARY               canonical name -> Skill (category, aliases, what an interview
                             asks about it), read-only
    CATEGORIES               category -> Category (technical or not, its question category)

Beyond the vocabulary, for any occupation (the phrase lists are data, ``phrasing.json``):

    listed_skills(text)      every skill of a resume's skills section, known or not
    job_requirements(text)   the job's skill list: its vocabulary skills and requirement phrases
    job_skills(text)         the same, as names
    has_skill(skills, name)  does a list of skills (a profile's) hold this skill or requirement
    phrases_pattern(phrases) one linear-time pattern of whole phrases, ignoring case
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from careerflow_skills.listing import listed_items
from careerflow_skills.matching import SkillMatcher, matcher_for, phrase_in, phrases_pattern
from careerflow_skills.phrasing import phrasing
from careerflow_skills.requirements import (
    MAX_JOB_CHARS,
    Requirement,
    RequirementForm,
    read_requirements,
)
from careerflow_skills.vocabulary import Alias, Category, MatchRule, Skill, load_vocabulary

_SKILLS, _CATEGORIES = load_vocabulary()

VOCABULARY: Mapping[str, Skill] = MappingProxyType({skill.name: skill for skill in _SKILLS})
CATEGORIES: Mapping[str, Category] = MappingProxyType(_CATEGORIES)

_BY_ALIAS: dict[str, Skill] = {}
for _skill in _SKILLS:
    for _alias in _skill.aliases:
        _BY_ALIAS.setdefault(" ".join(_alias.text.split()).casefold(), _skill)
for _skill in _SKILLS:  # a canonical name always names its own entry
    _BY_ALIAS[_skill.name.casefold()] = _skill

_ALL = SkillMatcher(_SKILLS)
_SKILL_FILLERS = frozenset(phrasing().skill_fillers)
_MIN_PHRASE_CHARS = 3
"""A skill the vocabulary lacks is looked for inside a phrase only from this length: "IT" in a
list of skills does not hold every requirement with the word "it"."""


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


def skill_of(name: str) -> Skill | None:
    """The vocabulary's skill that any of its names means ("k8s" -> Kubernetes), or ``None``."""
    return _lookup(name)


def mentions(text: str, skill: str) -> bool:
    """Whether ``text`` names ``skill`` under any of its aliases, with the same rules as
    ``find_skills``; a skill the vocabulary lacks is looked for as a whole phrase, ignoring
    case."""
    known = _lookup(skill)
    if known is not None:
        return bool(matcher_for((known,)).find(text))
    return phrase_in(text, skill)


@cache
def _technical() -> SkillMatcher:
    return SkillMatcher(skill for skill in _SKILLS if CATEGORIES[skill.category].technical)


class Mention(NamedTuple):
    """A place a text names a skill: the skill's canonical name, and the words as written."""

    name: str
    written: str


def technical_mentions(text: str) -> list[Mention]:
    """Each place ``text`` names a technical skill (not a soft skill, not a spoken language),
    in order, with the rules of ``find_skills``: "Airflow on k8s" gives ``Mention("Apache
    Airflow", "Airflow")`` and ``Mention("Kubernetes", "k8s")``."""
    return [Mention(hit.skill.name, text[hit.start : hit.end]) for hit in _technical().hits(text)]


def listed_skills(text: str) -> list[str]:
    """The skills of a resume's skills section: the vocabulary's, canonical, as ``find_skills``
    finds them, then every other item that looks like a skill's name, as written."""
    known = find_skills(text)
    # A skill the vocabulary knows, broken over two lines ("Data" then "Visualization"), is one
    # item, not two unknown ones.
    joined = list(text)
    for start, end in _ALL.spans(text):
        for index in range(start, end):
            if joined[index] == "\n":
                joined[index] = " "
    return known + listed_items("".join(joined), _names_a_skill)


def _names_a_skill(text: str) -> bool:
    return _lookup(text) is not None or bool(_ALL.find(text))


def job_requirements(text: str) -> list[Requirement]:
    """The job's skill list: the vocabulary's skills its description names (canonical, in order
    of first appearance), then its requirement phrases (``read_requirements``) that say more
    than those skills do: "advanced Excel skills" is Microsoft Excel, "Excel for shipment
    reports" a requirement of its own."""
    known = find_skills(text[:MAX_JOB_CHARS])
    found = [Requirement(name, "topic") for name in known]
    taken = {name.casefold() for name in known}
    for requirement in read_requirements(text):
        if requirement.text.casefold() not in taken and not _restates_skills(requirement.text):
            taken.add(requirement.text.casefold())
            found.append(requirement)
    return found


def job_skills(text: str) -> list[str]:
    """The names of the job's skill list (``job_requirements``)."""
    return [requirement.text for requirement in job_requirements(text)]


def _restates_skills(phrase: str) -> bool:
    skills = _ALL.find(phrase)
    if not skills:
        return False
    named = {
        word.casefold()
        for skill in skills
        for alias in skill.aliases
        for word in alias.text.split()
    }
    rest = [
        word
        for word in (w.strip(".,;:!?()'\"").casefold() for w in phrase.split())
        if word and word not in named and word not in _SKILL_FILLERS
    ]
    return len(rest) < 2


def has_skill(skills: Iterable[str], wanted: str) -> bool:
    """Whether a list of skills (a profile's) holds ``wanted``: the same vocabulary skill under
    any of its names; for a skill or phrase the vocabulary lacks, the same words ignoring case,
    or a listed skill it names ("Relativity" holds "manage document productions in
    Relativity"), or one that names it ("Incoterms 2020" holds "Incoterms")."""
    known = _lookup(wanted)
    for skill in skills:
        if known is not None:
            if _lookup(skill) is known:
                return True
            continue
        if " ".join(skill.split()).casefold() == " ".join(wanted.split()).casefold():
            return True
        if _lookup(skill) is None and len(skill.strip()) < _MIN_PHRASE_CHARS:
            continue
        if mentions(wanted, skill) or phrase_in(skill, wanted):
            return True
    return False


__all__ = [
    "CATEGORIES",
    "VOCABULARY",
    "Alias",
    "Category",
    "MatchRule",
    "Mention",
    "Requirement",
    "RequirementForm",
    "Skill",
    "canonical",
    "category_of",
    "find_skills",
    "has_skill",
    "job_requirements",
    "job_skills",
    "listed_skills",
    "mentions",
    "phrases_pattern",
    "skill_of",
    "technical_mentions",
]
