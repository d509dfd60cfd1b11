"""The technical question bank (``technical_questions.json``): questions written for named
skills, and templates per question category for every other skill.

What a skill is, which names mean it and which question category it belongs to is the shared
vocabulary's (``careerflow_skills``); the bank only adds questions, and a question category for
each subject the vocabulary lacks ("Threat modeling"). The bank is data, read once and validated
here: every question category has at least four templates, each naming its subject as
``{skill}`` (the skill's display name); a skill's own questions are listed once, under its
vocabulary name; every category the vocabulary or a subject names has templates; and every
subject a vocabulary skill is asked as has questions.

    technical_bank()          the validated bank
    skill_key(name)           the key of a skill's questions: "Node.js" -> "nodejs", "Golang" and
                              "Go" -> "go", "Jenkins" -> "cicd" (asked as CI/CD)
    subject_category(name)    the question category of a subject the vocabulary lacks, or None
    SKILL_QUESTIONS           skill key -> the questions written for that skill
    CATEGORY_QUESTIONS        question category -> templates for any skill of it
    CATEGORIES                the question categories
"""

from __future__ import annotations

import re
from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

import careerflow_skills
from careerflow_question_gen.bank_types import PLACEHOLDER, QuestionTemplate
from careerflow_question_gen.data_files import read_data_file

MIN_TEMPLATES_PER_CATEGORY = 4

_KEY_CHARS = re.compile(r"[^a-z0-9+#]")


def question_subject(name: str) -> str:
    """What a skill's questions are about: the subject the vocabulary says it is asked as, or
    its canonical name; a name the vocabulary lacks is its own subject."""
    skill = careerflow_skills.skill_of(name)
    if skill is None:
        return name
    return skill.asked_as or skill.name


def skill_key(name: str) -> str:
    """The key of a skill's questions, the same for every name of one subject: "Node.js" ->
    "nodejs", "Golang" and "Go" -> "go", "Jenkins" -> "cicd"."""
    return _KEY_CHARS.sub("", question_subject(name).lower())


class TechnicalBank(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    subject_categories: dict[str, str]
    skills: dict[str, tuple[QuestionTemplate, ...]]
    categories: dict[str, tuple[QuestionTemplate, ...]]

    @model_validator(mode="after")
    def _templates_per_category(self) -> Self:
        for category, templates in self.categories.items():
            if len(templates) < MIN_TEMPLATES_PER_CATEGORY:
                raise ValueError(f"the category {category} has fewer than four templates")
            for template in templates:
                if PLACEHOLDER not in template.text:
                    raise ValueError(f"a {category} template names no {PLACEHOLDER}")
        return self

    @model_validator(mode="after")
    def _skills_as_the_vocabulary_names_them(self) -> Self:
        for name, questions in self.skills.items():
            if not questions:
                raise ValueError(f"{name} has no questions")
            skill = careerflow_skills.skill_of(name)
            if skill is not None and skill.name != name:
                raise ValueError(f"name {name!r} as the vocabulary does: {skill.name!r}")
            if skill is not None and skill.asked_as is not None:
                raise ValueError(f"{name} is asked as {skill.asked_as}: give it those questions")
            if skill is None and name not in self.subject_categories:
                raise ValueError(f"{name} is no vocabulary skill: give it a subject category")
        by_key: dict[str, str] = {}
        for name in self.skills:
            other = by_key.setdefault(skill_key(name), name)
            if other != name:
                raise ValueError(f"{other!r} and {name!r} are one skill: list its questions once")
        return self

    @model_validator(mode="after")
    def _every_category_has_templates(self) -> Self:
        for subject, category in self.subject_categories.items():
            if careerflow_skills.skill_of(subject) is not None:
                raise ValueError(f"{subject} is a vocabulary skill, whose category is said there")
            if category not in self.categories:
                raise ValueError(f"{subject}: no templates for the category {category}")
        vocabulary = careerflow_skills.VOCABULARY.values()
        named = [skill.question_category for skill in vocabulary]
        named += [category.question_category for category in careerflow_skills.CATEGORIES.values()]
        missing = sorted({category for category in named if category} - set(self.categories))
        if missing:
            raise ValueError(f"the vocabulary names categories without templates: {missing}")
        for skill in vocabulary:
            asked_as = skill.asked_as
            if asked_as is not None and careerflow_skills.skill_of(asked_as) is None:
                if asked_as not in self.skills or asked_as not in self.subject_categories:
                    raise ValueError(f"{skill.name} is asked as {asked_as}, which has no questions")
        return self


@cache
def technical_bank() -> TechnicalBank:
    """The packaged bank, read and validated once."""
    return read_data_file(TechnicalBank, "technical_questions.json")


SKILL_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = {
    skill_key(name): questions for name, questions in technical_bank().skills.items()
}
"""Questions written for one skill each, by skill key; the concrete points make them gradable."""
CATEGORY_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = technical_bank().categories
"""Templates for any skill of a category; ``{skill}`` is the skill's display name."""
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_QUESTIONS)
"""Question categories. Every category has at least four templates in ``CATEGORY_QUESTIONS``."""

_SUBJECT_CATEGORIES = {
    skill_key(subject): category
    for subject, category in technical_bank().subject_categories.items()
}


def subject_category(name: str) -> str | None:
    """The question category of a subject the vocabulary lacks ("Threat modeling", or
    "A/B Testing", asked as Experimentation), or ``None``."""
    return _SUBJECT_CATEGORIES.get(skill_key(name))
