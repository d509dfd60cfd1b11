"""An event in a version the consumer does not know goes to the DLQ at once, unread."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from aio_pika import Message
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event, ReportGenerated, ReportGeneratedPayload
from careerflow_contracts.routing import GATEWAY_RESULTS
from careerflow_messaging import Consumer, Topology
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.broker

SECRET = "Jane Doe, jane@example.com, 555-0100"


async def _depth(connection: AbstractRobustConnection, queue_name: str) -> int:
    channel = await connection.channel()
    try:
        queue = await channel.declare_queue(queue_name, passive=True)
        return queue.declaration_result.message_count or 0
    finally:
        await channel.close()


async def test_messaging_an_unknown_event_version_is_dead_lettered_without_its_payload_logged(
    connection: AbstractRobustConnection, topology: Topology, caplog
) -> None:
    caplog.set_level(logging.INFO)
    handled: list[Event] = []

    async def handler(event: Event) -> None:
        handled.append(event)

    consumer = Consumer(connection, topology, GATEWAY_RESULTS, handler)
    await consumer.start()
    try:
        future = ReportGenerated(
            session_id=uuid.uuid4(),
            payload=ReportGeneratedPayload(source="ai", model="m", summary=SECRET),
        )
        raw = json.loads(future.model_dump_json())
        raw["version"] = 99  # a later release's report.generated, which this one cannot read
        channel = await connection.channel()
        exchange = await channel.get_exchange(topology.exchange)
        await exchange.publish(
            Message(json.dumps(raw).encode(), message_id=str(future.event_id)),
            routing_key="report.generated",
        )
        dlq = topology.dead_letter_queue_name(GATEWAY_RESULTS)

        async def dead_lettered() -> bool:
            return await _depth(connection, dlq) == 1

        await wait_until(dead_lettered, message="the unknown version in the DLQ")
        # Rejected once, straight to the DLQ: no requeue loop through the delivery limit.
        assert (consumer.consumed, consumer.rejected, consumer.nacked, consumer.acked) == (
            1,
            1,
            0,
            0,
        )
        assert handled == []
        dead = await (await channel.get_queue(dlq)).get(no_ack=True, fail=True, timeout=5)
        assert dead is not None and dead.message_id == str(future.event_id)
        assert json.loads(dead.body)["payload"]["summary"] == SECRET  # kept whole for replay
        assert str(future.event_id) in caplog.text
        assert "report.generated version 99" in caplog.text
        assert "jane" not in caplog.text.lower()
        await channel.close()
    finally:
        await consumer.stop()
