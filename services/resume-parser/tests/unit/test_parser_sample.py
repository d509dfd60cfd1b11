"""The repository's sample resume (``samples/``) reads well through the fallback.

``make demo`` and the curl example of ``make run`` upload this sample, and a fresh clone has
no other resume; if a change to the parser (or to the sample) made it read worse, the first
interview anyone tries would show it. So both files go through the real handler, with the
model turned off, as the service runs them; the author's name and email, which the parser
reads but keeps to itself, are checked on its fallback reading.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from careerflow_contracts import ResumeSubmitted, ResumeSubmittedPayload, utc_now
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.fallback import read_resume
from careerflow_resume_parser.handler import handle_resume_submitted

SAMPLES = Path(__file__).resolve().parents[4] / "samples"
TODAY = date(2026, 1, 15)
SKILLS = [
    "Python",
    "SQL",
    "JavaScript",
    "Go",
    "FastAPI",
    "Django",
    "Celery",
    "pytest",
    "asyncio",
    "React",
    "PostgreSQL",
    "Redis",
    "RabbitMQ",
    "Docker",
    "Kubernetes",
    "Helm",
    "Prometheus",
    "Grafana",
    "GitLab CI",
    "Linux",
]


@pytest.fixture
async def model_off() -> AsyncIterator[OllamaClient]:
    async with OllamaClient(OllamaSettings(enabled=False)) as client:
        yield client


@pytest.mark.parametrize("document_type", ["pdf", "docx"])
async def test_the_sample_resume_gives_a_full_fallback_profile(
    document_type: str, extractor: Extractor, model_off: OllamaClient
) -> None:
    document = (SAMPLES / f"resume.{document_type}").read_bytes()
    event = ResumeSubmitted(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=60),
        payload=ResumeSubmittedPayload(
            document_type=document_type,  # type: ignore[arg-type]
            filename=f"resume.{document_type}",
            document=document,
        ),
    )

    result = await handle_resume_submitted(event, llm=model_off, extractor=extractor, today=TODAY)

    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "disabled")
    profile = payload.profile
    assert profile.skills == SKILLS
    assert profile.titles == [
        "Senior Backend Engineer",
        "Backend Engineer",
        "Junior Software Developer",
    ]
    assert profile.education == ["B.Sc. in Computer Science, University of Eastmere"]
    # Jul 2017 to January 2026, the three jobs back to back.
    assert profile.years_experience == pytest.approx(8.6, abs=0.05)
    assert profile.summary is not None and profile.summary.startswith("Backend engineer who")
    # Nothing in the sample is hidden or cut: no notice (the model being off is the reason's,
    # said by the gateway).
    assert payload.notices == []


@pytest.mark.parametrize("document_type", ["pdf", "docx"])
async def test_the_parser_reads_the_sample_authors_name_and_email(
    document_type: str, extractor: Extractor
) -> None:
    document = (SAMPLES / f"resume.{document_type}").read_bytes()

    extracted = await extractor.extract(document, document_type)  # type: ignore[arg-type]
    reading = read_resume(extracted.text, today=TODAY)

    assert extracted.status == "ok"
    assert reading.profile.full_name == "Tamsin Okafor"
    assert reading.profile.email == "tamsin.okafor@example.com"
