"""Skill selection: both, then the job's, then the resume's, then the role's defaults."""

import random

from careerflow_contracts import ResumeProfile
from careerflow_question_gen.roles import FAMILY_SPECS
from careerflow_question_gen.skill_selection import (
    clean_skill_name,
    question_category,
    resume_skills,
    select_skills,
)
from careerflow_question_gen.technical_bank import skill_key

JOB = (
    "We are hiring a backend engineer. You will build services in Python on PostgreSQL, "
    "deploy them with Kubernetes and stream events through Kafka. Strong communication "
    "and fluent English required."
)
PROFILE = ResumeProfile(skills=["Python", "postgres", "Django", "Leadership", "Redis", "French"])


def test_tiers_come_in_order_both_job_resume_role() -> None:
    choices = select_skills(JOB, PROFILE, "backend", random.Random("s:1"))
    origins = [choice.origin for choice in choices]
    assert origins == sorted(origins, key=["both", "job", "resume", "role"].index)
    by_origin: dict[str, set[str]] = {}
    for choice in choices:
        by_origin.setdefault(choice.origin, set()).add(choice.name)
    assert by_origin["both"] == {"Python", "PostgreSQL"}
    assert by_origin["job"] == {"Kubernetes", "Apache Kafka"}
    assert by_origin["resume"] == {"Django", "Redis"}
    assert "System Design" in by_origin["role"]


def test_soft_skills_and_spoken_languages_are_never_technical_subjects() -> None:
    names = {c.name for c in select_skills(JOB, PROFILE, "backend", random.Random(1))}
    assert not names & {"Communication", "English", "Leadership", "French"}


def test_a_skill_is_chosen_once_even_under_two_names() -> None:
    profile = ResumeProfile(skills=["Golang", "Go", "k8s", "Kubernetes"])
    choices = select_skills("Go and Kubernetes", profile, "backend", random.Random(1))
    keys = [choice.key for choice in choices]
    assert len(keys) == len(set(keys))
    assert [c.origin for c in choices[:2]] == ["both", "both"]


def test_role_defaults_fill_in_when_job_and_resume_name_nothing() -> None:
    choices = select_skills("A friendly team.", ResumeProfile(), "devops", random.Random(1))
    assert [c.origin for c in choices] == ["role"] * len(choices)
    assert choices[0].name.casefold() == FAMILY_SPECS["devops"].default_skills[0].casefold()


def test_same_seed_same_order_and_different_seeds_vary() -> None:
    job = "Python, Go, Rust, Java, Kotlin, Scala, Ruby, PHP, Elixir, C#, TypeScript"
    first = select_skills(job, ResumeProfile(), "backend", random.Random("a:1"))
    again = select_skills(job, ResumeProfile(), "backend", random.Random("a:1"))
    assert first == again
    orders = {
        tuple(c.name for c in select_skills(job, ResumeProfile(), "backend", random.Random(s)))
        for s in range(20)
    }
    assert len(orders) > 10


def test_odd_resume_skills_are_cleaned_or_dropped() -> None:
    skills = ["  k8s ", "", "12345", "x" * 300, "{skill}", "Rust\x00lang"]
    # model_construct: the contract itself removes the NUL; this is the generator's own cleaning.
    assert resume_skills(ResumeProfile.model_construct(skills=skills)) == [
        "Kubernetes",
        "Rust lang",
    ]
    assert resume_skills(ResumeProfile(skills=skills)) == ["Kubernetes", "Rust"]  # "Rustlang"
    assert clean_skill_name("node.js") == "Node.js"


def test_skill_keys_and_categories() -> None:
    assert skill_key("Golang") == skill_key("Go") == "go"
    assert skill_key("Node.js") == "nodejs"
    assert skill_key("C#") == "c#"
    assert question_category("React", "backend") == "frontend"
    assert question_category("Flutter", "mobile") == "mobile"
    assert question_category("Some Inhouse Tool", "qa") == "testing"
    assert question_category("Teamwork", "generic") is None


def test_the_vocabulary_says_what_a_skill_is_asked_as() -> None:
    # One subject, one set of questions: a job naming Jenkins and CI/CD gets one question on it.
    assert skill_key("Jenkins") == skill_key("GitHub Actions") == skill_key("CI/CD")
    assert question_category("Jenkins", "frontend") == "devops"
    picked = select_skills(
        "Jenkins and CI/CD pipelines.", ResumeProfile(), "devops", random.Random(1)
    )
    assert [choice.name for choice in picked if choice.origin == "job"] == ["Jenkins"]
    # A subject the vocabulary lacks takes the bank's category for it.
    assert question_category("A/B Testing", "product") == "data"
    assert question_category("Threat modeling", "backend") == "security"
    # A tool in a product manager's terms, a framework in a back-end developer's.
    assert question_category("Amplitude", "product") == "product"
    assert question_category("Amplitude", "backend") == "general"
    assert question_category("Express.js", "backend") == "backend_framework"
    assert question_category("Express.js", "mobile") == "mobile"
