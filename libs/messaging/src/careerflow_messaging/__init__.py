"""CareerFlow messaging on aio-pika: topology, confirmed publisher and consumer runner.

The rules it implements are docs/architecture.md's "Messaging rules": quorum queues with a
delivery limit and one DLQ each, confirmed mandatory persistent publishing with retry on unknown
outcome, ack after the effect, and a robust connection with heartbeats.
"""

from careerflow_messaging.connection import connect, is_connected
from careerflow_messaging.consumer import Consumer, Handler
from careerflow_messaging.publisher import Publisher, PublishError, UnroutableError
from careerflow_messaging.topology import (
    Topology,
    declare_binding,
    declare_topology,
    delete_topology,
    retire_superseded_dead_letter_queues,
)
from careerflow_messaging.watch import Watch

__all__ = [
    "Consumer",
    "Handler",
    "PublishError",
    "Publisher",
    "Topology",
    "UnroutableError",
    "Watch",
    "connect",
    "is_connected",
    "declare_binding",
    "declare_topology",
    "delete_topology",
    "retire_superseded_dead_letter_queues",
]
