"""A job's requirements: list items and the words after cues, as topics and duties, for any
occupation; and a profile's skills matched against them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from careerflow_skills import Requirement, has_skill, job_requirements, job_skills
from careerflow_skills.phrasing import Phrasing, phrasing
from careerflow_skills.requirements import (
    MAX_REQUIREMENT_CHARS,
    MAX_REQUIREMENT_WORDS,
    MAX_REQUIREMENTS,
    read_requirements,
)
from careerflow_testing.occupations import OCCUPATIONS, Occupation


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
def test_the_requirements_a_person_reads_off_an_advert_are_found(job: Occupation) -> None:
    found = {requirement.text.casefold() for requirement in read_requirements(job.job_description)}
    assert [phrase for phrase in job.requirements if phrase.casefold() not in found] == []
    # Enough of them for five technical questions about the job itself.
    assert len(found) >= 8


def _read(text: str) -> list[tuple[str, str]]:
    return [(r.form, r.text) for r in read_requirements(text)]


def test_an_item_starting_with_a_duty_verb_is_a_duty_from_its_base_form() -> None:
    text = "Duties\n• Prepares monthly management accounts\n• Record keeping\n• IV therapy"
    assert _read(text) == [
        ("duty", "prepare monthly management accounts"),
        ("topic", "Record keeping"),
        ("topic", "IV therapy"),
    ]


def test_words_after_cues_are_topics_and_duties_anywhere_in_prose() -> None:
    text = (
        "You will teach algebra, geometry and statistics, mark coursework and support the "
        "maths club. We need experience with phlebotomy, wound care, and IV therapy, "
        "including paediatric patients. You will join a friendly team."
    )
    assert _read(text) == [
        ("duty", "teach algebra, geometry and statistics"),
        ("duty", "mark coursework and support the maths club"),
        ("topic", "phlebotomy"),
        ("topic", "wound care"),
        ("topic", "IV therapy"),
    ]


def test_a_cue_inside_another_cues_phrase_belongs_to_it() -> None:
    text = "- At least one year of supervisory experience in a hotel front office"
    assert _read(text) == [("topic", "supervisory experience in a hotel front office")]


def test_an_item_holding_a_cue_is_read_through_its_cue_only() -> None:
    text = "- Able to work weekends and bank holidays\n- Knowledge of HACCP food safety"
    assert _read(text) == [("topic", "HACCP food safety")]


def test_offers_benefits_and_pay_are_no_requirements() -> None:
    text = (
        "What we offer\n• A paid fellowship\n• Free parking\n"
        "Requirements:\nForklift certification is an advantage\nBachelor's degree in logistics\n"
        "Benefits: meals on duty\nSalary: 40,000 a year"
    )
    assert _read(text) == [("topic", "Forklift certification")]


def test_fillers_qualifiers_and_examples_are_cut_from_the_ends() -> None:
    text = (
        "- Strong knowledge of Sage or Xero (or similar)\n"
        "- Excellent food hygiene, including allergen control\n"
        "- A valid CSCS card is essential"
    )
    assert _read(text) == [
        ("topic", "Sage or Xero"),
        ("topic", "food hygiene"),
        ("topic", "CSCS card"),
    ]


def test_a_long_item_is_cut_at_a_context_word_or_dropped() -> None:
    cut = (
        "- Maintain case calendars and track court deadlines under the Federal Rules of "
        "Civil Procedure and local rules"
    )
    assert _read(cut) == [("duty", "maintain case calendars and track court deadlines")]
    endless = "- " + " ".join(["word"] * 30)
    assert _read(endless) == []


def test_wrapped_items_and_prose_are_joined_to_the_line_they_continue() -> None:
    text = (
        "- Design low and medium voltage distribution systems for hospitals\n"
        "  and data centres\n"
        "We are hiring. You will titrate vasoactive infusions\n"
        "to agreed targets."
    )
    assert _read(text) == [
        (
            "duty",
            "design low and medium voltage distribution systems for hospitals and data centres",
        ),
        ("duty", "titrate vasoactive infusions to agreed targets"),
    ]


def test_requirements_are_bounded_in_number_and_size() -> None:
    text = "\n".join(f"- Skill number {index} of the job" for index in range(100))
    found = read_requirements(text)
    assert len(found) == MAX_REQUIREMENTS
    for requirement in read_requirements(OCCUPATIONS[0].job_description) + found:
        assert len(requirement.text) <= MAX_REQUIREMENT_CHARS
        assert len(requirement.text.split()) <= MAX_REQUIREMENT_WORDS


def test_the_job_skill_list_is_the_vocabulary_skills_then_phrases_that_say_more() -> None:
    text = (
        "- Advanced Excel skills, including pivot tables\n"
        "- Proficiency in Excel for shipment reports\n"
        "- Experience with Python"
    )
    assert job_requirements(text) == [
        Requirement("Microsoft Excel", "topic"),
        Requirement("Python", "topic"),
        Requirement("Excel for shipment reports", "topic"),
    ]
    assert job_skills("We want Python, Django and PostgreSQL; Kubernetes is a plus.") == [
        "Python",
        "Django",
        "PostgreSQL",
        "Kubernetes",
    ]


@pytest.mark.parametrize(
    ("skills", "wanted", "held"),
    [
        (["python3"], "Python", True),
        (["Java"], "JavaScript", False),
        (["Ventilator management"], "ventilator management and arterial line monitoring", True),
        (["Relativity"], "manage document productions and privilege logs in Relativity", True),
        (["Incoterms 2020"], "Incoterms", True),
        (["NEC"], "nec", True),
        (["IT"], "keep it simple and safe", False),
        (["Wound care"], "ventilator management", False),
        ([], "ventilator management", False),
    ],
)
def test_a_profile_holds_a_skill_or_a_requirement(
    skills: list[str], wanted: str, held: bool
) -> None:
    assert has_skill(skills, wanted) is held


def test_the_phrase_lists_are_validated() -> None:
    data = phrasing().model_dump()
    with pytest.raises(ValidationError, match="lower case"):
        Phrasing.model_validate({**data, "duty_verbs": ["Prepare"]})
    with pytest.raises(ValidationError, match="listed twice"):
        Phrasing.model_validate({**data, "topic_cues": ["knowledge of", "knowledge of"]})
    with pytest.raises(ValidationError, match="single-spaced"):
        Phrasing.model_validate({**data, "context_words": ["such  as"]})
    with pytest.raises(ValidationError):
        Phrasing.model_validate({**data, "not_skills": []})
