"""What a good model would answer to each CareerFlow service: a responder for the fake Ollama.

The fake calls :func:`realistic_answer` with each chat request's body. Which service is asking is
read from the JSON Schema in ``format`` (its property names), and the answer is valid for that
service's output model *and* passes its checks against the input: the profile claims only facts
the resume states, technical questions use the skills the prompt allows, evaluations carry every
rubric dimension, the report has a summary. A service that got this answer has no reason to
fall back; a fallback in a test that uses it is a bug.
"""

from __future__ import annotations

import re
from typing import Any

from candidate import DEGREE, SKILLS, TITLES, YEARS_EXPERIENCE

_BEHAVIOURAL_THEMES = (
    "a disagreement with a colleague about a technical decision",
    "a production incident you led the response to",
    "a project that missed its deadline",
    "feedback that changed how you work",
    "a time you mentored someone through a hard problem",
    "a decision you made with incomplete information",
    "a process you improved for your whole team",
)


def realistic_answer(body: dict[str, Any]) -> dict[str, Any]:
    """The answer to one ``/api/chat`` body, chosen by the output schema it asks for."""
    schema = body.get("format")
    properties = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    if "questions" in properties:
        return _questions(text)
    if "rubric" in properties:
        return _evaluation()
    if "skills" in properties:
        return _profile(text)
    if "summary" in properties:
        return _report()
    if properties == {"question"}:
        return _followup(text)
    raise ValueError(f"no realistic answer for a schema with properties {sorted(properties)}")


def _profile(prompt: str) -> dict[str, Any]:
    lowered = prompt.casefold()
    return {
        "skills": [skill for skill in SKILLS if skill.casefold() in lowered],
        "years_experience": YEARS_EXPERIENCE,
        "titles": [title for title in TITLES if title.casefold() in lowered],
        "education": [DEGREE] if "computer science" in lowered else [],
        "summary": "A backend engineer with seven years of Python services and messaging.",
    }


def _count(prompt: str, kind: str, default: int) -> int:
    found = re.search(rf"(\d+) {kind}", prompt)
    return int(found.group(1)) if found else default


def _allowed_skills(prompt: str) -> list[str]:
    found = re.search(r"chosen only from: (.+)", prompt)
    if not found or found.group(1).strip() == "none":
        return []
    return [name.strip() for name in found.group(1).split(",") if name.strip()]


def _questions(prompt: str) -> dict[str, Any]:
    technical = _count(prompt, "technical", 5)
    behavioral = _count(prompt, "behavioral", 5)
    skills = _allowed_skills(prompt) or ["Python"]
    questions: list[dict[str, Any]] = []
    for index in range(technical):
        skill = skills[index % len(skills)]
        questions.append(
            {
                "kind": "technical",
                "skill": skill,
                "difficulty": "hard",
                "text": (
                    f"Walk me through the hardest performance problem you solved with {skill} "
                    f"(case {index + 1}): how did you find it and what did you trade off?"
                ),
                "expected_points": ["profiling first", "a measured baseline", "the trade-off"],
            }
        )
    for index in range(behavioral):
        theme = _BEHAVIOURAL_THEMES[index % len(_BEHAVIOURAL_THEMES)]
        questions.append(
            {
                "kind": "behavioral",
                "skill": None,
                "difficulty": "medium",
                "text": f"Tell me about {theme}: what did you do, and what was the result?",
                "expected_points": ["the situation", "your own actions", "a measurable result"],
            }
        )
    return {"questions": questions}


def brief_answer(body: dict[str, Any]) -> dict[str, Any]:
    """As ``realistic_answer``, with questions as short as the screening accepts: a model at a
    laptop's speed writes the set in seconds rather than minutes, token by token all the same."""
    schema = body.get("format")
    properties = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    if "questions" not in properties:
        return realistic_answer(body)
    prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    skills = _allowed_skills(prompt) or ["Python"]
    questions: list[dict[str, Any]] = [
        {
            "kind": "technical",
            "skill": skills[index % len(skills)],
            "text": f"How do you debug slow {skills[index % len(skills)]} code, case {index}?",
            "expected_points": ["profile", "measure", "trade-off"],
        }
        for index in range(_count(prompt, "technical", 5))
    ]
    questions += [
        {
            "kind": "behavioral",
            "skill": None,
            "text": f"Tell me about a hard call you made, case {index}.",
            "expected_points": ["situation", "action", "result"],
        }
        for index in range(_count(prompt, "behavioral", 5))
    ]
    return {"questions": questions}


def _followup(prompt: str) -> dict[str, Any]:
    """A follow-up on the first point the prompt says the answer did not cover."""
    found = re.search(r'"points_not_covered": \[\s*"([^"]+)"', prompt)
    point = found.group(1) if found else "the result you measured"
    return {"question": f"You kept it short. How does {point} come into it in your own work?"}


def _evaluation() -> dict[str, Any]:
    return {
        "rubric": {"relevance": 8, "depth": 7, "structure": 8, "specificity": 7},
        "feedback": "A clear, specific answer with numbers; say more about what you would change.",
        "strengths": ["Concrete numbers", "Clear structure"],
        "improvements": ["Discuss alternatives you rejected"],
        "reference_answer": "Measure first, change one thing, measure again, explain trade-offs.",
    }


def _report() -> dict[str, Any]:
    return {
        "summary": (
            "The candidate answered every question with concrete examples and numbers. "
            "Technical answers showed depth in Python services and databases."
        ),
        "strengths": ["Evidence-based answers", "Ownership of incidents"],
        "improvements": ["Compare alternatives explicitly", "Practise Kubernetes questions"],
    }
