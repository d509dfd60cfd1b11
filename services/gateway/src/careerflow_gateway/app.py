"""``create_app()``: the gateway's FastAPI app: its routes, its error handlers (``problems``),
its middleware, and a lifespan that runs the gateway ``bootstrap`` builds for as long as the app
serves. Paths the API does not answer serve the built web app (``web.py``).
"""

from __future__ import annotations

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
from careerflow_gateway.bootstrap import running_gateway
from careerflow_gateway.health import health_checks
from careerflow_gateway.problems import install_problem_handlers
from careerflow_gateway.request_guard import RequestGuard
from careerflow_gateway.routes import router
from careerflow_gateway.settings import GatewaySettings
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
        async with running_gateway(settings, topology=topology, clock=clock) as gateway:
            app.state.gateway = gateway
            yield

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
