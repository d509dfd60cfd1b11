"""The resume parser end to end on a real RabbitMQ, against a fake model server over HTTP, once
in each API (Ollama's native one and the OpenAI-compatible one) where the model's answer matters.

Each test runs the real ``Worker`` runtime with the real handler and extractor on a topology of
its own, publishes ``resume.submitted`` and reads ``resume.parsed`` from the gateway's results
queue: a healthy model gives an AI profile with guarded skills, and every failing model gives the
fallback profile with the right reason, within the event's deadline. A resume made to stall the
reader's regular expressions gets its answer in time while the worker keeps answering ``/livez``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest

from careerflow_contracts import (
    ResumeParsed,
    ResumeSubmitted,
    routing,
    utc_now,
)
from careerflow_messaging import Topology
from careerflow_resume_parser.bootstrap import bootstrap
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service import Worker, worker_app
from careerflow_testing.fake_ollama import Behaviour, FakeOllama, refused_url
from careerflow_testing.hostile_text import HOSTILE_TEXTS
from careerflow_testing.model_servers import PROVIDERS, FakeModelServer, refused_url_for
from careerflow_testing.results import GatewaySide
from careerflow_testing.settings import worker_settings

pytestmark = pytest.mark.broker

DEADLINE_S = 4.0
MARGIN_S = 1.0
"""Extraction in the pool and delivery of the result, on a shared, loaded machine."""

SKILLS = ["Python", "Django", "Kubernetes", "PostgreSQL", "Docker"]
LIVEZ_GAP_S = 1.0
"""Longest silence of ``/livez`` allowed while a resume is read: the loop must stay free."""


@pytest.fixture
def table_resume(make_docx: Callable[..., bytes]) -> bytes:
    """A resume laid out as a two-column table, the way many DOCX templates are."""
    left = "Ann Lee\nann.lee@example.com\nSKILLS\nPython, Django\nk8s, Postgres, Docker"
    right = (
        "EXPERIENCE\nBackend Engineer, Initech\nJan 2020 - Present\n"
        "Built the billing API.\nEDUCATION\nB.S. in Computer Science"
    )
    return make_docx([], table=[[left, right]])  # type: ignore[no-any-return]


@asynccontextmanager
async def running_worker(
    amqp_url: str, topology: Topology, provider: str, url: str, extractor: Extractor
) -> AsyncIterator[Worker]:
    settings = ResumeParserSettings(
        **worker_settings(amqp_url, topology, provider, url),
        ollama_timeout_s=30.0,  # the event's deadline is what cuts a hanging model here
    )
    # As in production: the pool is started before the first message is taken.
    async with bootstrap(settings, extractor=extractor) as worker:
        yield worker


async def _result(gateway: GatewaySide, timeout_s: float) -> ResumeParsed:
    (event,) = await gateway.results(1, timeout_s)
    assert isinstance(event, ResumeParsed)
    return event


ParseTableResume = Callable[[str, str], Awaitable[tuple[ResumeSubmitted, ResumeParsed, float]]]


@pytest.fixture
def parse_table_resume(
    amqp_url: str,
    topology: Topology,
    gateway_side: GatewaySide,
    extractor: Extractor,
    table_resume: bytes,
    make_submitted: Callable[..., ResumeSubmitted],
) -> ParseTableResume:
    """Run the worker against the model server of ``provider``'s API at ``url``, submit the
    table resume as the gateway would, and return the request, its result and the seconds
    between them."""

    async def parse(provider: str, url: str) -> tuple[ResumeSubmitted, ResumeParsed, float]:
        async with running_worker(amqp_url, topology, provider, url, extractor):
            started = time.monotonic()
            request = make_submitted(table_resume, "docx", seconds_left=DEADLINE_S)
            await gateway_side.publish(request)
            result = await _result(gateway_side, DEADLINE_S + MARGIN_S)
            elapsed = time.monotonic() - started
        return request, result, elapsed

    return parse


async def test_a_healthy_model_gives_an_ai_profile_with_guarded_skills(
    fake_model_server: FakeModelServer, parse_table_resume: ParseTableResume
) -> None:
    fake_model_server.set_behaviour(
        Behaviour.HEALTHY,
        content={
            "skills": ["Python", "Django", "Kubernetes", "Haskell"],
            "titles": ["Backend Engineer"],
            "education": ["B.S. in Computer Science"],
        },
    )
    request, result, elapsed = await parse_table_resume(
        fake_model_server.provider, fake_model_server.url
    )
    assert elapsed < DEADLINE_S + MARGIN_S
    assert result.event_id == request.result_event_id(routing.RESUME_PARSED)
    assert result.causation_id == request.event_id
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("ai", None)
    assert payload.profile.skills == ["Python", "Django", "Kubernetes"]
    assert payload.dropped_claims == 1
    assert payload.profile.titles == ["Backend Engineer"]


def _script(behaviour: Behaviour, content: object = None) -> Callable[[FakeModelServer], None]:
    return lambda fake: fake.set_behaviour(behaviour, content=content)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (_script(Behaviour.HANG), "timeout"),
        (_script(Behaviour.ERROR_500), "model_error"),
        (_script(Behaviour.MALFORMED_JSON, "Sure! Here is the profile: {"), "invalid_output"),
    ],
    ids=["hanging", "error-500", "garbage"],
)
async def test_a_failing_model_gives_the_fallback_within_the_deadline(
    fake_model_server: FakeModelServer,
    parse_table_resume: ParseTableResume,
    script: Callable[[FakeModelServer], None],
    reason: str,
) -> None:
    script(fake_model_server)
    request, result, elapsed = await parse_table_resume(
        fake_model_server.provider, fake_model_server.url
    )
    assert elapsed < DEADLINE_S + MARGIN_S
    assert request.deadline is not None
    assert utc_now() < request.deadline + timedelta(seconds=MARGIN_S)
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", reason)
    assert payload.profile.skills == SKILLS  # the table's skills, read by the fallback
    assert payload.profile.titles == ["Backend Engineer"]
    assert "Ann Lee" not in result.model_dump_json()  # read, but contact details stay here


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_refused_model_connection_falls_back_at_once(
    parse_table_resume: ParseTableResume, provider: str
) -> None:
    _, result, elapsed = await parse_table_resume(provider, refused_url_for(provider))
    assert elapsed < 2.0
    assert (result.payload.source, result.payload.fallback_reason) == (
        "fallback",
        "connection_error",
    )
    assert result.payload.profile.skills == SKILLS


async def _probe_livez(client: httpx.AsyncClient, gaps: list[float], stop: asyncio.Event) -> None:
    """Ask ``/livez`` over and over, recording the time between answers, until one answer after
    ``stop``: any time the loop was held, up to the result, falls inside a recorded gap."""
    last = time.monotonic()
    while True:
        stopping = stop.is_set()
        response = await client.get("/livez")
        assert response.status_code == 200
        now = time.monotonic()
        gaps.append(now - last)
        last = now
        if stopping:
            return
        await asyncio.sleep(0.02)


@pytest.mark.timeout(60)  # before the fix the loop was held for minutes: fail, do not hang
@pytest.mark.parametrize("model", ["healthy", "refused"])
async def test_a_resume_made_to_stall_the_reader_is_answered_while_livez_answers(
    amqp_url: str,
    topology: Topology,
    gateway_side: GatewaySide,
    extractor: Extractor,
    fake_ollama: FakeOllama,
    make_docx: Callable[..., bytes],
    make_submitted: Callable[..., ResumeSubmitted],
    model: str,
) -> None:
    # The report's first lines ("A.a.a…a.1", "A-a-a-…-a-1"), above the two-column resume.
    left = "Ann Lee\nann.lee@example.com\nSKILLS\nPython, Django\nk8s, Postgres, Docker"
    right = "EXPERIENCE\nBackend Engineer, Initech\nJan 2020 - Present"
    document = make_docx(
        [HOSTILE_TEXTS["dotted run"], HOSTILE_TEXTS["hyphenated run"]], table=[[left, right]]
    )
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python", "Haskell"]})
    ollama_url = fake_ollama.url if model == "healthy" else refused_url()
    gaps: list[float] = []
    stop = asyncio.Event()
    async with running_worker(amqp_url, topology, "ollama", ollama_url, extractor) as worker:
        transport = httpx.ASGITransport(app=worker_app(worker))
        async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
            probe = asyncio.create_task(_probe_livez(client, gaps, stop))
            started = time.monotonic()
            await gateway_side.publish(make_submitted(document, "docx", seconds_left=DEADLINE_S))
            result = await _result(gateway_side, DEADLINE_S + MARGIN_S)
            elapsed = time.monotonic() - started
            stop.set()
            await probe
    assert elapsed < DEADLINE_S + MARGIN_S
    assert len(gaps) >= 2 and max(gaps) < LIVEZ_GAP_S
    payload = result.payload
    if model == "healthy":
        assert (payload.source, payload.profile.skills) == ("ai", ["Python"])
    else:
        assert (payload.source, payload.fallback_reason) == ("fallback", "connection_error")
        assert payload.profile.skills == SKILLS
        assert payload.profile.titles == ["Backend Engineer"]
