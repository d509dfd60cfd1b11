"""The skill vocabulary: its size and shape, canonical names, aliases and the matching rules."""

from __future__ import annotations

from collections import defaultdict

import pytest

from careerflow_skills import VOCABULARY, canonical, category_of, find_skills, mentions


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
