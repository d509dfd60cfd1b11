"""The whole system as processes, for end-to-end, fault and load tests.

``RunningSystem`` starts the four services' console scripts against the real RabbitMQ and
Postgres, with an exchange and queue names of its own and a fresh database, and the fake Ollama
at a URL the test chooses. It can kill (SIGKILL) and restart one service, drive the REST API,
read the broker's queues (the dead-letter queues above all) and query the gateway's database.
On ``stop`` it ends the services with SIGTERM and deletes its queues and exchange.

``SharedSystems`` keeps running systems for the next test that asks for the same configuration.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import socket
import time
from collections.abc import Iterable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import jwt
from aio_pika.exceptions import ChannelClosed

from careerflow_contracts import routing
from careerflow_messaging import Topology, connect, delete_topology
from careerflow_testing.infrastructure import fresh_database
from careerflow_testing.topologies import tagged_topology, unique_tag
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
    tag: str = field(default_factory=lambda: unique_tag("e2e"))
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)
    started_with: dict[str, dict[str, str]] = field(default_factory=dict)
    """The settings (``settings_for``) each running service was started with."""

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    @property
    def topology(self) -> Topology:
        return tagged_topology(self.tag)

    def env_for(self, name: str) -> dict[str, str]:
        """The environment ``name`` is started with: this process's, and ``settings_for``."""
        return {**os.environ, **self.settings_for(name)}

    def settings_for(self, name: str) -> dict[str, str]:
        """What this system sets in the environment of ``name``."""
        prefix = SERVICES[name]
        topology = self.topology
        env = {
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
        self.started_with[name] = self.settings_for(name)
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

    async def revive(self) -> list[str]:
        """Start again every service that has exited, or runs with other settings than
        ``worker_env`` and ``service_env`` say now (a test killed it, or changed them, and
        ended before it put them back); wait until each is ready. Returns their names."""
        stale = [
            name
            for name, process in self.processes.items()
            if process.returncode is not None or self.started_with[name] != self.settings_for(name)
        ]
        await asyncio.gather(*(self.restart(name) for name in stale))
        return stale

    async def wait_idle(self, timeout_s: float = 90.0) -> None:
        """Wait until the system is idle: every event of the outbox sent, no message ready in
        any work queue, none in a worker's hands; so what a test set going is over before the
        next begins. A model's reading of a resume that waits for a free model is not waited
        for: it is asked for only once no work a candidate waits for is pending."""

        async def idle() -> bool:
            unsent = await self.fetch("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
            if unsent[0]["n"]:
                return False
            if any((await self.queue_depths(dead_letters=False)).values()):
                return False
            busy = await asyncio.gather(*(self.in_flight(name) for name in WORKERS))
            return not any(busy)

        await wait_until(idle, timeout_s=timeout_s, interval_s=0.1, message="the system idle")

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

    async def health_check(self, name: str, check: str) -> dict[str, Any]:
        """One check of a service's ``/health`` (``status``, ``output``, ``observedValue``);
        ``httpx.HTTPError``, ``KeyError`` or ``ValueError`` when the service cannot say."""
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(f"http://127.0.0.1:{self.ports[name]}/health")
        result: dict[str, Any] = response.json()["checks"][check][0]
        return result

    async def in_flight(self, name: str) -> int:
        """Messages a worker is handling now, as its ``/health`` reports (0 if it cannot say)."""
        try:
            broker = await self.health_check(name, "broker")
        except (httpx.HTTPError, KeyError, ValueError):
            return 0
        return int(broker.get("observedValue", {}).get("in_flight", 0))

    async def broker_status(self, name: str) -> str:
        """The broker check of a service's ``/health`` (``pass`` or ``fail``), ``unknown`` when
        the service does not answer."""
        try:
            return str((await self.health_check(name, "broker"))["status"])
        except (httpx.HTTPError, KeyError, ValueError):
            return "unknown"

    async def breaker(self, name: str) -> dict[str, Any]:
        """A worker's circuit breaker as its ``/health`` shows it: ``state`` (``closed``,
        ``open``, ``half_open``), ``times_opened``, ``remaining_wait_s``, the window's rates."""
        model = await self.health_check(name, "model")
        breaker: dict[str, Any] = model["observedValue"]["breaker"]
        return breaker

    async def breaker_state(self, name: str) -> str:
        """The state of a worker's circuit breaker (``closed``, ``open``, ``half_open``)."""
        return str((await self.breaker(name))["state"])

    async def wait_until_breakers_let_calls_through(self, timeout_s: float = 60.0) -> None:
        """Wait until no worker's breaker is open: each lets the next call reach the model,
        closed or half-open (after ``BREAKER_WAIT_OPEN_S``), as on a system started afresh."""

        async def none_open() -> bool:
            states = await asyncio.gather(*(self.breaker_state(name) for name in WORKERS))
            return "open" not in states

        await wait_until(none_open, timeout_s=timeout_s, interval_s=0.1, message="no breaker open")

    def log_count(self, name: str, text: str) -> int:
        """How many lines of a service's log (every run of it in this system) hold ``text``."""
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return 0
        return sum(text in line for line in path.read_text(errors="replace").splitlines())

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


Settings = tuple[tuple[str, str], ...]


@dataclass
class _Shared:
    system: RunningSystem
    resources: AsyncExitStack
    """Stops the system, then drops its database."""


class SharedSystems:
    """Running systems handed from one test to the next that asks for the same configuration
    (the model's URL, ``worker_env`` and ``service_env``): a start costs seconds of CPU (tens of
    seconds on a loaded machine), often more than the test.

    At most ``keep`` run at once: starting another stops the one used least recently. The next
    test gets a system as it needs it: every service running with the configured settings (one
    a test killed, or started with other settings, is started again) and idle
    (:meth:`RunningSystem.wait_idle`). What lives in a service's memory goes on, above all the
    workers' breakers: a test that needs a breaker that lets calls through waits for it
    (:meth:`RunningSystem.wait_until_breakers_let_calls_through`). Tests sharing a system act as
    users of their own and assert on their own sessions only.
    """

    def __init__(self, *, amqp_url: str, postgres_url: str, log_root: Path, keep: int = 3) -> None:
        self.amqp_url = amqp_url
        self.postgres_url = postgres_url
        self.log_root = log_root
        self.keep = keep
        self._running: dict[tuple[str, Settings, tuple[tuple[str, Settings], ...]], _Shared] = {}
        self._started = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def get(
        self,
        ollama_url: str,
        *,
        worker_env: Mapping[str, str] | None = None,
        service_env: Mapping[str, Mapping[str, str]] | None = None,
    ) -> RunningSystem:
        """The running system of this configuration, started if none is."""
        loop = asyncio.get_running_loop()
        self._loop = self._loop or loop
        assert loop is self._loop, (
            "a shared system lives in the session's event loop: mark the test "
            "pytest.mark.asyncio(loop_scope='session')"
        )
        workers = dict(worker_env or {})
        services = {name: dict(env) for name, env in (service_env or {}).items()}
        key = (
            ollama_url,
            _frozen(workers),
            tuple(sorted((name, _frozen(env)) for name, env in services.items())),
        )
        shared = self._running.pop(key, None)
        if shared is not None:
            self._running[key] = shared  # the most recently used is last
            system = shared.system
            system.worker_env, system.service_env = workers, services
            await system.revive()
            await system.wait_idle()
            return system
        while len(self._running) >= self.keep:
            await self._running.pop(next(iter(self._running))).resources.aclose()
        self._started += 1
        resources = AsyncExitStack()
        try:
            database_url = await resources.enter_async_context(fresh_database(self.postgres_url))
            system = RunningSystem(
                amqp_url=self.amqp_url,
                database_url=database_url,
                ollama_url=ollama_url,
                log_dir=self.log_root / f"system-{self._started}",
                worker_env=workers,
                service_env=services,
            )
            resources.push_async_callback(system.stop)
            await system.start()
        except BaseException:
            await resources.aclose()
            raise
        self._running[key] = _Shared(system, resources)
        return system

    __call__ = get

    async def release(self, ollama_url: str) -> None:
        """Stop the systems on the model at ``ollama_url`` (it is going away) and drop their
        databases."""
        for key in [key for key in self._running if key[0] == ollama_url]:
            await self._running.pop(key).resources.aclose()

    async def close(self) -> None:
        """Stop every system and drop its database."""
        while self._running:
            await self._running.pop(next(iter(self._running))).resources.aclose()


def _frozen(env: Mapping[str, str]) -> Settings:
    return tuple(sorted(env.items()))


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
