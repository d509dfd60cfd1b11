"""The one way services connect to RabbitMQ: a robust connection with heartbeats.

A robust connection reconnects by itself after a broker restart or a network cut and restores
its channels, their QoS, the entities declared on them and their consumers.
"""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractRobustConnection
from pamqp.common import FieldTable


async def connect(
    url: str,
    *,
    heartbeat_s: int = 30,
    name: str | None = None,
    reconnect_interval_s: float = 2.0,
    timeout_s: float = 10.0,
) -> AbstractRobustConnection:
    """Open a robust connection; ``name`` shows in the broker's connection list.

    The first attempt fails fast (``timeout_s``) so a misconfigured service says so at start-up;
    later losses are retried every ``reconnect_interval_s`` until the connection is closed.
    """
    client_properties: FieldTable | None = {"connection_name": name} if name else None
    return await aio_pika.connect_robust(
        url,
        heartbeat=heartbeat_s,
        reconnect_interval=reconnect_interval_s,
        timeout=timeout_s,
        client_properties=client_properties,
    )


def is_connected(connection: AbstractRobustConnection | None) -> bool:
    """Whether ``connection`` is up now: not closed for good, and not between a loss and its
    reconnection. A robust connection that lost the broker is not closed (it reconnects by
    itself): its ``connected`` flag says so, cleared on a loss and set once reconnected."""
    return connection is not None and not connection.is_closed and connection.connected.is_set()
