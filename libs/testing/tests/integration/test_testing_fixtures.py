"""Each test gets its own empty database and its own broker names, on the real servers."""

from __future__ import annotations

import asyncpg
import pytest

from careerflow_contracts import routing
from careerflow_messaging import Topology, connect

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
