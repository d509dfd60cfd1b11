"""The whole system as processes, for end-to-end, fault and load tests.

``RunningSystem`` starts the four services' console scripts against the real RabbitMQ and
Postgres, with an exchange and queue names of its own and a fresh database, and the fake Ollama
at a URL the test chooses. It can kill (SIGKILL) and restart one service, drive the REST API,
read the broker's queues (the dead-letter queues above all) and query the gateway's database.
On ``stop`` it ends the services with SIGTERM and deletes its queues and exchange.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import socket
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import jwt
from aio_pika.exceptions import ChannelClosed

from careerflow_contracts import routing
from careerflow_messaging import Topology, connect, delete_topology
from careerflow_testing.waiting import wait_until

WORKERS = {
    "resume-parser": "RESUME_PARSER",
    "question-gen": "QUESTION_GEN",
    "evaluator": "EVALUATOR",
}
SERVICES = {"gateway": "GATEWAY", **WORKERS}
READY_TIMEOUT_S = 45.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class RunningSystem:
    amqp_url: str
    database_url: str
    ollama_url: str
    log_dir: Path
    worker_env: Mapping[str, str] = field(default_factory=dict)
    """Settings given to every worker, without the prefix (``PREFETCH``, ``OLLAMA_TIMEOUT_S``)."""
    service_env: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Settings of one service by its name, without the prefix; applied after ``worker_env``."""
    tag: str = field(default_factory=lambda: f"e2e-{uuid.uuid4().hex[:8]}")
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    @property
    def topology(self) -> Topology:
        return Topology(
            exchange=f"{self.tag}.careerflow.events",
            dead_letter_exchange=f"{self.tag}.careerflow.dead",
            queue_prefix=f"{self.tag}.",
        )

    def env_for(self, name: str) -> dict[str, str]:
        prefix = SERVICES[name]
        topology = self.topology
        env = dict(os.environ)
        env.update(
            {
                "AMQP_URL": self.amqp_url,
                "DATABASE_URL": self.database_url,
                "OLLAMA_URL": self.ollama_url,
                "PYTHONUNBUFFERED": "1",
                "GATEWAY_ENVIRONMENT": "development",
                "GATEWAY_JWT_SECRET": self.secret,
                "GATEWAY_MIGRATE_ON_START": "true",
                "GATEWAY_RELAY_POLL_INTERVAL_S": "0.1",
                "GATEWAY_RELAY_RETRY_MAX_S": "1",
                # The bursts start dozens of sessions as one user within seconds.
                "GATEWAY_SESSION_CREATE_LIMIT": "1000",
                f"{prefix}_PORT": str(self.ports[name]),
                f"{prefix}_HOST": "127.0.0.1",
                f"{prefix}_QUEUE_PREFIX": topology.queue_prefix,
                f"{prefix}_EXCHANGE": topology.exchange,
                f"{prefix}_DEAD_LETTER_EXCHANGE": topology.dead_letter_exchange,
            }
        )
        settings: dict[str, str] = dict(self.worker_env) if name in WORKERS else {}
        settings.update(self.service_env.get(name, {}))
        for key, value in settings.items():
            env[f"{prefix}_{key}"] = value
        return env

    # -- processes ---------------------------------------------------------------------

    async def start(self, ready_timeout_s: float = READY_TIMEOUT_S) -> None:
        """Start the four services at once, wait until each is ready (``ready_timeout_s``
        each: longer for a benchmark on a loaded machine, where imports alone take seconds).

        The gateway migrates the fresh database as it starts (``MIGRATE_ON_START``, its
        default), before it answers ready: a separate ``gateway migrate`` process would import
        the gateway once more, seconds of CPU on a loaded 2-core machine, ahead of its start.
        """
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in SERVICES:
            self.ports.setdefault(name, free_port())
        for name in SERVICES:
            await self.start_service(name)
        await asyncio.gather(*(self.wait_ready(name, ready_timeout_s) for name in SERVICES))

    async def start_service(self, name: str) -> None:
        log = (self.log_dir / f"{name}.log").open("ab")
        self.processes[name] = await asyncio.create_subprocess_exec(
            _script(name), env=self.env_for(name), stdout=log, stderr=log
        )
        log.close()

    async def wait_ready(self, name: str, timeout_s: float = READY_TIMEOUT_S) -> None:
        async with httpx.AsyncClient(timeout=1.0) as client:

            async def ready() -> bool:
                process = self.processes[name]
                if process.returncode is not None:
                    raise AssertionError(
                        f"{name} exited with {process.returncode}: {self.tail(name)}"
                    )
                try:
                    response = await client.get(f"http://127.0.0.1:{self.ports[name]}/readyz")
                except httpx.HTTPError:
                    return False
                return response.status_code == 200

            await wait_until(
                ready,
                timeout_s=timeout_s,
                interval_s=0.05,
                message=lambda: f"{name} ready: {self.tail(name)}",
            )

    async def kill(self, name: str) -> None:
        """SIGKILL: no shutdown code runs, unacked messages go back to the broker."""
        process = self.processes[name]
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()

    async def restart(self, name: str) -> None:
        await self.kill(name)
        await self.start_service(name)
        await self.wait_ready(name)

    async def stop(self) -> None:
        """SIGTERM every service, wait for each, then delete this run's queues and exchange."""
        for process in self.processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        slow: list[str] = []
        for name, process in self.processes.items():
            try:
                async with asyncio.timeout(25):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
                slow.append(name)
        await self.delete_topology()
        assert not slow, f"{slow} did not stop on SIGTERM within 25 s"

    async def in_flight(self, name: str) -> int:
        """Messages a worker is handling now, as its ``/health`` reports (0 if it cannot say)."""
        async with httpx.AsyncClient(timeout=2.0) as client:
            try:
                response = await client.get(f"http://127.0.0.1:{self.ports[name]}/health")
                broker = response.json()["checks"]["broker"][0]
            except (httpx.HTTPError, KeyError, ValueError):
                return 0
        return int(broker.get("observedValue", {}).get("in_flight", 0))

    async def breaker_state(self, name: str) -> str:
        """The state of a worker's circuit breaker (``closed``, ``open``, ``half_open``)."""
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(f"http://127.0.0.1:{self.ports[name]}/health")
        model = response.json()["checks"]["model"][0]
        return str(model["observedValue"]["breaker"]["state"])

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # -- the API -----------------------------------------------------------------------

    def token(self, user: str = "alice") -> str:
        now = int(time.time())
        claims = {
            "sub": user,
            "iss": "careerflow",  # the gateway's default issuer and audience
            "aud": "careerflow-api",
            "iat": now,
            "exp": now + 3600,
        }
        return jwt.encode(claims, self.secret, "HS256")

    def client(self, user: str = "alice", timeout_s: float = 15.0) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.gateway_url,
            headers={"Authorization": f"Bearer {self.token(user)}"},
            timeout=timeout_s,
        )

    # -- the broker --------------------------------------------------------------------

    async def queue_depths(self, *, dead_letters: bool) -> dict[str, int]:
        """Messages ready in each work queue (or each DLQ) of this run, by queue name."""
        topology = self.topology
        names = [
            topology.dead_letter_queue_name(b) if dead_letters else topology.queue_name(b)
            for b in routing.ALL_BINDINGS
        ]
        connection = await connect(self.amqp_url, name=f"{self.tag}-inspect")
        depths: dict[str, int] = {}
        try:
            for name in names:
                channel = await connection.channel()
                try:
                    queue = await channel.declare_queue(name, passive=True)
                    depths[name] = queue.declaration_result.message_count or 0
                except ChannelClosed:
                    depths[name] = 0  # never declared: nothing was dead-lettered into it
                finally:
                    if not channel.is_closed:
                        await channel.close()
        finally:
            await connection.close()
        return depths

    async def delete_topology(self) -> None:
        connection = await connect(self.amqp_url, name=f"{self.tag}-cleanup")
        try:
            channel = await connection.channel()
            await delete_topology(channel, self.topology)
        finally:
            await connection.close()

    # -- the database ------------------------------------------------------------------

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.database_url)
        try:
            rows: list[asyncpg.Record] = await connection.fetch(query, *args)
        finally:
            await connection.close()
        return rows


