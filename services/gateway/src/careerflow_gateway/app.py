"""``create_app()``: the gateway's FastAPI app, whose lifespan opens and closes everything.

Start-up: apply migrations (unless disabled), open the pool, start listening for session changes
(for the event streams), start the outbox relay and the profile refiner (``profile_refine``), and
start the broker link in the background (the API serves even while the broker is away).
Shut-down runs in reverse: refiner, relay, listener, broker link, pool. Paths the API does not
answer serve the built web app (``web.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerflow_contracts.rest import ProblemDetails
from careerflow_gateway import metrics
from careerflow_gateway.account_routes import router as account_router
from careerflow_gateway.broker import BrokerLink
from careerflow_gateway.browser_sessions import BrowserSessions
from careerflow_gateway.db import create_pool, upgrade_database
from careerflow_gateway.health import health_checks
from careerflow_gateway.limits import Rate, RateLimiter, StreamSlots
from careerflow_gateway.outbox import OutboxRelay
from careerflow_gateway.passwords import PasswordHashing
from careerflow_gateway.problems import install_problem_handlers
from careerflow_gateway.profile_refine import ProfileRefiner
from careerflow_gateway.request_guard import RequestGuard
from careerflow_gateway.result_intake import ResultIntake
from careerflow_gateway.routes import router
from careerflow_gateway.session_changes import SessionChanges
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.state import GatewayState
from careerflow_gateway.tasks import finish_within
from careerflow_gateway.web import WebApp, default_web_dir
from careerflow_messaging import Topology
from careerflow_service.health import health_router

log = logging.getLogger(__name__)


class _RequestCounter:
    """Counts answered requests by route template (not raw path: ids would explode labels)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def counting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            metrics.REQUESTS.labels(
                method=scope["method"], route=template, status=str(status)
            ).inc()


def create_app(
    settings: GatewaySettings | None = None,
    *,
    topology: Topology | None = None,
    limits_clock: Callable[[], float] | None = None,
) -> FastAPI:
    """The gateway app; ``topology`` overrides the one named by the settings and
    ``limits_clock`` the clock of the per-user limits and of browser sessions (tests)."""
    settings = settings or GatewaySettings()
    topology = topology or settings.topology()
    clock = limits_clock or time.time

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await upgrade_database(settings.database_url)
        pool = await create_pool(
            settings.database_url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            acquire_timeout_s=settings.db_acquire_timeout_s,
        )
        limiter = RateLimiter(
            pool,
            {
                "session_create": Rate(
                    settings.session_create_limit, settings.session_create_window_s
                ),
                "regenerate": Rate(settings.regenerate_limit, settings.regenerate_window_s),
                "signin_email": Rate(settings.signin_email_limit, settings.signin_email_window_s),
                "signin_address": Rate(
                    settings.signin_address_limit, settings.signin_address_window_s
                ),
                "signup_address": Rate(
                    settings.signup_address_limit, settings.signup_address_window_s
                ),
            },
            clock=clock,
        )
        stream_slots = StreamSlots(
            pool,
            per_user=settings.event_streams_per_user,
            lease_s=settings.event_stream_lease_s,
            clock=clock,
        )
        relay = OutboxRelay(
            pool,
            batch_size=settings.relay_batch_size,
            poll_interval_s=settings.relay_poll_interval_s,
            retry_max_s=settings.relay_retry_max_s,
            retention_s=settings.outbox_retention_s,
        )
        refiner = ProfileRefiner(pool, settings, on_requested=relay.wake)

        def on_applied() -> None:
            relay.wake()
            refiner.wake()  # work a candidate waited for may have ended: the model may be free

        intake = ResultIntake(pool, settings, on_applied=on_applied)
        broker = BrokerLink(settings.amqp_url, topology, relay, intake, prefetch=settings.prefetch)
        # Made in a thread: the stand-in hash for unknown emails takes a tenth of a second.
        passwords = await asyncio.to_thread(
            PasswordHashing, concurrency=settings.password_hash_concurrency
        )
        browser_sessions = BrowserSessions(pool, ttl_s=settings.browser_session_ttl_s, clock=clock)
        session_changes = SessionChanges(
            settings.database_url, check_s=settings.sse_listener_check_s
        )
        app.state.gateway = GatewayState(
            settings,
            topology,
            pool,
            relay,
            intake,
            broker,
            limiter,
            stream_slots,
            passwords,
            browser_sessions,
            session_changes,
        )
        session_changes.start()
        relay.start()
        refiner.start()
        broker.start()
        try:
            yield
        finally:
            await refiner.stop()
            await relay.stop()
            await session_changes.stop()
            await broker.stop(settings.shutdown_grace_s)
            if not await finish_within("database pool close", pool.close(), 10.0):
                pool.terminate()

    app = FastAPI(
        title="CareerFlow gateway",
        version="1",
        summary="AI mock job interviews: sessions, answers and reports",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(router)
    app.include_router(account_router)
    app.include_router(
        health_router("gateway", health_checks(lambda: app.state.gateway), readiness=("database",))
    )
    # Added first, so it runs inside the counter: refused requests are counted too.
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(_RequestCounter)
    app.router.default = WebApp(settings.web_dir or default_web_dir(), app.router.default)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            problem = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(problem.pop("$defs", {}))
            components["ProblemDetails"] = problem
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
