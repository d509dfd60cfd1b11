"""Which skills the technical questions are about, in which order.

The order is the issue's: skills the job description asks for *and* the resume shows, then the
job's alone, then the resume's alone, then the role family's defaults. Within one tier the order
is shuffled by the session's random generator, so two sessions for the same job get different
questions while one session always gets the same ones.

A software family reads the job's skills with the vocabulary. Any other job (``generic``: a
nurse's, an accountant's) is asked about its own requirements (``careerflow_skills``' job skill
list: the requirement phrases first, then the vocabulary's skills) and the resume's overlap with
them, each a subject of the workplace bank; a subject that would bring a software term the job
description does not use is left out, and so is a credential ("RN licence"): the questions are
about the work.

Soft skills and spoken languages are never the subject of a technical question.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import careerflow_skills
from careerflow_contracts import CandidateProfile
from careerflow_question_gen.roles import FAMILY_SPECS, RoleFamily
from careerflow_question_gen.software_terms import software_terms_in
from careerflow_question_gen.technical_bank import skill_key, subject_category
from careerflow_question_gen.workplace_bank import workplace_bank
from careerflow_skills import RequirementForm

SkillOrigin = Literal["both", "job", "resume", "role"]

MAX_SKILL_NAME = 40
"""Longer "skills" from a resume are sentences that slipped through, not skill names."""
MAX_REQUIREMENT_NAME = 90
"""A job's requirement may be a short clause ("titrate vasoactive infusions to agreed blood
pressure targets"); ``careerflow_skills`` bounds it the same way."""
MAX_RESUME_SUBJECTS = 50
WORKPLACE_CATEGORY = "workplace"
"""The question category of every subject of a job outside the software families."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SkillChoice:
    """One skill to ask about: its display name, question category and where it came from."""

    name: str
    key: str
    category: str
    origin: SkillOrigin
    form: RequirementForm = "topic"
    """A topic ("ventilator management") or a duty ("titrate vasoactive infusions")."""


def clean_skill_name(raw: str, max_chars: int = MAX_SKILL_NAME) -> str | None:
    """A skill name fit to print in a question, canonical where the vocabulary knows it."""
    name = " ".join(_CONTROL.sub(" ", raw).split())
    if not name or len(name) > max_chars or not any(ch.isalpha() for ch in name):
        return None
    if "{" in name or "}" in name:
        return None
    return careerflow_skills.canonical(name) or name


def question_category(name: str, family: RoleFamily) -> str | None:
    """The question category for a skill, or ``None`` for one never asked about technically.

    The vocabulary decides: a soft skill or a spoken language is never asked about; a skill
    asked as another subject takes that subject's category; a skill's own question category
    comes first, then, for a framework, library or tool the family reads in its own terms, the
    family's, else its category's. A subject the vocabulary lacks takes the bank's category for
    it, or else the family's.
    """
    skill = careerflow_skills.skill_of(name)
    if skill is not None and not careerflow_skills.CATEGORIES[skill.category].technical:
        return None
    subject = skill
    if skill is not None and skill.asked_as is not None:
        subject = careerflow_skills.skill_of(skill.asked_as)
    family_spec = FAMILY_SPECS[family]
    if subject is None:
        return subject_category(name) or family_spec.category
    if subject.question_category is not None:
        return subject.question_category
    if subject.category in family_spec.own_category_for:
        return family_spec.category
    return careerflow_skills.CATEGORIES[subject.category].question_category


def job_skills(job_description: str) -> list[str]:
    """The vocabulary's skills the job description names, in order of first appearance."""
    return careerflow_skills.find_skills(job_description)


