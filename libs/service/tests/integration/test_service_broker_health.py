"""A worker's /health and /readyz tell the truth about its broker: failing while RabbitMQ is away
(the robust connection is then reconnecting, not closed), passing again once it is back, with
the worker answering requests again. The broker is taken away through a proxy this test cuts;
the real RabbitMQ, shared with other tests, keeps running."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from service_worker_events import answer_without_the_model, questions_requested

from careerflow_contracts import routing
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_messaging import Topology
from careerflow_service import Worker, WorkerSettings, worker_app
from careerflow_testing.proxy import SwitchableProxy, proxied, target_of
from careerflow_testing.results import open_gateway_side
from careerflow_testing.settings import topology_settings
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.broker]


async def test_health_fails_while_the_broker_is_away_and_passes_once_it_is_back(
    amqp_url: str, topology: Topology
) -> None:
    proxy = SwitchableProxy(*target_of(amqp_url))
    await proxy.up()
    settings = WorkerSettings(
        amqp_url=proxied(amqp_url, proxy.port), **topology_settings(topology), shutdown_grace_s=5
    )
    llm = OllamaClient(OllamaSettings(enabled=False))
    try:
        async with Worker(
            "test-worker", settings, {routing.QUESTION_GEN: answer_without_the_model}, llm=llm
        ) as w:
            app = worker_app(w)
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://w"
            ) as client:

                async def broker_check() -> dict[str, str]:
                    health = (await client.get("/health")).json()
                    return dict(health["checks"]["broker"][0])

                assert (await broker_check())["status"] == "pass"

                await proxy.down()
                failing = await wait_until(
                    lambda: _with_status(broker_check, "fail"),
                    message="the worker's /health sees the broker gone",
                )
                assert failing["output"] == "not connected to RabbitMQ"
                assert (await client.get("/readyz")).status_code == 503

                await proxy.up()
                await wait_until(
                    lambda: _with_status(broker_check, "pass"),
                    timeout_s=20,
                    message="the worker's /health sees the broker back",
                )
                assert (await client.get("/readyz")).status_code == 200

            request = questions_requested()
            async with open_gateway_side(amqp_url, topology) as gateway:
                await gateway.publish(request)
                (result,) = await gateway.results(1, 20)
            assert result.event_id == request.result_event_id("questions.generated")
    finally:
        await proxy.down()


async def _with_status(
    check: Callable[[], Awaitable[dict[str, str]]], status: str
) -> dict[str, str] | None:
    result = await check()
    return result if result["status"] == status else None
