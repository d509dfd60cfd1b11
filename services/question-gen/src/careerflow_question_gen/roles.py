"""Role families: recognising what kind of job a target role names, and what that implies.

``detect_role_family("Senior Site Reliability Engineer")`` is ``"devops"``. Each software
family names the skills asked about when neither the job nor the resume gives enough (its
defaults) and the question category used for a skill the bank does not know. ``generic`` is
every other job, a nurse's or an accountant's: it is not a software family, and its questions
come from the job's own requirements (``workplace_bank``). ``seniority_difficulty`` reads the
level of the role (and the years on the resume) into a question difficulty.

The families are data (``roles.json``), read once and validated here: every family is described
once, most specific first, ``generic`` last and matching nothing; every pattern compiles; every
software family's question category has templates in the technical bank.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Literal, Self, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

import careerflow_skills
from careerflow_contracts import Difficulty
from careerflow_question_gen.data_files import read_data_file
from careerflow_question_gen.technical_bank import CATEGORY_QUESTIONS

RoleFamily = Literal[
    "backend",
    "frontend",
    "fullstack",
    "data",
    "ml",
    "devops",
    "mobile",
    "qa",
    "security",
    "product",
    "project",
    "software",
    "generic",
]


def _compile(pattern: str) -> re.Pattern[str]:
    # Word boundaries by hand: \b fails next to "#" and ".", as in "c#" or ".net".
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


def _compiles(pattern: str) -> str:
    try:
        _compile(pattern)
    except re.error as error:
        raise ValueError(f"{pattern!r} is not a regular expression: {error}") from None
    return pattern


Pattern = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]


class RoleFamilySpec(BaseModel):
    """What the question generator knows about one family of roles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    family: RoleFamily
    patterns: tuple[Pattern, ...]
    """Regular expressions matched against the lower-cased role, with word boundaries."""
    default_skills: tuple[str, ...] = Field(min_length=5)
    """Skills asked about once the job's and the resume's are used up, most typical first."""
    category: str
    """The question category for a skill the vocabulary has no question category for."""
    own_category_for: frozenset[str] = frozenset()
    """The vocabulary's categories read in the family's own terms: a "framework" for a mobile
    developer is Flutter, a "tool" for a product manager is Amplitude."""
    software: bool = True
    """Whether the family's banks are about software work; only ``generic``'s are not."""


class Seniority(BaseModel):
    """The words of a role that set its difficulty, as regular expressions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    junior: tuple[Pattern, ...] = Field(min_length=1)
    senior: tuple[Pattern, ...] = Field(min_length=1)


class RoleFamilies(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    families: tuple[RoleFamilySpec, ...]
    seniority: Seniority

    @model_validator(mode="after")
    def _every_family_once_generic_last(self) -> Self:
        families = [spec.family for spec in self.families]
        if sorted(families) != sorted(get_args(RoleFamily)):
            raise ValueError(f"every role family is described once: {get_args(RoleFamily)}")
        *specific, last = self.families
        if last.family != "generic" or last.patterns or last.software:
            raise ValueError("generic comes last, matches nothing and is not a software family")
        if any(not spec.patterns or not spec.software for spec in specific):
            raise ValueError("every family but generic has patterns and is about software")
        for spec in specific:
            if spec.category not in CATEGORY_QUESTIONS:
                raise ValueError(f"{spec.family}: no templates for the category {spec.category}")
            unknown = spec.own_category_for - set(careerflow_skills.CATEGORIES)
            if unknown:
                raise ValueError(f"{spec.family}: {sorted(unknown)} are no vocabulary categories")
        return self


@cache
def role_families() -> RoleFamilies:
    """The packaged role families, read and validated once."""
    return read_data_file(RoleFamilies, "roles.json")


ROLE_FAMILIES: tuple[RoleFamilySpec, ...] = role_families().families
"""Every family, most specific first; ``generic`` matches nothing and is the last resort."""

FAMILY_SPECS: dict[RoleFamily, RoleFamilySpec] = {spec.family: spec for spec in ROLE_FAMILIES}

_COMPILED: tuple[tuple[RoleFamily, tuple[re.Pattern[str], ...]], ...] = tuple(
    (spec.family, tuple(_compile(pattern) for pattern in spec.patterns)) for spec in ROLE_FAMILIES
)


def detect_role_family(target_role: str) -> RoleFamily:
    """The family of ``target_role``; ``generic`` when nothing in it is recognised."""
    role = " ".join(target_role.lower().split())
    for family, patterns in _COMPILED:
        if any(pattern.search(role) for pattern in patterns):
            return family
    return "generic"


def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return _compile("(" + "|".join(patterns) + ")")


_JUNIOR = _any_of(role_families().seniority.junior)
_SENIOR = _any_of(role_families().seniority.senior)


def seniority_difficulty(target_role: str, years_experience: float | None) -> Difficulty:
    """How hard the questions should be, from the role's level or else the resume's years."""
    role = target_role.lower()
    if _JUNIOR.search(role):
        return "easy"
    if _SENIOR.search(role):
        return "hard"
    if years_experience is None:
        return "medium"
    if years_experience < 2:
        return "easy"
    if years_experience >= 7:
        return "hard"
    return "medium"
