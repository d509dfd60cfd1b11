"""Pure parts of the messaging lib: names, queue arguments, and how a delivery is settled."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from aio_pika.exceptions import ChannelInvalidStateError, ChannelNotFoundEntity

from careerflow_contracts import Event, ReportGenerated, ReportGeneratedPayload, routing
from careerflow_messaging import Consumer, Handler, Publisher, Topology


def test_messaging_default_topology_uses_the_routing_names() -> None:
    topology = Topology()
    assert topology.exchange == "careerflow.events"
    assert topology.dead_letter_exchange == "careerflow.dead"
    assert topology.queue_name(routing.GATEWAY_RESULTS) == "gateway.results"
    assert topology.dead_letter_queue_name(routing.GATEWAY_RESULTS) == "gateway.results.dlq.v2"
    # Release 1's unbounded DLQ, which the topology retires into the bounded one.
    assert topology.superseded_dead_letter_queue_names(routing.GATEWAY_RESULTS) == (
        "gateway.results.dlq",
    )


def test_messaging_prefix_applies_to_queues_and_dlqs() -> None:
    topology = Topology(queue_prefix="t-1.")
    assert topology.queue_name(routing.RESUME_PARSER) == "t-1.resume-parser.resume-submitted"
    assert (
        topology.dead_letter_queue_name(routing.RESUME_PARSER)
        == "t-1.resume-parser.resume-submitted.dlq.v2"
    )
    assert topology.superseded_dead_letter_queue_names(routing.RESUME_PARSER) == (
        "t-1.resume-parser.resume-submitted.dlq",
    )


def test_messaging_queue_arguments_make_a_quorum_queue_with_limit_and_own_dlq() -> None:
    topology = Topology(queue_prefix="p.", delivery_limit=4, dead_letter_exchange="dead")
    arguments = topology.queue_arguments(routing.GATEWAY_RESULTS)
    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 4
    assert arguments["x-dead-letter-exchange"] == "dead"
    # Every event type bound to the queue dead-letters under the queue's own name.
    assert arguments["x-dead-letter-routing-key"] == "p.gateway.results"


def test_messaging_every_dlq_is_bounded_by_the_documented_retention() -> None:
    # The numbers docs/architecture.md and the README's Security section promise.
    assert Topology().dead_letter_queue_arguments() == {
        "x-queue-type": "quorum",
        "x-message-ttl": 72 * 3600 * 1000,
        "x-max-length": 1000,
        "x-max-length-bytes": 64 * 1024 * 1024,
        "x-overflow": "drop-head",
    }


class _Delivery:
    """A received message as aio-pika hands it over; its settlement can fail like a dead channel."""

    def __init__(self, body: bytes, *, channel_gone: bool = False) -> None:
        self.body = body
        self.message_id = "m-1"
        self.delivery_tag = 1
        self.settled: list[tuple[str, bool | None]] = []
        self._channel_gone = channel_gone

    async def _settle(self, how: str, requeue: bool | None) -> None:
        if self._channel_gone:
            raise ChannelInvalidStateError("channel closed")
        self.settled.append((how, requeue))

    async def ack(self) -> None:
        await self._settle("ack", None)

    async def nack(self, requeue: bool = True) -> None:
        await self._settle("nack", requeue)

    async def reject(self, requeue: bool = False) -> None:
        await self._settle("reject", requeue)


def _event() -> bytes:
    event = ReportGenerated(
        session_id=uuid.uuid4(),
        payload=ReportGeneratedPayload(source="ai", summary="fine"),
    )
    return event.model_dump_json().encode()


class _Queue:
    """A queue as a channel declares it; ``deliver`` is the broker handing it a message."""

    def __init__(self) -> None:
        self._callback: Callable[[AbstractIncomingMessage], Awaitable[Any]] | None = None

    async def bind(self, *_: Any, **__: Any) -> None:
        return None

    async def consume(self, callback: Callable[[AbstractIncomingMessage], Awaitable[Any]]) -> str:
        self._callback = callback
        return "consumer-tag"

    async def deliver(self, delivery: _Delivery) -> None:
        assert self._callback is not None, "nothing consumes the queue"
        await self._callback(cast(AbstractIncomingMessage, delivery))


class _Broker:
    """What ``Consumer.start`` asks of a connection and its channels, without a network: every
    queue is declared empty, and no queue of an earlier release is there to retire."""

    def __init__(self) -> None:
        self.queues: dict[str, _Queue] = {}
        self.is_closed = False

    async def channel(self, **_: Any) -> _Broker:
        return self

    async def set_qos(self, **_: Any) -> None:
        return None

    async def declare_exchange(self, *_: Any, **__: Any) -> object:
        return object()

    async def declare_queue(self, name: str, *, passive: bool = False, **_: Any) -> _Queue:
        if passive and name not in self.queues:
            raise ChannelNotFoundEntity(404, f"NOT_FOUND - no queue '{name}'")
        return self.queues.setdefault(name, _Queue())

    async def close(self) -> None:
        return None


async def _deliver(handler: Handler, delivery: _Delivery) -> Consumer:
    """A consumer of ``handler``, started on a broker of its own that hands it ``delivery``, once
    the delivery is settled."""
    broker = _Broker()
    consumer = Consumer(
        cast(AbstractRobustConnection, broker), Topology(), routing.GATEWAY_RESULTS, handler
    )
    await consumer.start()
    await broker.queues[consumer.name].deliver(delivery)
    assert await consumer.wait_idle(5)
    return consumer


async def test_messaging_handler_returning_acks() -> None:
    seen: list[Event] = []

    async def handler(event: Event) -> None:
        seen.append(event)

    delivery = _Delivery(_event())
    consumer = await _deliver(handler, delivery)
    assert delivery.settled == [("ack", None)]
    assert isinstance(seen[0], ReportGenerated)
    assert (consumer.consumed, consumer.acked, consumer.in_flight) == (1, 1, 0)


async def test_messaging_handler_raising_nacks_with_requeue() -> None:
    async def handler(_: Event) -> None:
        raise RuntimeError("model down")

    delivery = _Delivery(_event())
    consumer = await _deliver(handler, delivery)
    assert delivery.settled == [("nack", True)]
    assert consumer.nacked == 1


async def test_messaging_invalid_body_is_rejected_without_requeue_nor_logging_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def handler(_: Event) -> None:
        raise AssertionError("never called")

    delivery = _Delivery(b'{"type": "resume.parsed", "text": "John Smith, 12 Private Road"}')
    with caplog.at_level(logging.WARNING):
        consumer = await _deliver(handler, delivery)
    assert delivery.settled == [("reject", False)]
    assert consumer.rejected == 1
    assert "m-1" in caplog.text
    assert "Private Road" not in caplog.text


async def test_messaging_handler_validation_error_is_logged_without_its_input(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def handler(_: Event) -> None:
        ReportGeneratedPayload.model_validate({"source": "ai", "summary": ["Jane's phone 555"]})

    with caplog.at_level(logging.WARNING):
        consumer = await _deliver(handler, _Delivery(_event()))
    assert consumer.nacked == 1
    assert "ValidationError" in caplog.text
    assert "555" not in caplog.text


async def test_messaging_stale_ack_is_dropped_and_counted() -> None:
    async def handler(_: Event) -> None:
        return None

    consumer = await _deliver(handler, _Delivery(_event(), channel_gone=True))
    assert (consumer.acked, consumer.stale_acks, consumer.in_flight) == (0, 1, 0)


def test_messaging_bad_settings_are_refused() -> None:
    connection = cast(AbstractRobustConnection, object())
    with pytest.raises(ValueError, match="attempts"):
        Publisher(connection, Topology(), attempts=0)
    with pytest.raises(ValueError, match="prefetch"):
        Consumer(connection, Topology(), routing.GATEWAY_RESULTS, _never, prefetch=0)


async def _never(_: Event) -> None:
    raise AssertionError("never called")


def test_each_queue_keeps_its_own_delivery_limit_unless_overridden() -> None:
    topology = Topology()
    assert topology.queue_arguments(routing.GATEWAY_RESULTS)["x-delivery-limit"] == 10
    assert topology.queue_arguments(routing.RESUME_PARSER)["x-delivery-limit"] == 5
    override = Topology(delivery_limit=2)
    assert override.queue_arguments(routing.GATEWAY_RESULTS)["x-delivery-limit"] == 2
