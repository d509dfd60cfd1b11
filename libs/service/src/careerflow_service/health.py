"""The operational endpoints every service serves: /livez, /readyz, /health and /metrics.

- ``/livez`` answers 200 while the event loop does: restart me only if this fails.
- ``/readyz`` answers 200 when every check named in ``readiness`` passes, else 503: send me work.
- ``/health`` reports every check as ``application/health+json`` (status pass, warn or fail).
- ``/metrics`` is the Prometheus text exposition of the process's default registry.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

CheckStatus = Literal["pass", "warn", "fail"]
HEALTH_JSON = "application/health+json"
_CHECK_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one health check; ``observed`` holds figures worth showing."""

    status: CheckStatus
    output: str | None = None
    observed: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status}
        if self.output:
            body["output"] = self.output
        if self.observed:
            body["observedValue"] = dict(self.observed)
        return body


Check = Callable[[], Awaitable[CheckResult]]


async def _run_check(check: Check) -> CheckResult:
    try:
        async with asyncio.timeout(_CHECK_TIMEOUT_S):
            return await check()
    except TimeoutError:
        return CheckResult("fail", f"no answer within {_CHECK_TIMEOUT_S:g} s")
    except Exception as exc:  # a broken check must not break /health itself
        return CheckResult("fail", type(exc).__name__)


def _overall(results: Mapping[str, CheckResult]) -> CheckStatus:
    statuses = {result.status for result in results.values()}
    if "fail" in statuses:
        return "fail"
    if "warn" in statuses:
        return "warn"
    return "pass"


def health_router(
    service: str,
    checks: Mapping[str, Check],
    *,
    readiness: Sequence[str] = (),
    version: str = "1",
) -> APIRouter:
    """The four endpoints for ``service``; ``readiness`` names the checks /readyz requires."""
    unknown = set(readiness) - set(checks)
    if unknown:
        raise ValueError(f"readiness names unknown checks: {sorted(unknown)}")
    router = APIRouter(tags=["operations"])

    async def run_all(names: Sequence[str]) -> dict[str, CheckResult]:
        results = await asyncio.gather(*(_run_check(checks[name]) for name in names))
        return dict(zip(names, results, strict=True))

    @router.get("/livez", summary="Liveness: the process answers")
    async def livez() -> Response:
        return Response(json.dumps({"status": "pass"}), media_type=HEALTH_JSON)

    @router.get("/readyz", summary="Readiness: the dependencies needed to take work answer")
    async def readyz() -> Response:
        results = await run_all(list(readiness))
        ready = all(result.status != "fail" for result in results.values())
        body = {
            "status": "pass" if ready else "fail",
            "checks": {name: result.as_dict() for name, result in results.items()},
        }
        return Response(json.dumps(body), status_code=200 if ready else 503, media_type=HEALTH_JSON)

    @router.get("/health", summary="Health of every dependency (application/health+json)")
    async def health() -> Response:
        results = await run_all(list(checks))
        overall = _overall(results)
        body = {
            "status": overall,
            "serviceId": service,
            "version": version,
            "checks": {name: [result.as_dict()] for name, result in results.items()},
        }
        return Response(
            json.dumps(body), status_code=503 if overall == "fail" else 200, media_type=HEALTH_JSON
        )

    @router.get("/metrics", summary="Prometheus metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
