"""The gateway's outbox relay alone: how fast it drains a backlog, in rows per second.

``ROWS`` sessions, each with its ``resume.submitted`` row in the outbox, are committed to a fresh
database while no relay runs (as after a broker outage); then one ``OutboxRelay`` of the code
this process imports publishes them, batch after batch, on a fresh topology of the local
RabbitMQ with publisher confirms, until none is left. Prints ``{"rows": ..., "seconds": ...,
"rows_per_s": ...}``. ``make bench``'s ``down`` scenario runs it once per code it measures,
with that code first on ``PYTHONPATH``.

    uv run python scripts/bench_relay.py [--rows 400]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import time
import uuid

from careerflow_contracts import ResumeSubmitted, ResumeSubmittedPayload
from careerflow_gateway.db import create_pool, upgrade_database
from careerflow_gateway.outbox import OutboxRelay, enqueue
from careerflow_messaging import Publisher, connect, declare_topology, delete_topology
from careerflow_testing.infrastructure import (
    DEFAULT_AMQP_URL,
    DEFAULT_DATABASE_URL,
    fresh_database,
)
from careerflow_testing.topologies import tagged_topology, unique_tag

AMQP_URL = os.environ.get("CAREERFLOW_TEST_AMQP_URL", DEFAULT_AMQP_URL)
POSTGRES_URL = os.environ.get("CAREERFLOW_TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
DOCUMENT = base64.b64encode(b"%PDF-1.4 " + b"x" * 20_000).decode()
"""About the size of a one-page resume, which each request event carries."""


async def drain(rows: int) -> dict[str, float]:
    tag = unique_tag("bench-relay")
    topology = tagged_topology(tag)
    async with fresh_database(POSTGRES_URL, "cf_relay") as database_url:
        await upgrade_database(database_url)
        pool = await create_pool(database_url)
        connection = await connect(AMQP_URL, name=tag)
        try:
            channel = await connection.channel()
            await declare_topology(channel, topology)
            for _ in range(rows):
                session_id = uuid.uuid4()
                async with pool.acquire() as conn, conn.transaction():
                    await conn.execute(
                        "INSERT INTO sessions (id, user_id, status, target_role, job_description) "
                        "VALUES ($1, 'bench', 'parsing', 'Dev', 'Python')",
                        session_id,
                    )
                    event = ResumeSubmitted(
                        session_id=session_id,
                        payload=ResumeSubmittedPayload(document_type="pdf", document=DOCUMENT),
                    )
                    await enqueue(conn, event)
            publisher = Publisher(connection, topology)
            await publisher.start()

            async def publish(routing_key: str, body: bytes, event_id: str) -> None:
                await publisher.publish_raw(
                    routing_key, body, message_id=event_id, type=routing_key
                )

            relay = OutboxRelay(pool)
            relay.attach(publish)
            started = time.perf_counter()
            sent = 0
            while batch := await relay.publish_batch():
                sent += batch
            seconds = time.perf_counter() - started
            assert sent == rows, f"{sent} of {rows} rows sent"
            await publisher.close()
            await delete_topology(channel, topology)
        finally:
            await connection.close()
            await pool.close()
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=400)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(drain(args.rows))))


if __name__ == "__main__":
    main()
