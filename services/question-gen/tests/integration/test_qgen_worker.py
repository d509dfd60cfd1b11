"""The question-gen worker end to end on a real RabbitMQ, against a fake model server over
HTTP, once in each API (Ollama's native one and the OpenAI-compatible one).

Each test runs the real ``Worker`` runtime with the real handler on a topology of its own,
publishes ``questions.requested`` and reads ``questions.generated`` from the gateway's results
queue, checking that every answer of the model gives ten questions within the deadline.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import aio_pika
import pytest
from qgen_answers import good_answer, partly_good_answer, request_payload

from careerflow_contracts import (
    CandidateProfile,
    QuestionsGenerated,
    QuestionsRequested,
    routing,
    utc_now,
)
from careerflow_messaging import Topology
from careerflow_question_gen.bootstrap import bootstrap
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_question_gen.software_terms import software_terms_in
from careerflow_service import Worker
from careerflow_skills import job_skills
from careerflow_testing.fake_ollama import Behaviour, refused_url
from careerflow_testing.model_servers import (
    PROVIDERS,
    FakeModelServer,
    fake_model_server,
    refused_url_for,
)
from careerflow_testing.occupations import occupation
from careerflow_testing.results import GatewaySide
from careerflow_testing.settings import worker_settings

pytestmark = pytest.mark.broker

DEADLINE_S = 4.0
MARGIN_S = 0.5
"""Delivery of the result to the reading test, on a shared, loaded machine."""


@asynccontextmanager
async def running_worker(
    amqp_url: str, topology: Topology, provider: str, url: str, *, prefetch: int = 2
) -> AsyncIterator[Worker]:
    settings = QuestionGenSettings(
        **worker_settings(amqp_url, topology, provider, url),
        prefetch=prefetch,
        ollama_timeout_s=30.0,  # the event's deadline is what cuts a hanging model here
    )
    async with bootstrap(settings) as worker:
        yield worker


async def _request(gateway: GatewaySide, *, seconds_left: float = DEADLINE_S) -> QuestionsRequested:
    """Publish a request as the gateway would; return it."""
    event = QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=seconds_left),
        payload=request_payload(),
    )
    await gateway.publish(event)
    return event


async def _results(gateway: GatewaySide, count: int, timeout_s: float) -> list[QuestionsGenerated]:
    events = await gateway.results(count, timeout_s)
    received = [event for event in events if isinstance(event, QuestionsGenerated)]
    assert received == events
    return received


def _script(behaviour: Behaviour, content: object = None) -> Callable[[FakeModelServer], None]:
    return lambda fake: fake.set_behaviour(behaviour, content=content)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("script", "source", "reason", "from_model"),
    [
        (_script(Behaviour.HEALTHY, good_answer()), "ai", None, 10),
        (_script(Behaviour.HEALTHY, partly_good_answer()), "fallback", "invalid_output", 6),
        (_script(Behaviour.HANG), "fallback", "timeout", 0),
        (_script(Behaviour.MALFORMED_JSON, "I'd rather not {"), "fallback", "invalid_output", 0),
    ],
    ids=["healthy", "partly-valid", "hanging", "garbage"],
)
async def test_every_answer_of_the_model_gives_ten_questions_within_the_deadline(
    amqp_url: str,
    topology: Topology,
    gateway_side: GatewaySide,
    fake_model_server: FakeModelServer,
    script: Callable[[FakeModelServer], None],
    source: str,
    reason: str | None,
    from_model: int,
) -> None:
    script(fake_model_server)
    async with running_worker(
        amqp_url, topology, fake_model_server.provider, fake_model_server.url
    ):
        started = time.monotonic()
        request = await _request(gateway_side)
        (result,) = await _results(gateway_side, 1, DEADLINE_S + MARGIN_S)
        elapsed = time.monotonic() - started
        arrived = utc_now()

    assert elapsed < DEADLINE_S + MARGIN_S
    assert request.deadline is not None and arrived < request.deadline + timedelta(seconds=MARGIN_S)
    assert result.event_id == request.result_event_id(routing.QUESTIONS_GENERATED)
    assert result.causation_id == request.event_id
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == (source, reason)
    assert len(payload.questions) == 10
    assert sum(q.source == "ai" for q in payload.questions) == from_model
    assert len(fake_model_server.chat_requests()) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_refused_model_connection_falls_back_at_once(
    amqp_url: str, topology: Topology, gateway_side: GatewaySide, provider: str
) -> None:
    async with running_worker(amqp_url, topology, provider, refused_url_for(provider)):
        started = time.monotonic()
        await _request(gateway_side)
        (result,) = await _results(gateway_side, 1, DEADLINE_S + MARGIN_S)
    assert time.monotonic() - started < 1.0
    assert result.payload.fallback_reason == "connection_error"
    assert result.payload.notices == []  # the gateway words the reason (issue 14 item 3)
    assert len(result.payload.questions) == 10


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_model_calls_are_bounded_by_the_prefetch(
    amqp_url: str, topology: Topology, gateway_side: GatewaySide, provider: str
) -> None:
    # A busy but healthy model: every answer takes a while, so requests pile up.
    with fake_model_server(provider, latency_s=0.3) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=good_answer())
        async with running_worker(amqp_url, topology, provider, fake.url, prefetch=2):
            for _ in range(6):
                await _request(gateway_side, seconds_left=20)
            results = await _results(gateway_side, 6, 15)
        peak = fake.peak_concurrency
    assert peak == 2
    assert [r.payload.source for r in results] == ["ai"] * 6


async def test_a_release_1_request_with_contact_details_is_still_answered_without_them(
    amqp_url: str, topology: Topology, gateway_side: GatewaySide, fake_model_server: FakeModelServer
) -> None:
    """Version 1 of questions.requested, as release 1's gateway wrote it, may still wait in the
    queue after an upgrade: it is answered, and its contact details reach neither the model nor
    the result."""
    fake_model_server.set_behaviour(Behaviour.HEALTHY, content=good_answer())
    current = QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=DEADLINE_S),
        payload=request_payload(),
    )
    body = json.loads(current.model_dump_json())
    body["version"] = 1
    body["payload"]["profile"] |= {"full_name": "Jane Q. Doe", "email": "jane.doe@example.com"}
    async with running_worker(
        amqp_url, topology, fake_model_server.provider, fake_model_server.url
    ):
        channel = await gateway_side.connection.channel()
        exchange = await channel.get_exchange(topology.exchange)
        await exchange.publish(
            aio_pika.Message(json.dumps(body).encode(), message_id=str(current.event_id)),
            routing_key=routing.QUESTIONS_REQUESTED,
        )
        (result,) = await _results(gateway_side, 1, DEADLINE_S + MARGIN_S)
        await channel.close()

    assert result.causation_id == current.event_id
    assert [q.source for q in result.payload.questions] == ["ai"] * 10
    prompt = json.dumps(fake_model_server.chat_requests()[0].body)
    assert "jane" not in prompt.lower()
    assert "jane" not in result.model_dump_json().lower()


async def test_with_the_model_down_a_nurse_is_asked_about_nursing(
    amqp_url: str, topology: Topology, gateway_side: GatewaySide
) -> None:
    """Issue 17: the fallback of a job outside software asks about that job's requirements."""
    nurse = occupation("nurse")
    request = QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=DEADLINE_S),
        payload=request_payload(
            target_role=nurse.target_role,
            job_description=nurse.job_description,
            profile=CandidateProfile(skills=list(nurse.resume_skills), years_experience=6),
        ),
    )
    async with running_worker(amqp_url, topology, "ollama", refused_url()):
        await gateway_side.publish(request)
        (result,) = await _results(gateway_side, 1, DEADLINE_S + MARGIN_S)

    payload = result.payload
    assert result.causation_id == request.event_id
    assert (payload.source, payload.fallback_reason) == ("fallback", "connection_error")
    assert len(payload.questions) == 10
    wording = " ".join(q.text + " " + " ".join(q.expected_points) for q in payload.questions)
    assert software_terms_in(wording) == frozenset()
    requirements = {skill.casefold() for skill in job_skills(nurse.job_description)}
    technical = [q for q in payload.questions if q.kind == "technical"]
    assert len(technical) == 5
    assert sum(q.skill is not None and q.skill.casefold() in requirements for q in technical) >= 4
