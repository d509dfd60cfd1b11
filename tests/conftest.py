"""Shared by the system tests (``e2e``, ``faults``, ``load``): the harness in ``tests/e2e`` is
importable by module name (tests import with importlib), and ``start_system`` starts the four
services as processes on a fresh database and a topology of their own, against a fake Ollama,
and stops them afterwards."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "e2e"))

from system import RunningSystem  # noqa: E402

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
