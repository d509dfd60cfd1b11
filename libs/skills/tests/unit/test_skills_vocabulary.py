"""The skill vocabulary: its size and shape, canonical names, aliases and the matching rules."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib import resources
from typing import Any

import pytest
from pydantic import ValidationError

from careerflow_skills import (
    CATEGORIES,
    VOCABULARY,
    Mention,
    canonical,
    category_of,
    find_skills,
    mentions,
    skill_of,
    technical_mentions,
)
from careerflow_skills.vocabulary import VocabularyFile


def test_vocabulary_has_several_hundred_skills_across_the_categories() -> None:
    assert len(VOCABULARY) >= 400
    categories = {skill.category for skill in VOCABULARY.values()}
    assert {"language", "framework", "database", "cloud", "tool", "soft"} <= categories


def test_no_alias_means_two_skills() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for skill in VOCABULARY.values():
        for alias in skill.aliases:
            owners[" ".join(alias.text.split()).casefold()].add(skill.name)
    assert {alias: names for alias, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("JS", "JavaScript"),
        ("k8s", "Kubernetes"),
        ("K8S", "Kubernetes"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("ML", "Machine Learning"),
        ("golang", "Go"),
        ("AWS", "Amazon Web Services"),
        ("react.js", "React"),
        ("  Spring   Boot ", "Spring Boot"),
        ("Underwater basket weaving", None),
    ],
)
def test_canonical_names(written: str, expected: str | None) -> None:
    assert canonical(written) == expected


def test_category_of_any_name() -> None:
    assert category_of("Python") == "language"
    assert category_of("Django") == "framework"
    assert category_of("postgres") == "database"
    assert category_of("GCP") == "cloud"
    assert category_of("Jira") == "tool"
    assert category_of("Mentoring") == "soft"
    assert category_of("nonsense") is None


def test_find_skills_in_order_of_first_appearance_each_once() -> None:
    text = "Built APIs in Python with Django on Postgres; python again, then k8s and JS."
    assert find_skills(text) == ["Python", "Django", "PostgreSQL", "Kubernetes", "JavaScript"]


def test_longest_alias_wins() -> None:
    assert find_skills("React Native and JavaScript") == ["React Native", "JavaScript"]
    assert find_skills("Spring Boot services") == ["Spring Boot"]
    assert find_skills("C++ only") == ["C++"]


def test_ambiguous_short_names_count_in_a_skills_list() -> None:
    text = "Languages: Python, Go, C, C++, R, Swift | Rust\nFrameworks: Spring, Express"
    assert find_skills(text) == [
        "Python",
        "Go",
        "C",
        "C++",
        "R",
        "Swift",
        "Rust",
        "Spring",
        "Express.js",
    ]


def test_ambiguous_names_count_inside_a_sentence() -> None:
    assert find_skills("Rewrote the ingest service in Go and Rust.") == ["Go", "Rust"]


@pytest.mark.parametrize(
    "text",
    [
        "Go to market strategy for three products.",
        "Spring 2021 semester",
        "We let it go and moved on",
        "Swift delivery of every feature",
        "Rust removal from the bridge",
        "Plan C was the express route",
        "John R. Smith",
        "Reviewed the go-to-market plan",
        "Won a prize in the ml track",
    ],
)
def test_ambiguous_words_in_ordinary_prose_are_not_skills(text: str) -> None:
    assert find_skills(text) == []


def test_urls_and_emails_are_not_skills() -> None:
    assert find_skills("github.com/someone | someone@gitlab.io | node.example.org") == []


def test_mentions_through_aliases() -> None:
    assert mentions("Ran our clusters on K8s", "Kubernetes")
    assert mentions("Ran our clusters on Kubernetes", "k8s")
    assert mentions("Heavy Postgres user", "PostgreSQL")
    assert not mentions("Java developer", "JavaScript")
    assert not mentions("JavaScript developer", "Java")
    assert mentions("Skills: Go, Python", "Go")
    assert not mentions("Go to market", "Go")


def test_mentions_of_a_skill_outside_the_vocabulary_is_a_phrase_search() -> None:
    assert mentions("Wrote firmware for the Zephyr RTOS", "zephyr rtos")
    assert not mentions("Wrote firmware", "Zephyr")
    assert not mentions("anything", "   ")


def test_categories_say_what_an_interview_asks() -> None:
    assert {skill.category for skill in VOCABULARY.values()} <= set(CATEGORIES)
    assert not CATEGORIES["soft"].technical and not CATEGORIES["spoken_language"].technical
    assert CATEGORIES["database"].question_category == "database"
    assert skill_of("k8s") is VOCABULARY["Kubernetes"]
    assert skill_of("nonsense") is None
    # React is a framework, asked about as front-end; Jenkins is asked about as CI/CD.
    assert VOCABULARY["React"].question_category == "frontend"
    assert VOCABULARY["Jenkins"].asked_as == "CI/CD"


def _file() -> dict[str, Any]:
    raw = resources.files("careerflow_skills").joinpath("vocabulary.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _with_skill(**entry: object) -> dict[str, Any]:
    data = _file()
    return {**data, "skills": [*data["skills"], {"name": "Zed", "category": "tool", **entry}]}


@pytest.mark.parametrize(
    ("spoiled", "problem"),
    [
        (_with_skill(category="astrology"), "'astrology' is not declared"),
        (_with_skill(category="soft", question_category="general"), "has no question category"),
        (_with_skill(asked_as="Zed"), "asked as itself"),
        (_with_skill(asked_as="k8s"), "name the subject as the vocabulary does, 'Kubernetes'"),
        (_with_skill(asked_as="Jenkins"), "Jenkins is itself asked as CI/CD"),
        (_with_skill(asked_as="CI/CD", question_category="devops"), "takes that one's category"),
        (_with_skill(name="python"), "duplicate skill names"),
    ],
)
def test_the_file_refuses_what_would_mislead(spoiled: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(problem)):
        VocabularyFile.model_validate(spoiled)


def test_a_technical_category_needs_a_question_category() -> None:
    data = _file()
    spoiled = {**data, "categories": {**data["categories"], "tool": {"technical": True}}}
    with pytest.raises(ValidationError, match="a technical category has a question_category"):
        VocabularyFile.model_validate(spoiled)


def test_technical_mentions_name_each_place_as_written() -> None:
    text = "Ran Airflow on k8s with Python; strong Leadership, fluent English."
    assert technical_mentions(text) == [
        Mention("Apache Airflow", "Airflow"),
        Mention("Kubernetes", "k8s"),
        Mention("Python", "Python"),
    ]
