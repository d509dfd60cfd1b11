"""Fixtures for the gateway's integration tests: the app on a fresh database and an isolated
topology, tokens, sample resumes, what a test calling the service functions needs (the session
form, an outbox to give the commands, the outbox's events), and a test double that plays the
three workers."""

from __future__ import annotations

import asyncio
import io
import uuid
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerEvaluatedPayload,
    AnswerGaps,
    AnswerSubmitted,
    Evaluation,
    Event,
    Question,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportRequested,
    ResumeParsed,
    ResumeParsedPayload,
    ResumeProfile,
    ResumeSubmitted,
    Rubric,
    parse_event,
    routing,
)
from careerflow_contracts.routing import QueueBinding
from careerflow_gateway.app import create_app
from careerflow_gateway.auth import mint_token
from careerflow_gateway.db import create_pool
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.outbox import Outbox
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.state import GatewayState
from careerflow_gateway.uploads import ResumeUpload, SessionForm
from careerflow_messaging import Consumer, Publisher, Topology, connect
from careerflow_testing.waiting import wait_until

SECRET = "integration-test-secret-0123456789"
JOB_DESCRIPTION = "We want Python, Django and PostgreSQL; Kubernetes is a plus."
PROFILE_SKILLS = ["Python", "django"]
# The media type of every refusal (RFC 9457), as a client reads it.
PROBLEM = "application/problem+json"
# Where a test's fake clock starts (2030-03-17): no real clock has reached it.
T0 = 1_900_000_000.0

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body/></w:document>")
    return buffer.getvalue()


def bearer(user: str, secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(secret, user)}"}


def session_form(
    resume: bytes = PDF, *, filename: str = "resume.pdf", role: str = "Backend Engineer"
) -> dict[str, Any]:
    return {
        "files": {"resume": (filename, resume, "application/pdf")},
        "data": {"job_description": JOB_DESCRIPTION, "target_role": role},
    }


SESSION_FORM = SessionForm(
    resume=ResumeUpload(PDF, "pdf", "resume.pdf"),
    job_description=JOB_DESCRIPTION,
    target_role="Backend Engineer",
)
"""``session_form()`` as the gateway's service functions take it, for tests that call them."""


def quiet_outbox(pool: Pool) -> Outbox:
    """The commands' outbox with no relay to tell: tests that call the commands read the outbox
    themselves."""
    return Outbox(pool, committed=lambda: None)


async def outbox_events(
    pool: Pool, session_id: uuid.UUID, routing_key: str | None = None
) -> list[Event]:
    """The request events the gateway wrote to its outbox for the session, oldest first; only
    those of ``routing_key`` if it is given."""
    rows = await pool.fetch(
        "SELECT body FROM outbox WHERE session_id = $1 AND ($2::text IS NULL OR routing_key = $2)"
        " ORDER BY id",
        session_id,
        routing_key,
    )
    return [parse_event(row["body"]) for row in rows]


@dataclass
class Gateway:
    app: FastAPI
    client: httpx.AsyncClient
    settings: GatewaySettings

    @property
    def state(self) -> GatewayState:
        state: GatewayState = self.app.state.gateway
        return state

    async def wait_status(
        self, session_id: str, status: str, user: str = "alice", timeout_s: float = 15.0
    ) -> dict[str, Any]:
        """Poll the session until it has ``status``; fail after ``timeout_s``."""
        last: dict[str, Any] = {}

        async def reached() -> dict[str, Any] | None:
            response = await self.client.get(f"/v1/sessions/{session_id}", headers=bearer(user))
            last.clear()
            last.update(response.json())
            return dict(last) if last.get("status") == status else None

        return await wait_until(
            reached,
            timeout_s=timeout_s,
            message=lambda: f"session {status}, last seen {last.get('status')}",
        )


def gateway_settings(database_url: str, amqp_url: str, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "amqp_url": amqp_url,
        "jwt_secret": SECRET,
        "relay_poll_interval_s": 0.05,
        "relay_retry_max_s": 0.5,
        "sse_poll_interval_s": 0.05,
        # Tests start many sessions as one user; the limits' own tests set them low.
        "session_create_limit": 1000,
        "regenerate_limit": 1000,
        "event_streams_per_user": 100,
        **overrides,
    }
    return GatewaySettings(**values)


