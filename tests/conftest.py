"""Shared by the system tests (``e2e``, ``faults``, ``load``): the harness in ``tests/e2e`` is
importable by module name (tests import with importlib), and

- ``start_system`` starts the four services as processes on a fresh database and a topology of
  their own, against a fake Ollama, and stops them after the test;
- ``shared_system`` gives a running system of the configuration asked for, started by the first
  test that asks for it and kept for the next ones (``system.SharedSystems``); a test that uses
  it runs in the session's event loop (``pytest.mark.asyncio(loop_scope="session")``);
- ``user``: a user name of the test's own, so that tests on a shared system never see each
  other's sessions.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path

import pytest
import pytest_asyncio

from careerflow_testing.fake_ollama import refused_url

sys.path.insert(0, str(Path(__file__).parent / "e2e"))

from system import RunningSystem, SharedSystems  # noqa: E402

StartSystem = Callable[..., Awaitable[RunningSystem]]


@pytest.fixture
async def start_system(
    amqp_url: str, database_url: str, tmp_path: Path
) -> AsyncIterator[StartSystem]:
    """``await start_system(ollama_url, worker_env={...}, service_env={...})``: one running system
    per test (at most one: it owns the test's database)."""
    started: list[RunningSystem] = []

    async def start(
        ollama_url: str,
        *,
        worker_env: Mapping[str, str] | None = None,
        service_env: Mapping[str, Mapping[str, str]] | None = None,
    ) -> RunningSystem:
        assert not started, "one system per test: it owns the test's database"
        system = RunningSystem(
            amqp_url=amqp_url,
            database_url=database_url,
            ollama_url=ollama_url,
            log_dir=tmp_path / "logs",
            worker_env=worker_env or {},
            service_env=service_env or {},
        )
        started.append(system)
        await system.start()
        return system

    yield start
    for system in started:
        await system.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_system(
    amqp_url: str, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SharedSystems]:
    """``await shared_system(ollama_url, worker_env={...}, service_env={...})``: the running
    system of that configuration, as ``start_system`` would start it; never stopped by a test.
    A fixture that owns a fake model calls ``await shared_system.release(fake.url)`` as it stops
    it."""
    systems = SharedSystems(
        amqp_url=amqp_url,
        postgres_url=postgres_url,
        log_root=tmp_path_factory.mktemp("shared-systems"),
    )
    yield systems
    await systems.close()


MODEL_DOWN_WORKERS = {
    # A breaker one test opened lets calls through again (half-open) this soon; a test that
    # needs that waits at most this long (production's is 30 s).
    "BREAKER_WAIT_OPEN_S": "5",
}


@pytest_asyncio.fixture(loop_scope="session")
async def model_down_system(shared_system: SharedSystems) -> RunningSystem:
    """The shared system whose model refuses every connection (``refused_url``)."""
    return await shared_system(refused_url(), worker_env=MODEL_DOWN_WORKERS)


@pytest.fixture
def user(request: pytest.FixtureRequest) -> str:
    """A user of the test's own (the JWT's subject)."""
    return f"{request.node.name[:40]}-{uuid.uuid4().hex[:6]}"
