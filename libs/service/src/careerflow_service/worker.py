"""The runtime every worker shares: consume request events, call the handler, publish the result.

A handler is a plain function ``async (event, *, <collaborators>) -> result event``; each
service's bootstrap builds its collaborators (the model client, resume-parser's extractor and
the demand it watches) and binds them to the handlers (``functools.partial``), so the runtime
is given handlers that take the event alone. The one collaborator the runtime gives is its own
``publish``, to a handler that takes it: such a handler may publish parts of its result before
it returns the last one (question-gen sends each batch of questions as the model writes it);
each part is confirmed before ``publish`` returns, and a failed publish fails the handler, so
the request is delivered again.

The runtime decodes the message, calls the handler, publishes the result with confirms and only
then acks (``Consumer`` acks when the callback returns), so a crash at any point redelivers the
request and the deterministic result id lets the gateway drop the duplicate. A handler that
returns ``None`` settles the request with no result: the requester knows it gave the request up
(resume-parser's refine of a profile, when a candidate's work comes first; the gateway asks
again later).

``Worker`` is an async context manager (tests use it as one); ``worker_app`` is its HTTP app,
the health endpoints with a lifespan that starts and stops it, and ``run_worker`` serves that
with uvicorn: on SIGTERM the worker stops taking work, lets what is in flight finish within the
grace period, and exits.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, Protocol, cast

import uvicorn
from aio_pika.abc import AbstractRobustConnection
from fastapi import FastAPI
from prometheus_client import Counter, Gauge, Histogram

from careerflow_contracts import EventBase, ResultPayload
from careerflow_contracts.routing import QueueBinding
from careerflow_llm import OllamaClient
from careerflow_messaging import Consumer, Publisher, connect, is_connected
from careerflow_service.health import CheckResult, CheckStatus, health_router
from careerflow_service.logs import configure_logging
from careerflow_service.settings import WorkerSettings

log = logging.getLogger(__name__)

EVENTS_HANDLED = Counter(
    "careerflow_worker_events_handled_total",
    "Request events handled, by result type and source",
    ["service", "type", "source", "fallback_reason"],
)
HANDLE_SECONDS = Histogram(
    "careerflow_worker_handle_seconds",
    "Time from receiving a request event to its result being confirmed",
    ["service", "type"],
)

# The model's own figures from the latest call that reported them (Ollama's last stream line),
# read from the client at each scrape; NaN until the model has answered once.
MODEL_LOAD_SECONDS = Gauge(
    "careerflow_model_load_seconds",
    "Time the model took to load, on the latest call it reported (Ollama's load_duration)",
    ["service"],
)
MODEL_PROMPT_TOKENS_PER_SECOND = Gauge(
    "careerflow_model_prompt_tokens_per_second",
    "How fast the model read the prompt, on the latest call it reported",
    ["service"],
)
MODEL_OUTPUT_TOKENS_PER_SECOND = Gauge(
    "careerflow_model_output_tokens_per_second",
    "How fast the model wrote its answer, on the latest call it reported",
    ["service"],
)
MODEL_FIRST_TOKEN_SECONDS = Gauge(
    "careerflow_model_first_token_seconds",
    "Wait for the first token on the latest model call (NaN when none came)",
    ["service"],
)


def _expose_model_speed(service: str, llm: OllamaClient) -> None:
    def figure(name: str) -> Callable[[], float]:
        def read() -> float:
            last = llm.speed.last
            value = None if last is None else getattr(last, name)
            return math.nan if value is None else float(value)

        return read

    def first_token() -> float:
        value = (llm.last_call or {}).get("first_token_s")
        return math.nan if value is None else float(value)

    MODEL_LOAD_SECONDS.labels(service).set_function(figure("load_s"))
    MODEL_PROMPT_TOKENS_PER_SECOND.labels(service).set_function(figure("prompt_tokens_per_s"))
    MODEL_OUTPUT_TOKENS_PER_SECOND.labels(service).set_function(figure("output_tokens_per_s"))
    MODEL_FIRST_TOKEN_SECONDS.labels(service).set_function(first_token)


class Handler(Protocol):
    """A handler with its collaborators bound: the request event in, its result out."""

    def __call__(self, event: Any) -> Awaitable[EventBase | None]: ...


Publish = Callable[[EventBase], Awaitable[None]]
"""Publish one event, confirmed by the broker when it returns."""


class PublishingHandler(Protocol):
    """A handler that publishes parts of its result before returning the last part."""

    def __call__(self, event: Any, *, publish: Publish) -> Awaitable[EventBase | None]: ...


class Worker:
    """One worker's consumers and publisher, started and stopped together, and the model client
    its handlers share (shown on ``/health`` and ``/metrics``, closed when the worker stops).

    ``on_start`` runs once before the first message is taken (say, to start a process pool);
    ``on_connected`` once connected to the broker, before the consumers start (say, to start a
    ``Watch`` on that connection, which closes with it).
    """

    def __init__(
        self,
        name: str,
        settings: WorkerSettings,
        handlers: Mapping[QueueBinding, Handler | PublishingHandler],
        *,
        llm: OllamaClient,
        on_start: Callable[[], Awaitable[None]] | None = None,
        on_connected: Callable[[AbstractRobustConnection], Awaitable[None]] | None = None,
    ) -> None:
        self.name = name
        self._on_start = on_start
        self._on_connected = on_connected
        self.settings = settings
        self.handlers = dict(handlers)
        self.llm = llm
        self.topology = settings.topology()
        self.connection: AbstractRobustConnection | None = None
        self.publisher: Publisher | None = None
        self.consumers: list[Consumer] = []
        _expose_model_speed(name, llm)

    async def start(self) -> None:
        """Connect, open the publisher, then start one consumer per binding (each declares its
        own queue and DLQ); on any failure, close what was opened and raise."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        if self._on_start is not None:
            # Before the first message: the first request should not pay for warming up.
            await self._on_start()
        self.connection = await connect(self.settings.amqp_url, name=self.name)
        if self._on_connected is not None:
            # Before the consumers: what it starts (a watch) is there for the first message.
            await self._on_connected(self.connection)
        self.publisher = Publisher(self.connection, self.topology)
        await self.publisher.start()
        for binding, handler in self.handlers.items():
            consumer = Consumer(
                self.connection,
                self.topology,
                binding,
                self._callback(handler),
                prefetch=self.settings.prefetch,
                name=f"{self.name}:{binding.queue}",
            )
            await consumer.start()
            self.consumers.append(consumer)
        log.info("%s consuming %s", self.name, [b.queue for b in self.handlers])

    async def stop(self) -> None:
        """Stop taking work, let in-flight messages finish within the grace period, disconnect."""
        for consumer in self.consumers:
            await consumer.pause()
        # What is still running after the grace period is cancelled unacked: the broker redelivers.
        await asyncio.gather(*(c.wait_idle(self.settings.shutdown_grace_s) for c in self.consumers))
        for consumer in self.consumers:
            await consumer.stop()
        self.consumers.clear()
        if self.publisher is not None:
            await self.publisher.close()
            self.publisher = None
        if self.connection is not None:
            await self.connection.close()
            self.connection = None
        await self.llm.aclose()

    async def __aenter__(self) -> Worker:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _callback(self, handler: Handler | PublishingHandler) -> Callable[[Any], Awaitable[None]]:
        publishing = "publish" in inspect.signature(handler).parameters

        async def on_event(event: EventBase) -> None:
            started = time.monotonic()
            if publishing:
                result = await cast(PublishingHandler, handler)(event, publish=self._publish)
            else:
                result = await cast(Handler, handler)(event)
            if result is None:
                log.info("%s: %s settled with no result", self.name, event.type)
                return
            await self._publish(result)
            payload = getattr(result, "payload", None)
            if isinstance(payload, ResultPayload):
                EVENTS_HANDLED.labels(
                    self.name, result.type, payload.source, payload.fallback_reason or ""
                ).inc()
            HANDLE_SECONDS.labels(self.name, result.type).observe(time.monotonic() - started)

        return on_event

    async def _publish(self, event: EventBase) -> None:
        assert self.publisher is not None, "publisher is started before any consumer"
        await self.publisher.publish(event)

    async def broker_check(self) -> CheckResult:
        """Ready when connected (``careerflow_messaging.is_connected``: through a reconnection
        too) and consuming every queue."""
        if not is_connected(self.connection):
            return CheckResult("fail", "not connected to RabbitMQ")
        paused = [c for c in self.consumers if c.paused]
        if paused or not self.consumers:
            return CheckResult("fail", "not consuming")
        return CheckResult("pass", observed={"in_flight": sum(c.in_flight for c in self.consumers)})

    async def model_check(self) -> CheckResult:
        """The model client's state: a down model is a warning (fallbacks go on), never a
        failure, for the model is optional."""
        health = self.llm.health()
        state = str(health.get("breaker", {}).get("state", "closed"))
        healthy = state == "closed" and not health.get("config_errors")
        status: CheckStatus = "pass" if healthy else "warn"
        return CheckResult(status, f"breaker {state}", observed=health)


def worker_app(worker: Worker) -> FastAPI:
    """The worker's HTTP app: the health endpoints (``/livez``, ``/readyz``, ``/health``,
    ``/metrics``), and a lifespan that starts the worker and stops it."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with worker:
            yield

    app = FastAPI(title=worker.name, docs_url=None, redoc_url=None, lifespan=lifespan)
    checks = {"broker": worker.broker_check, "model": worker.model_check}
    app.include_router(health_router(worker.name, checks, readiness=("broker",)))
    return app


def run_worker(worker: Worker) -> None:
    """Serve ``worker`` until SIGINT or SIGTERM: the console script of every worker calls this
    with the worker its bootstrap built."""
    settings = worker.settings
    configure_logging(settings.log_level)
    uvicorn.run(
        worker_app(worker),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s) + 1,
    )
