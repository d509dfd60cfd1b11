"""Each test gets its own empty database and its own broker names, on the real servers; the
gateway side of a worker test reads what reaches the results queue; a declared topology lasts
as long as its block."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from aio_pika.exceptions import ChannelClosed

from careerflow_contracts import ReportGenerated, ReportGeneratedPayload, routing
from careerflow_messaging import Topology, connect
from careerflow_testing.results import open_gateway_side
from careerflow_testing.topologies import declared_topology, tagged_topology, unique_tag

_seen: set[str] = set()


@pytest.mark.database
@pytest.mark.parametrize("round_", [1, 2])
async def test_each_test_gets_a_fresh_empty_database(database_url: str, round_: int) -> None:
    assert database_url not in _seen
    _seen.add(database_url)
    connection = await asyncpg.connect(database_url)
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        assert tables == 0
        await connection.execute("CREATE TABLE leftover (id int)")
        assert (
            await connection.fetchval("SELECT current_database()") == database_url.rsplit("/")[-1]
        )
    finally:
        await connection.close()


@pytest.mark.broker
@pytest.mark.parametrize("round_", [1, 2])
async def test_each_test_gets_its_own_declared_topology(
    amqp_url: str, topology: Topology, round_: int
) -> None:
    names = {topology.exchange, topology.dead_letter_exchange, topology.queue_prefix}
    assert not names & _seen
    _seen.update(names)
    connection = await connect(amqp_url)
    try:
        channel = await connection.channel()
        for binding in routing.ALL_BINDINGS:
            # A passive declaration fails unless the fixture declared the queue; it starts empty.
            queue = await channel.declare_queue(topology.queue_name(binding), passive=True)
            assert queue.declaration_result.message_count == 0
            await channel.declare_queue(topology.dead_letter_queue_name(binding), passive=True)
    finally:
        await connection.close()


@pytest.mark.broker
async def test_the_gateway_side_reads_what_reaches_the_results_queue(
    amqp_url: str, topology: Topology
) -> None:
    # A result type is routed to gateway.results: what a worker under test would publish.
    sent = [
        ReportGenerated(
            session_id=uuid.uuid4(),
            payload=ReportGeneratedPayload(
                source="fallback", fallback_reason="disabled", summary="a report"
            ),
        )
        for _ in range(2)
    ]
    async with open_gateway_side(amqp_url, topology) as gateway:
        for event in sent:
            await gateway.publish(event)
        received = await gateway.results(2, 10)
        with pytest.raises(TimeoutError):
            await gateway.results(1, 0.2)  # each was read once, and acked
    assert [event.event_id for event in received] == [event.event_id for event in sent]


@pytest.mark.broker
async def test_a_declared_topology_holds_its_bindings_queues_for_the_block_only(
    amqp_url: str,
) -> None:
    topology = tagged_topology(unique_tag())
    results, parser = routing.GATEWAY_RESULTS, routing.RESUME_PARSER
    connection = await connect(amqp_url)
    try:

        async def exists(queue_name: str) -> bool:
            channel = await connection.channel()
            try:
                await channel.declare_queue(queue_name, passive=True)
            except ChannelClosed:
                return False
            await channel.close()
            return True

        async with declared_topology(amqp_url, topology, [results]):
            assert await exists(topology.queue_name(results))
            assert await exists(topology.dead_letter_queue_name(results))
            assert not await exists(topology.queue_name(parser))
        assert not await exists(topology.queue_name(results))
        assert not await exists(topology.dead_letter_queue_name(results))
    finally:
        await connection.close()
