"""A watch on the real broker: told of each event of its routing keys, with the event's time,
without taking it from the work queue that carries it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import ReportGenerated, ReportGeneratedPayload, routing
from careerflow_messaging import Publisher, Topology, Watch
from careerflow_messaging.watch import occurred_at

pytestmark = pytest.mark.broker

MADE_AT = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def _report(summary: str) -> ReportGenerated:
    return ReportGenerated(
        session_id=uuid.uuid4(),
        occurred_at=MADE_AT,
        payload=ReportGeneratedPayload(
            source="fallback", fallback_reason="disabled", summary=summary
        ),
    )


async def test_a_watch_sees_its_routing_keys_and_the_work_queue_still_gets_them(
    publisher: Publisher, connection: AbstractRobustConnection, topology: Topology
) -> None:
    seen: list[tuple[str, datetime]] = []
    arrived = asyncio.Event()

    def on_event(routing_key: str, when: datetime) -> None:
        seen.append((routing_key, when))
        arrived.set()

    watch = Watch(connection, topology, [routing.REPORT_GENERATED], on_event)
    await watch.start()
    try:
        await publisher.publish_raw(
            routing.RESUME_PARSED, b"{}", message_id=str(uuid.uuid4()), type="resume.parsed"
        )
        await publisher.publish(_report("watched"))
        await asyncio.wait_for(arrived.wait(), 5)
    finally:
        await watch.stop()
    assert seen == [(routing.REPORT_GENERATED, MADE_AT)]  # not the resume.parsed before it
    channel = await connection.channel()
    results = await channel.get_queue(topology.queue_name(routing.GATEWAY_RESULTS))
    # Both are still in the results queue: the watch took a copy, not the work.
    assert results.declaration_result.message_count == 2


def test_a_body_without_a_time_is_taken_as_made_now() -> None:
    before = datetime.now(UTC)
    assert occurred_at(b"not json") >= before
    assert occurred_at(_report("x").model_dump_json().encode()) == MADE_AT
