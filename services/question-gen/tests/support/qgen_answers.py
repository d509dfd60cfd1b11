"""Model answers for the question generator's tests: good ones, and ways of spoiling them."""

from __future__ import annotations

from typing import Any

from careerflow_contracts import QuestionsRequestedPayload, ResumeProfile

JOB = (
    "Senior backend engineer. You will build Python services on PostgreSQL, run them on "
    "Kubernetes and stream events through Kafka."
)
PROFILE = ResumeProfile(
    skills=["Python", "PostgreSQL", "Django", "Docker"],
    years_experience=6,
    full_name="Ada Example",
    email="ada@example.com",
)


def request_payload(**changes: Any) -> QuestionsRequestedPayload:
    fields: dict[str, Any] = {
        "target_role": "Senior Backend Engineer",
        "job_description": JOB,
        "profile": PROFILE,
    }
    fields.update(changes)
    return QuestionsRequestedPayload.model_validate(fields)


TECHNICAL = [
    ("Python", "How would you find a memory leak in a long-running Python worker process?"),
    ("PostgreSQL", "How do you pick a partitioning strategy for a fast-growing PostgreSQL table?"),
    ("Kubernetes", "How would you roll back a bad Kubernetes deployment that passed its probes?"),
    ("Kafka", "How do you handle a poison message that blocks a Kafka partition consumer?"),
    ("Django", "How do you keep Django admin pages fast when a table holds millions of rows?"),
]
BEHAVIORAL = [
    "Tell me about a time you pushed back on a deadline you believed was unrealistic.",
    "Tell me about a time you shipped a bug to production. What did you do next?",
    "Describe a time you mentored a colleague through a hard technical problem.",
    "Tell me about a decision you made with incomplete data. How did it turn out?",
    "Describe a time you had to learn a new domain quickly to unblock your team.",
]
POINTS = ["a concrete tool or command", "the trade-off involved", "how the result was measured"]


def technical(skill: str, text: str, **changes: Any) -> dict[str, Any]:
    question = {
        "kind": "technical",
        "skill": skill,
        "difficulty": "hard",
        "text": text,
        "expected_points": POINTS,
    }
    question.update(changes)
    return question


def behavioral(text: str, **changes: Any) -> dict[str, Any]:
    question = {
        "kind": "behavioral",
        "skill": None,
        "difficulty": "medium",
        "text": text,
        "expected_points": POINTS,
    }
    question.update(changes)
    return question


def good_answer() -> dict[str, Any]:
    """Five usable technical and five usable behavioral questions."""
    return {
        "questions": [technical(s, t) for s, t in TECHNICAL] + [behavioral(t) for t in BEHAVIORAL]
    }


def partly_good_answer() -> dict[str, Any]:
    """Three usable technical and three usable behavioral questions, and four bad ones."""
    questions = [technical(s, t) for s, t in TECHNICAL[:3]]
    questions.append(technical("COBOL", "How do you structure a large COBOL batch program?"))
    questions.append(technical("Python", "Why?"))
    questions += [behavioral(t) for t in BEHAVIORAL[:3]]
    questions.append(behavioral(BEHAVIORAL[0].upper()))  # the same question, shouted
    questions.append(behavioral(BEHAVIORAL[3], expected_points=["ok"]))
    return {"questions": questions}


def useless_answer() -> dict[str, Any]:
    """Well-formed JSON in which no question is usable."""
    return {
        "questions": [
            technical("Excel", "How do you use pivot tables to summarise quarterly sales?"),
            behavioral("Hi?"),
            behavioral(BEHAVIORAL[0], expected_points=[]),
        ]
    }
