"""The worker runtime on the real broker: request in, handler, confirmed result out, then ack."""

from __future__ import annotations

import uuid

import httpx
import pytest
from service_worker_events import answer_without_the_model, questions_requested

from careerflow_contracts import (
    Event,
    EventBase,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    routing,
)
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_messaging import Topology
from careerflow_service import Publish, Worker, WorkerSettings, worker_app
from careerflow_testing.results import open_gateway_side
from careerflow_testing.settings import topology_settings
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.broker]


def _settings(topology: Topology, amqp_url: str) -> WorkerSettings:
    return WorkerSettings(
        amqp_url=amqp_url,
        **topology_settings(topology),
        shutdown_grace_s=5,
    )


async def _round_trip(amqp_url: str, topology: Topology, request: EventBase) -> Event:
    """Publish ``request`` as the gateway would and return the one result it gets."""
    async with open_gateway_side(amqp_url, topology) as gateway:
        await gateway.publish(request)
        (event,) = await gateway.results(1, 10)
    return event


async def test_a_request_is_answered_with_its_derived_result(
    amqp_url: str, topology: Topology
) -> None:
    llm = OllamaClient(OllamaSettings(enabled=False))
    request = questions_requested()
    async with Worker(
        "test-worker",
        _settings(topology, amqp_url),
        {routing.QUESTION_GEN: answer_without_the_model},
        llm=llm,
    ) as worker:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=worker_app(worker)), base_url="http://w"
        ) as client:
            assert (await client.get("/readyz")).status_code == 200
            health = (await client.get("/health")).json()
            assert health["checks"]["broker"][0]["status"] == "pass"
        result = await _round_trip(amqp_url, topology, request)
        assert isinstance(result, QuestionsGenerated)
        assert result.event_id == request.result_event_id("questions.generated")
        assert result.causation_id == request.event_id
        assert worker.consumers[0].acked == 1


async def test_a_handler_that_fails_leaves_the_request_unacked_for_redelivery(
    amqp_url: str, topology: Topology
) -> None:
    calls: list[uuid.UUID] = []

    async def flaky(event: QuestionsRequested) -> QuestionsGenerated:
        calls.append(event.event_id)
        if len(calls) == 1:
            raise RuntimeError("first attempt fails")
        return await answer_without_the_model(event)

    llm = OllamaClient(OllamaSettings(enabled=False))
    request = questions_requested()
    async with Worker(
        "test-worker", _settings(topology, amqp_url), {routing.QUESTION_GEN: flaky}, llm=llm
    ):
        result = await _round_trip(amqp_url, topology, request)
    assert calls == [request.event_id, request.event_id]
    assert result.event_id == request.result_event_id("questions.generated")


async def test_a_handler_may_publish_parts_before_its_result(
    amqp_url: str, topology: Topology
) -> None:
    """Each part is confirmed before the handler goes on; the result comes last, then the ack."""

    async def in_parts(event: QuestionsRequested, *, publish: Publish) -> QuestionsGenerated:
        for part in ("first", "second"):
            await publish(
                event.reply(
                    QuestionsGenerated,
                    QuestionsGeneratedPayload(
                        questions=[], source="fallback", fallback_reason="disabled"
                    ),
                    event_id=uuid.uuid5(event.event_id, part),
                )
            )
        return await answer_without_the_model(event)

    llm = OllamaClient(OllamaSettings(enabled=False))
    request = questions_requested()
    async with Worker(
        "test-worker", _settings(topology, amqp_url), {routing.QUESTION_GEN: in_parts}, llm=llm
    ) as worker:
        async with open_gateway_side(amqp_url, topology) as gateway:
            await gateway.publish(request)
            results = await gateway.results(3, 10)
        assert worker.consumers[0].acked == 1
    assert [r.event_id for r in results] == [
        uuid.uuid5(request.event_id, "first"),
        uuid.uuid5(request.event_id, "second"),
        request.result_event_id("questions.generated"),
    ]


async def test_a_handler_that_returns_nothing_settles_the_request_with_no_result(
    amqp_url: str, topology: Topology
) -> None:
    """The request is acked and nothing is published: the next request's result is the first
    one the results queue receives."""
    given_up = questions_requested()

    async def gives_up_once(event: QuestionsRequested) -> QuestionsGenerated | None:
        return (
            None if event.event_id == given_up.event_id else await answer_without_the_model(event)
        )

    llm = OllamaClient(OllamaSettings(enabled=False))
    answered = questions_requested()
    async with Worker(
        "test-worker", _settings(topology, amqp_url), {routing.QUESTION_GEN: gives_up_once}, llm=llm
    ) as worker:
        async with open_gateway_side(amqp_url, topology) as gateway:
            await gateway.publish(given_up)
            await gateway.publish(answered)
            results = await gateway.results(1, 10)
        # The second request is acked once its result is confirmed, a moment after it is sent.
        await wait_until(lambda: worker.consumers[0].acked == 2, message="both requests acked")
    assert [r.event_id for r in results] == [answered.result_event_id("questions.generated")]


async def test_readyz_fails_once_the_worker_has_stopped(amqp_url: str, topology: Topology) -> None:
    worker = Worker(
        "test-worker",
        _settings(topology, amqp_url),
        {routing.QUESTION_GEN: answer_without_the_model},
        llm=OllamaClient(OllamaSettings(enabled=False)),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=worker_app(worker)), base_url="http://w"
    ) as client:
        assert (await client.get("/readyz")).status_code == 503
        async with worker:
            assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 503


async def test_on_start_runs_once_before_the_first_message(
    amqp_url: str, topology: Topology
) -> None:
    seen: list[str] = []

    async def warm_up() -> None:
        seen.append("warm-up")

    async def answer(event: QuestionsRequested) -> QuestionsGenerated:
        seen.append("message")
        return await answer_without_the_model(event)

    settings = _settings(topology, amqp_url)
    llm = OllamaClient(OllamaSettings(enabled=False))
    worker = Worker(
        "test-worker", settings, {routing.QUESTION_GEN: answer}, llm=llm, on_start=warm_up
    )
    async with worker:
        await _round_trip(amqp_url, topology, questions_requested())
    assert seen == ["warm-up", "message"]
