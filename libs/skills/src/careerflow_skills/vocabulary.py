"""The skill vocabulary: canonical skill names, their category and the aliases that mean them.

The data lives in ``vocabulary.json`` beside this module, so adding a skill is a data change.
Each alias carries one of four matching rules, because short names are often ordinary words:

- ``loose``: case-insensitive at word boundaries ("postgres", "K8s", "node.js");
- ``case_sensitive``: the exact case at word boundaries ("ML" but not "ml", "Git" but not "git");
- ``ambiguous``: a whole list item, or the exact case inside a sentence but never as its first
  word and never before a number ("Go", "Swift", "Rust", "Spring" but not "Spring 2021");
- ``list_only``: only a whole item of a list such as "Languages: Python, Go, C" ("C", "R").

The file also says what an interview makes of a skill, so that every service reads one
vocabulary: each category is ``technical`` or not (soft skills and spoken languages are not:
they are never the subject of a technical question nor a named tool in an answer) and has the
question category of its skills; a skill may name its own ``question_category`` where its
category's does not fit (React is a framework, asked about as front-end), or be ``asked_as``
another subject (Jenkins is asked about as CI/CD: one subject, one set of questions).

The file is validated as it is read (pydantic): names are unique, every category is declared,
and an ``asked_as`` names a subject canonically and goes one step only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

MatchRule = Literal["loose", "case_sensitive", "ambiguous", "list_only"]


@dataclass(frozen=True)
class Alias:
    """One written form of a skill and how strictly it must be matched."""

    text: str
    rule: MatchRule


@dataclass(frozen=True)
class Skill:
    """A canonical skill with its category and every written form that means it.

    ``question_category`` is the skill's own question category, when its category's does not
    fit; ``asked_as`` the subject its interview questions are about, when that is another one
    (a skill of the vocabulary, or a subject it lacks, such as "Experimentation").
    """

    name: str
    category: str
    aliases: tuple[Alias, ...]
    question_category: str | None = None
    asked_as: str | None = None


class Category(BaseModel):
    """What a category of skills means to an interview."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    technical: bool
    question_category: str | None = None
    """The question category of its skills; only a technical category has one, and must."""

    @model_validator(mode="after")
    def _technical_has_a_question_category(self) -> Self:
        if self.technical != (self.question_category is not None):
            raise ValueError("a technical category has a question_category, and only it")
        return self


class _Entry(BaseModel):
    """One skill as the file writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    category: str
    aliases: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    list_only: tuple[str, ...] = ()
    question_category: str | None = Field(default=None, min_length=1)
    asked_as: str | None = Field(default=None, min_length=1)

    def skill(self) -> Skill:
        aliases: list[Alias] = []
        strict_texts: set[str] = set()
        for rule in _STRICT_RULES:
            for text in getattr(self, rule):
                aliases.append(Alias(text, rule))
                strict_texts.add(text.casefold())
        if self.name.casefold() not in strict_texts:
            aliases.append(Alias(self.name, "loose"))
        aliases.extend(Alias(text, "loose") for text in self.aliases)
        return Skill(
            name=self.name,
            category=self.category,
            aliases=tuple(aliases),
            question_category=self.question_category,
            asked_as=self.asked_as,
        )


_STRICT_RULES: tuple[MatchRule, ...] = ("case_sensitive", "ambiguous", "list_only")


class VocabularyFile(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    categories: dict[str, Category]
    skills: tuple[_Entry, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [entry.name.casefold() for entry in self.skills]
        if len(names) != len(set(names)):
            duplicates = sorted({name for name in names if names.count(name) > 1})
            raise ValueError(f"duplicate skill names in the vocabulary: {duplicates}")
        by_form = {
            " ".join(form.split()).casefold(): entry
            for entry in self.skills
            for form in (*entry.aliases, *entry.case_sensitive, *entry.ambiguous, *entry.list_only)
        } | {entry.name.casefold(): entry for entry in self.skills}
        for entry in self.skills:
            category = self.categories.get(entry.category)
            if category is None:
                raise ValueError(f"{entry.name}: the category {entry.category!r} is not declared")
            if entry.question_category is not None and not category.technical:
                raise ValueError(f"{entry.name}: a {entry.category} skill has no question category")
            if entry.asked_as is not None:
                _check_asked_as(entry, by_form.get(" ".join(entry.asked_as.split()).casefold()))
        return self


def _check_asked_as(entry: _Entry, subject: _Entry | None) -> None:
    if entry.question_category is not None:
        raise ValueError(f"{entry.name}: asked as {entry.asked_as}, it takes that one's category")
    if subject is None:
        return  # a subject the vocabulary lacks ("Experimentation"); the question bank has it
    if subject is entry:
        raise ValueError(f"{entry.name} is asked as itself")
    if subject.name != entry.asked_as:
        raise ValueError(f"{entry.name}: name the subject as the vocabulary does, {subject.name!r}")
    if subject.asked_as is not None:
        raise ValueError(f"{entry.name}: {subject.name} is itself asked as {subject.asked_as}")


def load_vocabulary() -> tuple[tuple[Skill, ...], dict[str, Category]]:
    """The packaged vocabulary's skills and categories; raises ``ValueError`` (pydantic's
    ``ValidationError``) on a file that breaks a rule: a duplicate name, an undeclared
    category, an ``asked_as`` that names its subject otherwise than canonically..."""
    raw = resources.files("careerflow_skills").joinpath("vocabulary.json").read_text("utf-8")
    vocabulary = VocabularyFile.model_validate(json.loads(raw))
    return tuple(entry.skill() for entry in vocabulary.skills), vocabulary.categories