async def start_gateway(
    settings: GatewaySettings,
    topology: Topology,
    *,
    limits_clock: Callable[[], float] | None = None,
) -> AsyncIterator[Gateway]:
    app = create_app(settings, topology=topology, limits_clock=limits_clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield Gateway(app, client, settings)


@pytest.fixture
async def gateway(database_url: str, amqp_url: str, topology: Topology) -> AsyncIterator[Gateway]:
    async for running in start_gateway(gateway_settings(database_url, amqp_url), topology):
        yield running


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    """A pool on the test's database (at the head of the migrations), for tests that call the
    gateway's service functions without the app."""
    created = await create_pool(database_url)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
def settings(database_url: str, amqp_url: str) -> GatewaySettings:
    """The gateway's settings on the test's database and broker, for the same tests."""
    return gateway_settings(database_url, amqp_url)


@asynccontextmanager
async def live_server(app: FastAPI) -> AsyncIterator[str]:
    """``app`` in a real uvicorn on an ephemeral port; yields its base URL. Event streams need
    one: httpx's ASGI transport reads a whole response before it returns."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


# --- the workers' test double ----------------------------------------------------------------

SCORES = [8, 6, 7, 9, 5, 4, 10, 7, 6, 8]
"""The rubric dimension given to every answer of position n (all four dimensions equal)."""


def fallback_questions(generation: int, count: int = 10) -> list[Question]:
    return [
        Question(
            position=position,
            kind="technical" if position <= count // 2 else "behavioral",
            skill="Python" if position <= count // 2 else None,
            text=f"Question {position} of generation {generation}: tell me about it.",
            expected_points=["a point"],
            source="fallback",
        )
        for position in range(1, count + 1)
    ]


def answer_evaluated(
    request: AnswerSubmitted, level: int, *, feedback: str = "fine", gaps: AnswerGaps | None = None
) -> AnswerEvaluated:
    """The AI evaluator's answer to ``request``: ``level`` of 10 on every part of the rubric,
    and ``gaps``, what the answer left out, if given."""
    rubric = Rubric(relevance=level, depth=level, structure=level, specificity=level)
    left_out = {} if gaps is None else {"gaps": gaps}
    return request.reply(
        AnswerEvaluated,
        AnswerEvaluatedPayload(
            source="ai",
            model="fake",
            question_id=request.payload.question_id,
            evaluation=Evaluation(
                score=rubric.score(), rubric=rubric, feedback=feedback, source="ai"
            ),
            **left_out,
        ),
    )


def result_for(event: Event) -> Event:
    """What a worker answers to ``event``: a fallback result with a deterministic id."""
    if isinstance(event, ResumeSubmitted):
        return event.reply(
            ResumeParsed,
            ResumeParsedPayload(
                source="fallback",
                fallback_reason="timeout",
                duration_ms=30_000,
                profile=ResumeProfile(skills=PROFILE_SKILLS, titles=["Backend Engineer"]),
            ),
        )
    if isinstance(event, QuestionsRequested):
        return event.reply(
            QuestionsGenerated,
            QuestionsGeneratedPayload(
                source="fallback",
                fallback_reason="connection_error",
                questions=fallback_questions(event.payload.generation, event.payload.count),
                generation=event.payload.generation,
            ),
        )
    if isinstance(event, AnswerSubmitted):
        return answer_evaluated(event, SCORES[event.payload.question.position - 1])
    if isinstance(event, ReportRequested):
        return event.reply(
            ReportGenerated,
            ReportGeneratedPayload(
                source="ai", model="fake", summary="A solid interview.", strengths=["clarity"]
            ),
        )
    raise AssertionError(f"the workers do not answer {event.type}")


@dataclass
class WorkerDouble:
    """Answers every request event on the topology with ``result_for``, optionally gated."""

    received: list[Event] = field(default_factory=list)
    gates: dict[str, asyncio.Event] = field(default_factory=dict)
    answer: Callable[[Event], Event] = result_for
    copies: int = 1
    on_result: Callable[[Event], Awaitable[None]] | None = None


WORKER_BINDINGS = (
    routing.RESUME_PARSER,
    routing.QUESTION_GEN,
    routing.EVALUATOR_ANSWERS,
    routing.EVALUATOR_REPORTS,
)
"""The queues the workers' double answers on, unless a test names more."""


@asynccontextmanager
async def serving(
    amqp_url: str,
    topology: Topology,
    double: WorkerDouble,
    bindings: Iterable[QueueBinding] = WORKER_BINDINGS,
) -> AsyncIterator[WorkerDouble]:
    """``double`` answering the request events of ``bindings`` until the block ends."""
    connection = await connect(amqp_url, name="gateway-test-workers")
    publisher = Publisher(connection, topology)
    await publisher.start()

    async def handle(event: Event) -> None:
        double.received.append(event)
        gate = double.gates.get(event.type)
        if gate is not None:
            await gate.wait()
        for _ in range(double.copies):
            await publisher.publish(double.answer(event))

    consumers = [
        Consumer(connection, topology, binding, handle, prefetch=10) for binding in bindings
    ]
    for consumer in consumers:
        await consumer.start()
    try:
        yield double
    finally:
        for gate in double.gates.values():
            gate.set()
        for consumer in consumers:
            await consumer.stop()
        await publisher.close()
        await connection.close()


@pytest.fixture
async def workers(amqp_url: str, topology: Topology) -> AsyncIterator[WorkerDouble]:
    async with serving(amqp_url, topology, WorkerDouble()) as double:
        yield double


def new_id() -> str:
    return str(uuid.uuid4())
