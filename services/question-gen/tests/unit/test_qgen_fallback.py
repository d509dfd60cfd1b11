"""The fallback set: role-aware, job-aware, deterministic per session, varied across sessions."""

import random
import uuid

import pytest

from careerflow_contracts import QuestionsRequestedPayload, ResumeProfile
from careerflow_question_gen.behavioral_bank import BEHAVIORAL_QUESTIONS, COMPETENCIES
from careerflow_question_gen.drafts import normalised_text
from careerflow_question_gen.fallback import (
    fallback_behavioral,
    fallback_questions,
    fallback_technical,
    question_seed,
)
from careerflow_question_gen.plan import plan_questions, split_count
from careerflow_question_gen.roles import ROLE_FAMILIES
from careerflow_question_gen.technical_bank import CATEGORIES, CATEGORY_QUESTIONS, SKILL_QUESTIONS


def _payload(**changes: object) -> QuestionsRequestedPayload:
    fields: dict[str, object] = {
        "target_role": "Senior Backend Engineer",
        "job_description": "Python, PostgreSQL, Kubernetes and Kafka; AWS is a plus.",
        "profile": ResumeProfile(skills=["Python", "PostgreSQL", "Django"], years_experience=6),
    }
    fields.update(changes)
    return QuestionsRequestedPayload.model_validate(fields)


def test_ten_questions_five_of_each_kind_technical_first() -> None:
    questions = fallback_questions(_payload(), "seed")
    assert [q.position for q in questions] == list(range(1, 11))
    assert [q.kind for q in questions] == ["technical"] * 5 + ["behavioral"] * 5
    assert all(q.source == "fallback" for q in questions)
    assert all(3 <= len(q.expected_points) <= 5 for q in questions)


def test_technical_questions_start_with_skills_both_sides_share() -> None:
    questions = fallback_questions(_payload(), "seed")
    assert {q.skill for q in questions[:2]} == {"Python", "PostgreSQL"}
    assert {q.skill for q in questions[2:4]} <= {
        "Kubernetes",
        "Apache Kafka",
        "Amazon Web Services",
    }


def test_the_same_session_gets_the_same_questions() -> None:
    seed = question_seed(uuid.UUID(int=7), 1)
    assert fallback_questions(_payload(), seed) == fallback_questions(_payload(), seed)


def test_sessions_and_regenerations_get_variety() -> None:
    session = uuid.uuid4()
    sets = {
        tuple(q.text for q in fallback_questions(_payload(), question_seed(session, generation)))
        for generation in range(1, 11)
    }
    assert len(sets) >= 8


def test_behavioral_questions_cover_distinct_competencies() -> None:
    drafts = fallback_behavioral("software", "medium", 8, random.Random(3), set())
    competency_of = {
        normalised_text(t.text): name for name, ts in BEHAVIORAL_QUESTIONS.items() for t in ts
    }
    assert {competency_of[normalised_text(d.text)] for d in drafts} == set(COMPETENCIES)


def test_asking_for_no_questions_of_a_kind_draws_no_random_numbers() -> None:
    """The rest of a set after a model's questions draws from one generator, technical first:
    a kind with none left to write must leave it as it was for the other."""
    plan = plan_questions(_payload(), "seed")
    rng = random.Random("seed")
    before = rng.getstate()
    assert fallback_technical(plan.skills, "medium", 0, rng, set()) == []
    assert fallback_behavioral(plan.family, "medium", 0, rng, set()) == []
    assert rng.getstate() == before


def test_a_family_gets_its_own_behavioral_questions_first() -> None:
    payload = _payload(target_role="Site Reliability Engineer", count=16)
    texts = [q.text for q in fallback_questions(payload, "x") if q.kind == "behavioral"]
    assert any("production incident" in text for text in texts)


@pytest.mark.parametrize("spec", ROLE_FAMILIES, ids=lambda spec: spec.family)
def test_every_family_can_fill_the_largest_set_with_nothing_to_go_on(spec) -> None:  # type: ignore[no-untyped-def]
    payload = _payload(
        target_role=spec.family, job_description="-", profile=ResumeProfile(), count=50
    )
    questions = fallback_questions(payload, "big")
    assert len(questions) == 50
    assert len({normalised_text(q.text) for q in questions}) == 50


def test_odd_counts_give_the_extra_question_to_the_technical_side() -> None:
    assert split_count(10) == (5, 5)
    assert split_count(7) == (4, 3)
    assert split_count(2) == (1, 1)
    kinds = [q.kind for q in fallback_questions(_payload(count=7), "s")]
    assert kinds.count("technical") == 4 and kinds.count("behavioral") == 3


def test_every_bank_entry_has_three_to_five_points_and_a_real_question() -> None:
    templates = [t for ts in SKILL_QUESTIONS.values() for t in ts]
    templates += [t for ts in CATEGORY_QUESTIONS.values() for t in ts]
    templates += [t for ts in BEHAVIORAL_QUESTIONS.values() for t in ts]
    for template in templates:
        assert 3 <= len(template.points) <= 5, template.text
        assert 40 <= len(template.text) <= 300, template.text
    assert set(CATEGORY_QUESTIONS) == set(CATEGORIES)
    assert all(len(CATEGORY_QUESTIONS[c]) >= 4 for c in CATEGORIES)


def test_unknown_skills_get_category_templates_with_the_skill_named() -> None:
    payload = _payload(
        target_role="QA Engineer",
        job_description="Experience with JMeter and Postman.",
        profile=ResumeProfile(),
    )
    technical = [q for q in fallback_questions(payload, "s") if q.kind == "technical"]
    for question in technical[:2]:
        assert question.skill in {"JMeter", "Postman"}
        assert question.skill in question.text
