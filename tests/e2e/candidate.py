"""The candidate of the end-to-end tests: a resume written here (DOCX, with python-docx), the job
they apply for, their answers, and the client-side steps of one interview.

The resume is built in the test rather than checked in, so the facts the fake model may claim
(``SKILLS``, ``TITLES``, ``DEGREE``) are known to be in it and pass the parser's guard.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import httpx

TARGET_ROLE = "Senior Python Developer"
JOB_DESCRIPTION = (
    "We are hiring a senior backend engineer to build our Python services. You will design "
    "REST APIs with FastAPI and Django, model data in PostgreSQL, run services in Docker on "
    "Kubernetes, and use RabbitMQ for asynchronous work. Experience with Redis and AWS is a plus."
)
SKILLS = ("Python", "Django", "FastAPI", "PostgreSQL", "Docker", "RabbitMQ", "Redis")
TITLES = ("Backend Engineer", "Software Developer")
DEGREE = "B.S. in Computer Science"
YEARS_EXPERIENCE = 7.0


def resume_docx(name: str = "Jordan Example") -> bytes:
    """A one-page resume as DOCX bytes; ``name`` varies it so uploads are not identical."""
    document = docx.Document()
    document.add_heading(name, level=0)
    document.add_paragraph("jordan@example.com | +1 555 0100 | Berlin")
    document.add_heading("Summary", level=1)
    document.add_paragraph(
        "Backend Engineer with 7 years of experience building Python web services, "
        "message-driven systems and the databases behind them."
    )
    document.add_heading("Experience", level=1)
    document.add_paragraph("Backend Engineer, Acme Payments GmbH, 2020 - present")
    for line in (
        "Built payment APIs in Python with Django and FastAPI serving 2,000 requests per second.",
        "Moved settlement jobs onto RabbitMQ workers; cut batch time from 4 hours to 20 minutes.",
        "Tuned PostgreSQL queries and indexes; p95 latency fell from 900 ms to 120 ms.",
    ):
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph("Software Developer, Nordwind Logistics, 2017 - 2020")
    for line in (
        "Packaged services in Docker and cached routing results in Redis.",
        "Mentored two junior developers and introduced code review.",
    ):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph(f"{DEGREE}, Technical University of Berlin, 2017")
    document.add_heading("Skills", level=1)
    document.add_paragraph(", ".join(SKILLS))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def answer_text(question: dict[str, Any]) -> str:
    """A plausible answer to ``question`` from the session view."""
    if question["kind"] == "behavioral":
        return (
            "Situation: our settlement batch ran four hours and blocked the morning release. "
            "Task: I owned making it finish before 7 am. Action: I split it into RabbitMQ jobs, "
            "added idempotency keys and a dashboard. Result: it runs in 20 minutes and the team "
            "kept the pattern for two other batches."
        )
    skill = question.get("skill") or "Python"
    return (
        f"With {skill} I start from measurements: in my last role I profiled the slow path, "
        "found an N+1 query, added a covering index and a cache, and load-tested the change. "
        "p95 latency went from 900 ms to 120 ms; I would watch the trade-off of cache staleness."
    )


async def create_session(
    client: httpx.AsyncClient, resume: bytes | None = None, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    """``POST /v1/sessions`` with the candidate's resume; returns the 202 session view."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    response = await client.post(
        "/v1/sessions",
        files={
            "resume": (
                "resume.docx",
                resume if resume is not None else resume_docx(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        },
        data={"job_description": JOB_DESCRIPTION, "target_role": TARGET_ROLE},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    view: dict[str, Any] = response.json()
    return view


async def answer_every_question(client: httpx.AsyncClient, view: dict[str, Any]) -> None:
    """Answer the ten questions of a ready session, in order."""
    for question in sorted(view["questions"], key=lambda q: q["position"]):
        response = await client.post(
            f"/v1/sessions/{view['id']}/answers",
            json={"question_id": question["id"], "text": answer_text(question)},
        )
        assert response.status_code == 202, response.text