def resume_skills(profile: CandidateProfile) -> list[str]:
    """The skills the resume shows, cleaned and canonical, each once, in the resume's order."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in profile.skills:
        name = clean_skill_name(raw)
        if name is None:
            continue
        key = skill_key(name)
        if key and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def select_skills(
    job_description: str,
    profile: CandidateProfile,
    family: RoleFamily,
    rng: random.Random,
) -> list[SkillChoice]:
    """Every technical skill worth a question, best first: both, job, resume, role defaults."""
    if not FAMILY_SPECS[family].software:
        return select_workplace_subjects(job_description, profile, family, rng)
    from_job = _technical(job_skills(job_description), family, "job")
    from_resume = _technical(resume_skills(profile), family, "resume")
    from_role = _technical(FAMILY_SPECS[family].default_skills, family, "role")

    resume_keys = {choice.key for choice in from_resume}
    job_keys = {choice.key for choice in from_job}
    both = [replace(c, origin="both") for c in from_job if c.key in resume_keys]
    job_only = [c for c in from_job if c.key not in resume_keys]
    resume_only = [c for c in from_resume if c.key not in job_keys]
    taken = job_keys | resume_keys
    role = [c for c in from_role if c.key not in taken]

    ordered: list[SkillChoice] = []
    for tier in (both, job_only, resume_only):
        shuffled = list(tier)
        rng.shuffle(shuffled)
        ordered.extend(shuffled)
    # The role's defaults keep their order, most typical first: they are a last resort, and the
    # variety between sessions comes from the templates chosen for them.
    ordered.extend(role)
    return ordered


def _technical(names: Iterable[str], family: RoleFamily, origin: SkillOrigin) -> list[SkillChoice]:
    choices: list[SkillChoice] = []
    seen: set[str] = set()
    for raw in names:
        name = careerflow_skills.canonical(raw) or raw
        key = skill_key(name)
        category = question_category(name, family)
        if not key or key in seen or category is None:
            continue
        seen.add(key)
        choices.append(SkillChoice(name=name, key=key, category=category, origin=origin))
    return choices


def select_workplace_subjects(
    job_description: str,
    profile: CandidateProfile,
    family: RoleFamily,
    rng: random.Random,
) -> list[SkillChoice]:
    """The subjects of a job outside the software families, best first: the job's requirements
    the resume shows, the job's requirement phrases, the vocabulary's skills the job names, the
    resume's skills, then the role's default subjects."""
    allowed_terms = software_terms_in(job_description)
    credentials = frozenset(workplace_bank().credential_words)

    def fits(name: str) -> bool:
        return software_terms_in(name) <= allowed_terms and not _soft(name)

    def about_the_work(name: str) -> bool:
        # "RN licence" is a requirement, but a question about it would ask nothing.
        return not credentials.intersection(
            word.strip(".,;:()").casefold() for word in name.split()
        )

    resume = [
        name
        for name in resume_skills(profile)[:MAX_RESUME_SUBJECTS]
        if fits(name) and about_the_work(name)
    ]
    both: list[SkillChoice] = []
    phrases: list[SkillChoice] = []
    known: list[SkillChoice] = []
    shown: set[str] = set()  # the resume skills a requirement of the job covers
    seen: set[str] = set()
    for requirement in careerflow_skills.job_requirements(job_description):
        name = clean_skill_name(requirement.text, MAX_REQUIREMENT_NAME)
        key = skill_key(name or "")
        if name is None or not key or key in seen or not fits(name) or not about_the_work(name):
            continue
        seen.add(key)
        holders = [skill for skill in resume if careerflow_skills.has_skill([skill], name)]
        shown.update(holders)
        origin: SkillOrigin = "both" if holders else "job"
        choice = SkillChoice(name, key, WORKPLACE_CATEGORY, origin, requirement.form)
        if holders:
            both.append(choice)
        elif careerflow_skills.canonical(name) is None:
            phrases.append(choice)
        else:
            known.append(choice)
    resume_only = [
        SkillChoice(name, skill_key(name), WORKPLACE_CATEGORY, "resume")
        for name in resume
        if name not in shown and skill_key(name) not in seen and skill_key(name)
    ]
    ordered: list[SkillChoice] = []
    for tier in (both, phrases, known, resume_only):
        shuffled = list(tier)
        rng.shuffle(shuffled)
        ordered.extend(shuffled)
    taken = {choice.key for choice in ordered}
    ordered += [
        SkillChoice(name, skill_key(name), WORKPLACE_CATEGORY, "role")
        for name in FAMILY_SPECS[family].default_skills
        if skill_key(name) not in taken
    ]
    return ordered


def _soft(name: str) -> bool:
    skill = careerflow_skills.skill_of(name)
    return skill is not None and not careerflow_skills.CATEGORIES[skill.category].technical
