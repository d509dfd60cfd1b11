"""Fixtures for the messaging tests against the real broker.

``amqp_url`` and ``topology`` (unique names per test, declared before and deleted after, delivery
limit 3) come from the careerflow_testing pytest plugin.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import ReportGenerated, ReportGeneratedPayload
from careerflow_messaging import Publisher, Topology, connect


@pytest.fixture
def connection_name() -> str:
    return f"test-messaging-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def connection(
    amqp_url: str, connection_name: str
) -> AsyncIterator[AbstractRobustConnection]:
    # A short reconnect interval keeps the reconnection tests fast.
    conn = await connect(amqp_url, name=connection_name, reconnect_interval_s=0.5)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def publisher(
    connection: AbstractRobustConnection, topology: Topology
) -> AsyncIterator[Publisher]:
    pub = Publisher(connection, topology, confirm_timeout_s=5.0)
    await pub.start()
    try:
        yield pub
    finally:
        await pub.close()


def report_generated(summary: str = "a report") -> ReportGenerated:
    """A small valid event, routed to the gateway's results queue."""
    return ReportGenerated(
        session_id=uuid.uuid4(),
        payload=ReportGeneratedPayload(
            source="fallback", fallback_reason="disabled", summary=summary
        ),
    )


@pytest.fixture
def make_event() -> Callable[..., ReportGenerated]:
    return report_generated


def rabbitmqctl(*args: str, timeout_s: float = 60.0) -> str:
    done = subprocess.run(
        ["rabbitmqctl", *args], capture_output=True, text=True, timeout=timeout_s, check=True
    )
    return done.stdout


async def close_connection_on_broker(connection_name: str) -> None:
    """Make the broker drop our connection, as a network cut or a broker failover would."""
    listing = await asyncio.to_thread(
        rabbitmqctl, "list_connections", "pid", "client_properties", "-s"
    )
    marker = f'{{"connection_name","{connection_name}"}}'
    pids = [line.split("\t", 1)[0] for line in listing.splitlines() if marker in line]
    assert pids, f"no broker connection named {connection_name}"
    for pid in pids:
        await asyncio.to_thread(rabbitmqctl, "close_connection", pid, "test: forced close")


@pytest.fixture
def drop_connection(connection_name: str) -> Callable[..., Awaitable[None]]:
    """Have the broker close the test's ``connection``, or the connection of the given name."""

    def drop(name: str = connection_name) -> Awaitable[None]:
        return close_connection_on_broker(name)

    return drop
