"""The publisher against the real broker: confirms, returns, persistence and message ids."""

from __future__ import annotations

import uuid

import pytest
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import parse_event
from careerflow_contracts.routing import GATEWAY_RESULTS
from careerflow_messaging import Publisher, PublishError, Topology, UnroutableError

pytestmark = pytest.mark.broker


async def test_messaging_unroutable_publish_raises_and_is_not_counted(
    publisher: Publisher, connection: AbstractRobustConnection, topology: Topology
) -> None:
    body = b'{"not": "routed"}'
    with pytest.raises(UnroutableError):
        await publisher.publish_raw(
            "nobody.listens", body, message_id=str(uuid.uuid4()), type="nobody.listens"
        )
    assert (publisher.published, publisher.returned, publisher.retries) == (0, 1, 0)

    # The channel is still usable after a return.
    channel = await connection.channel()
    queue = await channel.get_queue(topology.queue_name(GATEWAY_RESULTS))
    assert queue.declaration_result.message_count == 0


async def test_messaging_unroutable_error_is_a_publish_error() -> None:
    assert issubclass(UnroutableError, PublishError)


async def test_messaging_published_message_is_persistent_with_event_id(
    publisher: Publisher, connection: AbstractRobustConnection, topology: Topology, make_event
) -> None:
    event = make_event("persistent")
    await publisher.publish(event)
    assert publisher.published == 1

    channel = await connection.channel()
    queue = await channel.get_queue(topology.queue_name(GATEWAY_RESULTS))
    message = await queue.get(no_ack=True, fail=True, timeout=5)
    assert message is not None
    assert message.delivery_mode == 2  # persistent
    assert message.message_id == str(event.event_id)
    assert message.type == event.type == "report.generated"
    assert message.content_type == "application/json"
    assert message.routing_key == event.type
    assert parse_event(message.body) == event


async def test_messaging_publish_raw_sends_the_body_as_is(
    publisher: Publisher, connection: AbstractRobustConnection, topology: Topology, make_event
) -> None:
    stored = make_event("from the outbox").model_dump_json().encode()
    message_id = str(uuid.uuid4())
    await publisher.publish_raw("report.generated", stored, message_id=message_id, type="x")

    channel = await connection.channel()
    queue = await channel.get_queue(topology.queue_name(GATEWAY_RESULTS))
    message = await queue.get(no_ack=True, fail=True, timeout=5)
    assert message is not None
    assert (message.body, message.message_id, message.type) == (stored, message_id, "x")


async def test_messaging_publish_before_start_is_refused(
    connection: AbstractRobustConnection, topology: Topology, make_event
) -> None:
    with pytest.raises(RuntimeError, match="start"):
        await Publisher(connection, topology).publish(make_event())
