"""Pytest fixtures for CareerFlow's tests, loaded by every test run (entry point ``pytest11``).

- ``amqp_url`` / ``postgres_url`` (session): the servers, resolved as ``infrastructure`` says.
- ``database_url``: a fresh, empty database for one test, dropped after it.
- ``topology``: a ``careerflow_messaging.Topology`` with names no other test uses, declared on the
  broker before the test and deleted after it (:mod:`careerflow_testing.topologies`).
- ``gateway_side``: the gateway's side of a worker test on that topology
  (:class:`careerflow_testing.results.GatewaySide`): publishes requests, reads the results.
- ``fake_ollama``: a started fake Ollama server (a real HTTP server on an ephemeral port).
- ``fake_model_server``: the test once with a started fake of each API (Ollama's native one and
  the OpenAI-compatible one); give the client its ``provider`` and ``url``.
- ``llama_server`` (session): llama.cpp's server with a real small model
  (:mod:`careerflow_testing.llama_server`), started once for the tests that ask for it; a test
  says what the model did with ``record_property("real_model", "...")``, and the run's summary
  lists those lines under "what the real model did".
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack

import pytest

from careerflow_messaging import Topology
from careerflow_testing.fake_ollama_fixtures import (  # noqa: F401  (fixtures)
    fake_model_server,
    fake_ollama,
)
from careerflow_testing.infrastructure import (
    DEFAULT_AMQP_URL,
    DEFAULT_DATABASE_URL,
    UnreachableError,
    docker_engine_answers,
    ensure_reachable,
    fresh_database,
    postgres_from_container,
    rabbitmq_from_container,
)
from careerflow_testing.llama_server import (
    LlamaServer,
    LlamaServerMissing,
    server_python,
    wait_for_build,
)
from careerflow_testing.results import GatewaySide, open_gateway_side
from careerflow_testing.topologies import declared_topology, tagged_topology, unique_tag


@pytest.fixture(scope="session")
def _containers() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def _resolve(
    env_name: str,
    what: str,
    default: str,
    port: int,
    stack: ExitStack,
    from_container: Callable[[ExitStack], str],
) -> str:
    url = os.environ.get(env_name)
    if not url and docker_engine_answers():
        url = from_container(stack)
    url = url or default
    try:
        ensure_reachable(what, url, port)
    except UnreachableError as exc:
        pytest.fail(str(exc), pytrace=False)
    return url


@pytest.fixture(scope="session")
def amqp_url(_containers: ExitStack) -> str:
    return _resolve(
        "CAREERFLOW_TEST_AMQP_URL",
        "RabbitMQ",
        DEFAULT_AMQP_URL,
        5672,
        _containers,
        rabbitmq_from_container,
    )


@pytest.fixture(scope="session")
def postgres_url(_containers: ExitStack) -> str:
    return _resolve(
        "CAREERFLOW_TEST_DATABASE_URL",
        "PostgreSQL",
        DEFAULT_DATABASE_URL,
        5432,
        _containers,
        postgres_from_container,
    )


@pytest.fixture
async def database_url(postgres_url: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_url) as url:
        yield url


@pytest.fixture
async def topology(amqp_url: str) -> AsyncIterator[Topology]:
    topo = tagged_topology(unique_tag(), delivery_limit=3)
    async with declared_topology(amqp_url, topo):
        yield topo


@pytest.fixture
async def gateway_side(amqp_url: str, topology: Topology) -> AsyncIterator[GatewaySide]:
    async with open_gateway_side(amqp_url, topology) as side:
        yield side


@pytest.fixture(scope="session")
def llama_server(request: pytest.FixtureRequest) -> Iterator[LlamaServer]:
    """llama.cpp's OpenAI-compatible server with SmolLM2-135M-Instruct, once per run (after the
    build ``make test`` started in the background, if it is still going)."""
    try:
        wait_for_build(request.config.rootpath)
        python = server_python(request.config.rootpath)
        server = LlamaServer(python).start()
    except LlamaServerMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


REAL_MODEL_PROPERTY = "real_model"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = [
        f"{report.nodeid.rpartition('::')[2]}: {value}"
        for reports in terminalreporter.stats.values()
        for report in reports
        if isinstance(report, pytest.TestReport) and report.when == "call"
        for name, value in report.user_properties
        if name == REAL_MODEL_PROPERTY
    ]
    if lines:
        terminalreporter.section("what the real model did")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_report_header() -> list[str]:
    amqp = os.environ.get("CAREERFLOW_TEST_AMQP_URL") or f"{DEFAULT_AMQP_URL} (default)"
    pg = os.environ.get("CAREERFLOW_TEST_DATABASE_URL") or f"{DEFAULT_DATABASE_URL} (default)"
    engine = "a Docker engine answers" if docker_engine_answers(2.0) else "no Docker engine"
    return [f"careerflow: RabbitMQ {amqp}; PostgreSQL {pg}; {engine}"]
