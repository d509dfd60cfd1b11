"""The deferred reading on a real RabbitMQ against the fake Ollama at a laptop CPU's speed
(issue 12): the resume is answered at once with the basic reading and the text for the model;
the model's reading, asked for later, refines it; and a request a candidate waits for, published
while the model reads, makes the worker give the reading up, so the model is free for it.

The worker is the real runtime with the real handlers, the watch its console script starts, on a
topology of its own.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

import pytest

from careerflow_contracts import (
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateProfile,
    ProfileRefined,
    ProfileRequested,
    ProfileRequestedPayload,
    Question,
    ResumeParsed,
    ResumeSubmitted,
    utc_now,
)
from careerflow_messaging import Topology
from careerflow_resume_parser.bootstrap import bootstrap
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service import Worker
from careerflow_testing.fake_ollama import LAPTOP_CPU, Behaviour, FakeOllama
from careerflow_testing.results import GatewaySide
from careerflow_testing.settings import worker_settings
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.broker

LOADED_LAPTOP_CPU = replace(LAPTOP_CPU, load_s=0.0, name="laptop-cpu, model loaded")
"""The laptop with the model already in memory (Ollama keeps it there for minutes after a call):
a reading is under way as soon as it is asked for, not after the 4 s load."""

MODEL_PROFILE = {
    "skills": ["Python", "Django"],
    "years_experience": 5,
    "titles": ["Backend Engineer"],
    "education": [],
    "summary": None,
}


@asynccontextmanager
async def running_worker(
    amqp_url: str, topology: Topology, url: str, extractor: Extractor
) -> AsyncIterator[Worker]:
    settings = ResumeParserSettings(**worker_settings(amqp_url, topology, "ollama", url))
    async with bootstrap(settings, extractor=extractor) as worker:
        yield worker


def _answer_submitted(session_id: uuid.UUID) -> AnswerSubmitted:
    question = Question(position=1, kind="technical", text="How do you index a slow query?")
    return AnswerSubmitted(
        session_id=session_id,
        deadline=utc_now() + timedelta(seconds=60),
        payload=AnswerSubmittedPayload(
            question_id=uuid.uuid4(),
            question=question,
            answer_text="I run EXPLAIN ANALYZE first.",
            target_role="Backend Engineer",
        ),
    )


async def test_the_basic_reading_goes_at_once_and_the_models_refines_it_when_asked(
    amqp_url: str,
    topology: Topology,
    gateway_side: GatewaySide,
    extractor: Extractor,
    resume_pdf: bytes,
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    with FakeOllama(profile=LAPTOP_CPU) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=MODEL_PROFILE)
        async with running_worker(amqp_url, topology, fake.url, extractor):
            submitted = make_submitted(resume_pdf, profile_later=True, seconds_left=60)
            started = time.monotonic()
            await gateway_side.publish(submitted)
            (parsed,) = await gateway_side.results(1, 20)
            # Not a second of the model's time: it was not asked (it would load for 4 s).
            assert time.monotonic() - started < LAPTOP_CPU.load_s
            assert fake.chat_requests() == []
            assert isinstance(parsed, ResumeParsed)
            assert parsed.payload.fallback_reason == "deferred"
            assert parsed.payload.resume_text is not None

            request = ProfileRequested(
                session_id=submitted.session_id,
                deadline=utc_now() + timedelta(seconds=120),
                payload=ProfileRequestedPayload(
                    resume_text=parsed.payload.resume_text, profile=parsed.payload.profile
                ),
            )
            await gateway_side.publish(request)
            (refined,) = await gateway_side.results(1, 90)
    assert isinstance(refined, ProfileRefined)
    assert refined.event_id == request.result_event_id("profile.refined")
    assert (refined.payload.source, refined.payload.profile.source) == ("ai", "ai")


async def test_a_candidates_request_published_while_the_model_reads_takes_the_model_back(
    amqp_url: str, topology: Topology, gateway_side: GatewaySide, extractor: Extractor
) -> None:
    with FakeOllama(profile=LOADED_LAPTOP_CPU) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=MODEL_PROFILE)
        async with running_worker(amqp_url, topology, fake.url, extractor) as worker:
            request = ProfileRequested(
                session_id=uuid.uuid4(),
                deadline=utc_now() + timedelta(seconds=120),
                payload=ProfileRequestedPayload(
                    resume_text="Backend Engineer. Python, Django, PostgreSQL. " * 40,
                    profile=CandidateProfile(skills=["Python"]),
                ),
            )
            await gateway_side.publish(request)
            await wait_until(
                lambda: fake.in_flight, timeout_s=30, message="the model reading the resume"
            )
            await gateway_side.publish(_answer_submitted(request.session_id))
            await wait_until(
                lambda: not fake.in_flight,
                timeout_s=5,
                message="the reading given up: the model's slot free",
            )
            (call,) = fake.chat_requests()
            assert call.finished_at is not None
            # Settled with no result: nothing reaches the gateway for it.
            with pytest.raises(TimeoutError):
                await gateway_side.results(1, 1.0)
            assert worker.consumers[1].acked == 1
    # The model read at most a part of the prompt before it was taken back: far from its
    # whole call (about 10 s of reading, then the profile's writing).
    assert call.finished_at - call.received_at < 5
