"""Where the tests find RabbitMQ and Postgres, and a clear failure when they cannot.

The order: ``CAREERFLOW_TEST_AMQP_URL`` / ``CAREERFLOW_TEST_DATABASE_URL`` when set; else a
testcontainers container when a Docker engine answers; else the default local ports. A test that
needs an unreachable server fails with the commands that start it: it is never skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"

HOW_TO_START = {
    "RabbitMQ": (
        "start it with `rabbitmq-server -detached` (or `make services`), run `make test` which "
        "starts or installs it, or set CAREERFLOW_TEST_AMQP_URL to a reachable broker"
    ),
    "PostgreSQL": (
        "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
        "(or `make services`), run `make test` which starts or installs it, or set "
        "CAREERFLOW_TEST_DATABASE_URL to a reachable server"
    ),
}


class UnreachableError(RuntimeError):
    """A server the tests need does not answer."""


def docker_engine_answers(timeout_s: float = 5.0) -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


def ensure_reachable(what: str, url: str, default_port: int, timeout_s: float = 3.0) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return
    except OSError as exc:
        raise UnreachableError(
            f"{what} is not reachable at {host}:{port} ({exc.strerror or exc}); "
            f"{HOW_TO_START[what]}."
        ) from exc


def rabbitmq_from_container(stack: ExitStack) -> str:
    from testcontainers.rabbitmq import RabbitMqContainer

    container = stack.enter_context(RabbitMqContainer("rabbitmq:3.13-management"))
    host = container.get_container_host_ip()
    port = container.get_exposed_port(5672)
    return f"amqp://guest:guest@{host}:{port}/"


def postgres_from_container(stack: ExitStack) -> str:
    from testcontainers.postgres import PostgresContainer

    container = stack.enter_context(PostgresContainer("postgres:16-alpine", driver=None))
    url: str = container.get_connection_url()
    return url


@asynccontextmanager
async def fresh_database(
    server_url: str, prefix: str = "cf_test", *, template: str | None = None
) -> AsyncIterator[str]:
    """A new database on the server at ``server_url``, dropped (even if in use) after: empty, or a
    copy of ``template`` (see :mod:`careerflow_testing.database_templates`)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"{copy_of}')
    finally:
        await admin.close()
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
