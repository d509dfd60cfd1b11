"""The question banks are data files validated as they are read: a bad entry is refused with
the rule it breaks, so a person adding a question learns at once what is wrong."""

import re

import pytest
from pydantic import ValidationError

from careerflow_question_gen.behavioral_bank import BehavioralBank, behavioral_bank
from careerflow_question_gen.technical_bank import TechnicalBank, technical_bank


def test_the_behavioral_bank_refuses_thin_competencies_subjects_and_unknown_families() -> None:
    data = behavioral_bank().model_dump()
    thin = {
        **data,
        "questions": {**data["questions"], "conflict": data["questions"]["conflict"][:3]},
    }
    with pytest.raises(ValidationError, match="fewer than four"):
        BehavioralBank.model_validate(thin)
    named = dict(data["questions"]["failure"][0])
    named["text"] = (
        "Tell me about a time your work with {skill} failed, and what you changed after."
    )
    subject = {
        **data,
        "questions": {**data["questions"], "failure": [named, *data["questions"]["failure"]]},
    }
    with pytest.raises(ValidationError, match="names a subject"):
        BehavioralBank.model_validate(subject)
    unknown = {**data, "family_questions": {"astronaut": data["family_questions"]["devops"]}}
    with pytest.raises(ValidationError, match="astronaut"):
        BehavioralBank.model_validate(unknown)
    stray = {**data, "family_questions": {"devops": {"courage": data["questions"]["conflict"]}}}
    with pytest.raises(ValidationError, match="unknown competencies"):
        BehavioralBank.model_validate(stray)


def test_a_question_needs_a_real_text_and_three_to_five_points() -> None:
    data = behavioral_bank().model_dump()
    short = {"text": "Why?", "points": ["a", "bb", "cc"]}
    spoiled = {**data, "questions": {**data["questions"], "learning": [short] * 4}}
    with pytest.raises(ValidationError) as refused:
        BehavioralBank.model_validate(spoiled)
    fields = {error["loc"][-1] for error in refused.value.errors()}
    assert {"text", 0} <= fields  # the text is too short, and so is the point "a"
    two_points = {**data["questions"]["learning"][0], "points": ["one point", "another"]}
    spoiled = {**data, "questions": {**data["questions"], "learning": [two_points] * 4}}
    with pytest.raises(ValidationError, match="at least 3 items"):
        BehavioralBank.model_validate(spoiled)


def test_the_technical_bank_refuses_thin_categories_unnamed_subjects_and_one_skill_twice() -> None:
    data = technical_bank().model_dump()
    categories = data["categories"]
    thin = {**data, "categories": {**categories, "cloud": categories["cloud"][:3]}}
    with pytest.raises(ValidationError, match="fewer than four"):
        TechnicalBank.model_validate(thin)
    unnamed = {**categories["cloud"][0], "text": "How do you keep a cloud bill under control?"}
    spoiled = {**data, "categories": {**categories, "cloud": [unnamed, *categories["cloud"]]}}
    with pytest.raises(ValidationError, match="names no"):
        TechnicalBank.model_validate(spoiled)
    twice = {**data, "skills": {**data["skills"], "Golang": data["skills"]["Python"]}}
    with pytest.raises(ValidationError, match="name 'Golang' as the vocabulary does: 'Go'"):
        TechnicalBank.model_validate(twice)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"skills": {"Jenkins": "Python"}}, "Jenkins is asked as CI/CD: give it those questions"),
        ({"skills": {"Pair programming": "Python"}}, "no vocabulary skill: give it a subject"),
        ({"subject_categories": {"Docker": "devops"}}, "Docker is a vocabulary skill"),
        ({"subject_categories": {"OWASP": "astrology"}}, "no templates for the category"),
        (
            {"skills": {"OWASP ": "Python"}, "subject_categories": {"OWASP ": "security"}},
            "'OWASP' and 'OWASP ' are one skill",
        ),
    ],
)
def test_the_technical_bank_names_its_skills_as_the_vocabulary_does(
    change: dict[str, dict[str, str]], problem: str
) -> None:
    data = technical_bank().model_dump()
    skills = {name: data["skills"][source] for name, source in change.get("skills", {}).items()}
    spoiled = {
        **data,
        "skills": {**data["skills"], **skills},
        "subject_categories": {
            **data["subject_categories"],
            **change.get("subject_categories", {}),
        },
    }
    with pytest.raises(ValidationError, match=re.escape(problem)):
        TechnicalBank.model_validate(spoiled)


def test_every_subject_the_vocabulary_asks_as_has_questions_and_a_category() -> None:
    data = technical_bank().model_dump()
    without = {name: qs for name, qs in data["skills"].items() if name != "Experimentation"}
    with pytest.raises(ValidationError, match="A/B Testing is asked as Experimentation"):
        TechnicalBank.model_validate({**data, "skills": without})
