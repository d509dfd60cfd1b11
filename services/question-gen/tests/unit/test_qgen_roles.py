"""Role families are recognised from the target role, the most specific family winning."""

import pytest
from pydantic import ValidationError

from careerflow_question_gen.roles import (
    FAMILY_SPECS,
    ROLE_FAMILIES,
    RoleFamilies,
    detect_role_family,
    role_families,
    seniority_difficulty,
)


@pytest.mark.parametrize(
    ("role", "family"),
    [
        ("Senior Backend Engineer", "backend"),
        ("Back-end developer (Python)", "backend"),
        ("Java Developer", "backend"),
        ("Go engineer", "backend"),
        (".NET developer", "backend"),
        ("Frontend Engineer", "frontend"),
        ("React Developer", "frontend"),
        ("JavaScript developer", "frontend"),
        ("Full-Stack Developer", "fullstack"),
        ("Fullstack engineer (React/Node)", "fullstack"),
        ("Data Engineer", "data"),
        ("Senior Data Scientist", "data"),
        ("BI Analyst", "data"),
        ("Machine Learning Engineer", "ml"),
        ("ML Platform Engineer", "ml"),
        ("AI Engineer", "ml"),
        ("NLP Research Scientist", "ml"),
        ("DevOps Engineer", "devops"),
        ("Site Reliability Engineer", "devops"),
        ("SRE", "devops"),
        ("Platform Engineer", "devops"),
        ("iOS Developer", "mobile"),
        ("Android engineer", "mobile"),
        ("Mobile QA Engineer", "qa"),
        ("SDET", "qa"),
        ("Software Engineer in Test", "qa"),
        ("Penetration Tester", "security"),
        ("Application Security Engineer", "security"),
        ("Product Manager", "product"),
        ("ML Product Manager", "product"),
        ("Product Owner", "product"),
        ("Technical Project Manager", "project"),
        ("Scrum Master", "project"),
        ("Program Manager", "project"),
        ("Software Engineer", "software"),
        ("Firmware developer", "software"),
        ("Registered Nurse", "generic"),
        ("Security Officer", "generic"),
        ("Go-to-market lead", "generic"),
        ("Chief of Staff", "generic"),
        ("", "generic"),
        ("   ", "generic"),
        ("🦄🦄", "generic"),
    ],
)
def test_role_family_is_recognised(role: str, family: str) -> None:
    assert detect_role_family(role) == family


def test_words_inside_other_words_do_not_match() -> None:
    # "ai" in "maintainer", "java" in "javanese", "go" in "google", "qa" in "qatar"
    assert detect_role_family("Maintainer") == "generic"
    assert detect_role_family("Javanese translator") == "generic"
    assert detect_role_family("Google liaison") == "generic"
    assert detect_role_family("Qatar office coordinator") == "generic"


def test_every_family_is_described_once_and_generic_is_last() -> None:
    families = [spec.family for spec in ROLE_FAMILIES]
    assert len(families) == len(set(families)) == 13
    assert families[-1] == "generic"
    assert all(FAMILY_SPECS[family].default_skills for family in families)


@pytest.mark.parametrize(
    ("role", "years", "difficulty"),
    [
        ("Junior Python Developer", 10, "easy"),
        ("Backend Intern", None, "easy"),
        ("Senior Backend Engineer", 1, "hard"),
        ("Staff Engineer", None, "hard"),
        ("Backend Engineer", None, "medium"),
        ("Backend Engineer", 1.5, "easy"),
        ("Backend Engineer", 4, "medium"),
        ("Backend Engineer", 12, "hard"),
    ],
)
def test_difficulty_follows_the_level_of_the_role_then_the_years(
    role: str, years: float | None, difficulty: str
) -> None:
    assert seniority_difficulty(role, years) == difficulty


def test_the_file_refuses_a_missing_family_a_bad_pattern_and_generic_out_of_place() -> None:
    data = role_families().model_dump()
    missing = {**data, "families": data["families"][1:]}
    with pytest.raises(ValidationError, match="every role family is described once"):
        RoleFamilies.model_validate(missing)
    broken = {**data, "families": [{**data["families"][0], "patterns": ["product("]}]}
    with pytest.raises(ValidationError, match="not a regular expression"):
        RoleFamilies.model_validate(broken)
    generic_first = {**data, "families": [data["families"][-1], *data["families"][:-1]]}
    with pytest.raises(ValidationError, match="generic comes last"):
        RoleFamilies.model_validate(generic_first)


def test_a_family_names_categories_that_exist() -> None:
    data = role_families().model_dump()
    first, *rest = data["families"]
    no_templates = {**data, "families": [{**first, "category": "astrology"}, *rest]}
    with pytest.raises(ValidationError, match="no templates for the category astrology"):
        RoleFamilies.model_validate(no_templates)
    unknown = {**data, "families": [{**first, "own_category_for": ["gadget"]}, *rest]}
    with pytest.raises(ValidationError, match="no vocabulary categories"):
        RoleFamilies.model_validate(unknown)
