"""The resume parser's AI profile against a real model: llama.cpp's OpenAI-compatible server
running SmolLM2-135M-Instruct, on a real RabbitMQ, through the ``openai`` provider.

Whatever the 135M model claims, the profile that leaves the worker holds only what the resume
supports: every skill is mentioned in it, every title is in it; what the guard dropped is
counted (``dropped_claims``). An answer that does not fit the schema, or is cut at
``max_tokens``, gives the fallback's profile with its reason. What the model did is recorded for
the run's summary.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import docx
import pytest

from careerflow_contracts import (
    ResumeParsed,
    ResumeSubmitted,
    ResumeSubmittedPayload,
    utc_now,
)
from careerflow_messaging import Publisher, Topology, connect
from careerflow_resume_parser.bootstrap import bootstrap
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_skills import mentions
from careerflow_testing.llama_server import REAL_MODEL_TIMEOUT_S, LlamaServer
from careerflow_testing.results import receive_results
from careerflow_testing.settings import worker_settings

pytestmark = [
    pytest.mark.broker,
    pytest.mark.slow,
    pytest.mark.real_model,
    pytest.mark.timeout(REAL_MODEL_TIMEOUT_S),
]

ANSWER_TOKENS = 384
"""``max_tokens``: a profile is short; a model that rambles past it is cut, and falls back."""
DEADLINE_S = 60.0

RESUME = [
    "Maria Lopez",
    "maria.lopez@example.com",
    "SUMMARY",
    "Data engineer with five years of building batch and streaming pipelines.",
    "EXPERIENCE",
    "Data Engineer, Acme Logistics",
    "Jan 2021 - Present",
    "Built Airflow pipelines loading PostgreSQL and Snowflake; moved batch jobs to Kafka streams.",
    "Software Developer, Initech",
    "Jun 2019 - Dec 2020",
    "Wrote Python services and SQL reports for the finance team.",
    "EDUCATION",
    "B.S. in Computer Science, State University",
    "SKILLS",
    "Python, SQL, Airflow, Kafka, PostgreSQL, Snowflake, Docker",
]
FALLBACK_SKILLS = ["Python", "SQL", "Airflow", "Kafka", "PostgreSQL", "Snowflake", "Docker"]


def _docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    written = io.BytesIO()
    document.save(written)
    return written.getvalue()


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    with Extractor(workers=1) as shared:
        yield shared


async def test_the_ai_profile_holds_only_what_the_resume_supports(
    amqp_url: str,
    topology: Topology,
    llama_server: LlamaServer,
    extractor: Extractor,
    record_property: Callable[[str, object], None],
) -> None:
    settings = ResumeParserSettings(
        **worker_settings(
            amqp_url, topology, llama_server.provider, llama_server.url, model=llama_server.model
        ),
        llm_response_format=llama_server.response_format,
        ollama_num_predict=ANSWER_TOKENS,
    )
    request = ResumeSubmitted(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=DEADLINE_S),
        payload=ResumeSubmittedPayload(document_type="docx", document=_docx(RESUME)),
    )
    connection = await connect(amqp_url, name="resume-parser-real-model-test")
    try:
        async with bootstrap(settings, extractor=extractor) as worker:
            publisher = Publisher(connection, topology)
            await publisher.start()
            await publisher.publish(request)
            await publisher.close()
            (result,) = await receive_results(connection, topology, 1, DEADLINE_S + 5)
            speed = worker.llm.speed.snapshot()
    finally:
        await connection.close()

    assert isinstance(result, ResumeParsed)
    assert result.causation_id == request.event_id
    payload = result.payload
    profile = payload.profile
    text = "\n".join(RESUME)
    if payload.source == "ai":
        assert payload.fallback_reason is None
        assert all(mentions(text, skill) for skill in profile.skills), profile.skills
        assert all(title.casefold() in text.casefold() for title in profile.titles)
        assert profile.summary is None or "maria.lopez@example.com" not in profile.summary
        kept, dropped = len(profile.skills), payload.dropped_claims
        outcome = f"AI profile: {kept} skills kept, {dropped} claims dropped by the guard"
    else:
        # The model's answer was not a profile (or was cut): the fallback read the resume.
        assert payload.fallback_reason is not None
        assert profile.skills == FALLBACK_SKILLS
        outcome = f"fallback ({payload.fallback_reason})"
    assert "Maria Lopez" not in result.model_dump_json()  # contact details stay in the parser
    last = speed["last"] or {}
    record_property(
        "real_model",
        f"{outcome}; {last.get('output_tokens')} tokens at "
        f"{last.get('output_tokens_per_s')} tokens/s, first token after {last.get('prompt_s')} s",
    )
