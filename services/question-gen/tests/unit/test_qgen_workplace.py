"""Any job, not only software: with the model down, a nurse is asked about nursing.

For the adverts of eight occupations (``careerflow_testing.occupations``) and for Hypothesis'
own text, the fallback's ten questions are valid, none uses a software term the job description
does not, and at least four of the five technical questions are about a requirement of the job.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from qgen_checks import assert_valid_questions

from careerflow_contracts import CandidateProfile, Question, QuestionsRequestedPayload
from careerflow_question_gen.behavioral_bank import BEHAVIORAL_QUESTIONS, FAMILY_QUESTIONS
from careerflow_question_gen.drafts import normalised_text
from careerflow_question_gen.fallback import fallback_behavioral, fallback_questions
from careerflow_question_gen.roles import FAMILY_SPECS, detect_role_family
from careerflow_question_gen.skill_selection import MAX_REQUIREMENT_NAME, clean_skill_name
from careerflow_question_gen.software_terms import software_terms_in
from careerflow_question_gen.workplace_bank import (
    WorkplaceBank,
    behavioral_questions,
    workplace_bank,
)
from careerflow_skills import job_skills
from careerflow_testing.occupations import OCCUPATIONS, Occupation

SEEDS = [f"session-{index}:1" for index in range(6)]


def _payload(job: Occupation, **changes: object) -> QuestionsRequestedPayload:
    fields: dict[str, object] = {
        "target_role": job.target_role,
        "job_description": job.job_description,
        "profile": CandidateProfile(skills=list(job.resume_skills), years_experience=5),
    }
    fields.update(changes)
    return QuestionsRequestedPayload.model_validate(fields)


def _software_terms_beyond(job_description: str, questions: list[Question]) -> set[str]:
    allowed = software_terms_in(job_description)
    used: set[str] = set()
    for question in questions:
        used |= software_terms_in(" ".join([question.text, *question.expected_points]))
    return used - allowed


@pytest.mark.parametrize(
    "phrase",
    [
        "Design a URL shortener",
        "Explain how Git branches work",
        "Write a SQL join",
        "How do you version an API?",
        "Our CI pipeline is slow",
        "You join a large codebase",
        "an incident in production",
        "a technical decision you disagreed with",
    ],
)
def test_the_software_term_list_catches_what_a_teacher_was_asked(phrase: str) -> None:
    assert software_terms_in(phrase)


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
def test_the_software_term_list_leaves_the_adverts_own_words_alone(job: Occupation) -> None:
    assert software_terms_in(job.job_description) == frozenset()
    assert software_terms_in("digital capital apiary legit gitter") == frozenset()


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
@pytest.mark.parametrize("seed", SEEDS)
def test_an_occupation_gets_ten_questions_about_its_own_job(job: Occupation, seed: str) -> None:
    questions = fallback_questions(_payload(job), seed)
    assert_valid_questions(questions)
    assert _software_terms_beyond(job.job_description, questions) == set()
    requirements = {skill.casefold() for skill in job_skills(job.job_description)}
    technical = [question for question in questions if question.kind == "technical"]
    about_the_job = [
        question
        for question in technical
        if question.skill is not None
        and question.skill.casefold() in requirements
        and question.skill.casefold() in question.text.casefold()
    ]
    assert len(about_the_job) >= 4, [question.text for question in technical]


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
def test_a_licence_or_a_certificate_is_not_a_subject_of_questions(job: Occupation) -> None:
    # "Tell me about the hardest case of RN licence you have handled" asks nothing: a credential
    # counts in the report's skill match, but the questions are about the work.
    credentials = ("licence", "license", "certificate", "certification", "eligibility")
    for seed in SEEDS:
        for question in fallback_questions(_payload(job), seed):
            skill = (question.skill or "").casefold()
            assert not any(word in skill.split() for word in credentials), question.text


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
def test_a_requirement_the_resume_shows_is_asked_about_first(job: Occupation) -> None:
    questions = fallback_questions(_payload(job), SEEDS[0])
    first = questions[0]
    assert first.skill is not None
    assert "resume" in first.text  # "...and your resume shows it too"


def test_the_behavioral_questions_of_any_workplace_are_the_workplace_banks() -> None:
    drafts = fallback_behavioral("generic", "medium", 25, random.Random(1), set())
    workplace = {
        normalised_text(q.text) for questions in behavioral_questions().values() for q in questions
    }
    assert {normalised_text(draft.text) for draft in drafts} <= workplace
    # A software family keeps its banks.
    software = {
        normalised_text(q.text)
        for bank in (BEHAVIORAL_QUESTIONS, FAMILY_QUESTIONS["backend"])
        for questions in bank.values()
        for q in questions
    }
    backend = fallback_behavioral("backend", "medium", 8, random.Random(1), set())
    assert {normalised_text(draft.text) for draft in backend} <= software


@pytest.mark.parametrize(
    ("role", "family"),
    [
        ("ICU Registered Nurse", "generic"),
        ("Staff Accountant", "generic"),
        ("High School Mathematics Teacher", "generic"),
        ("Electrical Engineer", "generic"),
        ("Security Officer", "generic"),
        ("Software Engineer", "software"),
        ("Senior Developer", "software"),
        ("Cyber Security Analyst", "security"),
        ("Application Security Engineer", "security"),
    ],
)
def test_only_software_roles_get_a_software_family(role: str, family: str) -> None:
    assert detect_role_family(role) == family
    assert FAMILY_SPECS[detect_role_family(role)].software is (family != "generic")


# Roles the families do not know: any text that reads as no software role, and the eight.
_ROLES = st.sampled_from([job.target_role for job in OCCUPATIONS]) | st.text(
    min_size=1, max_size=60
).filter(lambda role: detect_role_family(role) == "generic")
_LINES = st.sampled_from(
    [
        "- ", "• ", "\n", "Requirements:\n", "What we offer\n", "You will ", "Experience with ",
        "Knowledge of ", "years of ", "is a plus", ", ", " and ", "Prepare ", "Manage ",
        "monthly reports", "patient care", "the fixed asset register", "(e.g. Excel)", "{skill}",
        "SQL", "Git", "production", "codebase", "Python", "Leadership", "English",
    ]
)  # fmt: skip
_JOBS = (st.lists(_LINES, min_size=1, max_size=60).map("".join) | st.text(max_size=400)).map(
    lambda text: text if text.strip() else "x"
)
_PROFILES = st.builds(
    CandidateProfile,
    skills=st.lists(st.text(max_size=50) | _LINES, max_size=12),
    years_experience=st.none() | st.floats(min_value=0, max_value=70),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(role=_ROLES, job=_JOBS, profile=_PROFILES, seed=st.text(max_size=12))
def test_any_job_outside_software_gets_ten_valid_questions_without_software_terms(
    role: str, job: str, profile: CandidateProfile, seed: str
) -> None:
    payload = QuestionsRequestedPayload(target_role=role, job_description=job, profile=profile)
    questions = fallback_questions(payload, seed)
    assert_valid_questions(questions)
    assert _software_terms_beyond(job, questions) == set()


_SUBJECTS = (
    st.text(min_size=1, max_size=MAX_REQUIREMENT_NAME)
    .map(clean_skill_name)
    .filter(lambda name: name is not None)
)


@settings(max_examples=200, deadline=None)
@given(subject=_SUBJECTS)
def test_every_template_renders_for_any_requirement_phrase(subject: str) -> None:
    bank = workplace_bank()
    for group in bank.technical.model_dump().keys():
        for template in getattr(bank.technical, group):
            text, points = template.render(subject)
            assert text.count(subject) >= 1
            assert "{skill}" not in text and "{skill}" not in " ".join(points)
            question = Question(
                position=1, kind="technical", skill=subject, text=text, expected_points=points
            )
            assert len(question.text) <= 400
            assert 3 <= len(question.expected_points) <= 5


def test_the_bank_refuses_software_terms_missing_subjects_and_thin_competencies() -> None:
    data = workplace_bank().model_dump()
    spoiled = {**data, "technical": {**data["technical"]}}
    spoiled["technical"]["role"] = [
        {
            "text": "Tell me about {skill} in our codebase and how you reviewed it.",
            "points": ["the situation", "the method", "the outcome"],
        }
    ] * 3
    with pytest.raises(ValidationError, match="software terms"):
        WorkplaceBank.model_validate(spoiled)
    unnamed = {**data, "technical": {**data["technical"]}}
    unnamed["technical"]["resume"] = [
        {"text": "Tell me about the work on your resume you are proudest of.", "points": ["ab"] * 3}
    ] * 3
    with pytest.raises(ValidationError, match="names"):
        WorkplaceBank.model_validate(unnamed)
    thin = {
        **data,
        "behavioral": {**data["behavioral"], "conflict": data["behavioral"]["conflict"][:3]},
    }
    with pytest.raises(ValidationError, match="fewer than four"):
        WorkplaceBank.model_validate(thin)
