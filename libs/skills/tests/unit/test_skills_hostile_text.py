"""No text makes the skill matcher, the requirement reader or the skills-list reader slow: job
descriptions and resumes are user input.

Every call is bounded (``time_bound``, a few seconds: each takes milliseconds when the patterns
are linear), over a list of known hostile strings and over Hypothesis' own.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerflow_skills import (
    VOCABULARY,
    find_skills,
    has_skill,
    job_requirements,
    listed_skills,
    mentions,
)
from careerflow_skills.listing import MAX_ITEM_CHARS
from careerflow_skills.requirements import MAX_REQUIREMENT_CHARS, MAX_REQUIREMENT_WORDS
from careerflow_testing.hostile_text import HOSTILE_TEXTS, time_bound

JOB_DESCRIPTION_CHARS = 20_000
"""The longest job description the contracts accept."""
RESUME_CHARS = 40_000
"""The longest resume text the parser reads."""

# The skills the list pass and the sentence rule treat specially, and one the vocabulary lacks.
CLAIMED = ("Go", "C", "Python", "Spring Boot", "Kubernetes", "Underwater Basket Weaving")


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_hostile_text_is_matched_within_the_bound(text: str) -> None:
    with time_bound():
        find_skills(text)
    for skill in CLAIMED:
        with time_bound():
            mentions(text, skill)


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_hostile_text_is_read_as_requirements_and_as_a_skills_list_within_the_bound(
    text: str,
) -> None:
    with time_bound():
        job_requirements(text)
    with time_bound():
        listed_skills(text)
    with time_bound():
        has_skill([text[:RESUME_CHARS], "Ventilator management", "Go"], "wound care and triage")
    with time_bound():
        has_skill(["Ventilator management", "Python"], text[:JOB_DESCRIPTION_CHARS])


def test_a_job_description_of_spaces_is_matched_within_the_bound() -> None:
    with time_bound():
        assert find_skills(" " * JOB_DESCRIPTION_CHARS) == []


def test_every_list_skill_is_checked_against_a_long_list_within_one_bound() -> None:
    # The guard of a model's profile asks about each claimed skill in turn: 80 claims of Go, C,
    # R, Swift... against a resume that is one long list took seconds when each question cut
    # the whole text into items.
    text = ("Go/" + "1/" * 1_000) * (RESUME_CHARS // 2_003)
    listed = [
        skill.name
        for skill in VOCABULARY.values()
        if any(alias.rule in ("ambiguous", "list_only") for alias in skill.aliases)
    ]
    assert len(listed) >= 50
    with time_bound():
        found = [skill for skill in listed if mentions(text, skill)]
    assert found == ["Go"]


def test_skills_inside_hostile_padding_are_still_found() -> None:
    padding = " " * 5_000
    text = f"Python{padding}and{padding}Go, C,{padding}Kubernetes"
    with time_bound():
        assert find_skills(text) == ["Python", "Go", "C", "Kubernetes"]


# Text that looks like job descriptions: words, separators, list punctuation, whitespace runs.
_PIECES = st.sampled_from(
    [
        "Python", "Go", "C", "and", "or", "&", ",", ", ", ";", "|", "/", ".", "-", " - ", ":",
        "•", "(", ")", "\n", "\t", " ", "   ", "a", "A.", "a-", "Spring", "2021", "node.js",
        "C++", "C#", ".NET", "k8s", "Kubernetes", "é", "ß", "’",
        "experience with", "knowledge of", "you will", "years of", "Prepare", "manage",
        "\n- ", "\n• ", "\n  ", "Requirements:", "What we offer", "is a plus", "(", "e.g.",
        "including", "Strong", "the", "ventilator management", "A.a.", "1. ",
    ]
)  # fmt: skip
_JOB_TEXT = st.one_of(
    st.lists(_PIECES, max_size=400).map("".join),
    st.text(max_size=2_000),
    st.builds(lambda piece, count: piece * count, _PIECES, st.integers(1, 5_000)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_JOB_TEXT)
def test_any_text_is_matched_within_the_bound(text: str) -> None:
    text = text[:JOB_DESCRIPTION_CHARS]
    with time_bound():
        found = find_skills(text)
    assert len(found) == len(set(found))
    with time_bound():
        for skill in found:
            assert mentions(text, skill)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_JOB_TEXT)
def test_any_text_gives_bounded_requirements_and_list_items_within_the_bound(text: str) -> None:
    text = text[:JOB_DESCRIPTION_CHARS]
    with time_bound():
        requirements = job_requirements(text)
    for requirement in requirements:
        assert requirement.text == requirement.text.strip() and requirement.text
        assert len(requirement.text) <= MAX_REQUIREMENT_CHARS or requirement.text in VOCABULARY
        assert len(requirement.text.split()) <= MAX_REQUIREMENT_WORDS
        assert any(char.isalpha() for char in requirement.text)
    with time_bound():
        listed = listed_skills(text)
    assert len({name.casefold() for name in listed}) == len(listed)
    for name in listed:
        assert name in VOCABULARY or (0 < len(name) <= MAX_ITEM_CHARS and name == name.strip())
