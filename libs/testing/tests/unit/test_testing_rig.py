"""The rig fails loudly, with how to start the server, when one is unreachable."""

from __future__ import annotations

import socket

import pytest

from careerflow_testing.infrastructure import UnreachableError, ensure_reachable


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_broker_names_the_commands_to_start_it() -> None:
    port = _closed_port()
    with pytest.raises(UnreachableError) as caught:
        ensure_reachable("RabbitMQ", f"amqp://guest:guest@127.0.0.1:{port}/", 5672, timeout_s=1)
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "rabbitmq-server -detached" in message
    assert "CAREERFLOW_TEST_AMQP_URL" in message


def test_unreachable_database_names_the_commands_to_start_it() -> None:
    port = _closed_port()
    with pytest.raises(UnreachableError, match="pg_ctlcluster"):
        ensure_reachable("PostgreSQL", f"postgresql://p@127.0.0.1:{port}/x", 5432, timeout_s=1)


def test_a_listening_port_is_reachable() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        ensure_reachable("RabbitMQ", f"amqp://127.0.0.1:{port}/", 5672, timeout_s=1)
