"""While Postgres is away the results consumer stops consuming, and resumes after: no result is
dead-lettered because of an outage."""

from __future__ import annotations

import asyncio
from functools import partial

import aio_pika
import pytest
from gateway_testkit import (
    WorkerDouble,
    bearer,
    gateway_settings,
    session_form,
    start_gateway,
)

from careerflow_contracts import routing
from careerflow_messaging import Topology
from careerflow_testing.proxy import SwitchableProxy, proxied, target_of
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]


async def test_results_wait_out_a_database_outage(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    # Postgres is shared with other tests: the gateway reaches it through a proxy we cut.
    proxy = SwitchableProxy(*target_of(database_url))
    await proxy.up()
    settings = gateway_settings(proxied(database_url, proxy.port), amqp_url)
    workers.gates["questions.requested"] = asyncio.Event()
    async for gateway in start_gateway(settings, topology):
        created = await gateway.client.post(
            "/v1/sessions", headers=bearer("alice"), **session_form()
        )
        sid = created.json()["id"]
        await gateway.wait_status(sid, "generating")
        await wait_until(
            lambda: any(e.type == "questions.requested" for e in workers.received),
            message="questions requested",
        )

        await proxy.down()
        workers.gates["questions.requested"].set()  # the result arrives during the outage
        intake = gateway.state.intake
        await wait_until(partial(getattr, intake, "database_down"), message="the outage noticed")
        consumer = gateway.state.broker.consumer
        assert consumer is not None and consumer.paused
        assert (await gateway.client.get("/readyz")).status_code == 503
        await asyncio.sleep(1.0)  # several retries' worth of outage

        await proxy.up()
        await gateway.wait_status(sid, "ready", timeout_s=20)
        assert not consumer.paused
        assert consumer.nacked == 0

    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        dlq = await channel.declare_queue(
            topology.dead_letter_queue_name(routing.GATEWAY_RESULTS), passive=True
        )
        assert dlq.declaration_result.message_count == 0
    finally:
        await connection.close()
    await proxy.down()