def _script(name: str) -> str:
    found = shutil.which(name)
    assert found, f"console script {name!r} is not installed; run `uv sync`"
    return found


async def wait_for_status(
    client: httpx.AsyncClient, session_id: str, wanted: set[str], timeout_s: float = 60.0
) -> dict[str, Any]:
    """Poll the session view until its status is in ``wanted``; fail after ``timeout_s``."""
    last: dict[str, Any] = {}

    async def in_wanted() -> dict[str, Any] | None:
        try:
            response = await client.get(f"/v1/sessions/{session_id}")
        except httpx.TransportError:
            return None  # the gateway is being restarted
        if response.status_code != 200:
            return None
        last.update(response.json())
        return dict(last) if last["status"] in wanted else None

    return await wait_until(
        in_wanted,
        timeout_s=timeout_s,
        interval_s=0.25,
        message=lambda: f"session {session_id} stuck in {last.get('status')!r}, wanted {wanted}",
    )


async def wait_for_all(
    client: httpx.AsyncClient,
    session_ids: Iterable[str],
    wanted: set[str],
    timeout_s: float,
) -> list[dict[str, Any]]:
    """Every session's view once it is in ``wanted``, all within one shared ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    views: list[dict[str, Any]] = []
    for session_id in session_ids:
        left = max(0.5, deadline - time.monotonic())
        views.append(await wait_for_status(client, session_id, wanted, left))
    return views
