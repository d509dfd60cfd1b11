"""The operational endpoints answer as docs/architecture.md says, whatever the checks do."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from careerflow_service.health import CheckResult, health_router


async def _passing() -> CheckResult:
    return CheckResult("pass", observed={"latency_ms": 1})


async def _warning() -> CheckResult:
    return CheckResult("warn", "breaker open")


async def _failing() -> CheckResult:
    return CheckResult("fail", "connection refused")


async def _raising() -> CheckResult:
    raise ConnectionError("boom")


def _client(checks: dict, readiness: tuple[str, ...]) -> httpx.AsyncClient:  # type: ignore[type-arg]
    app = FastAPI()
    app.include_router(health_router("svc", checks, readiness=readiness))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")


async def test_livez_answers_even_when_dependencies_fail() -> None:
    async with _client({"db": _failing}, ("db",)) as client:
        response = await client.get("/livez")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/health+json"


async def test_readyz_needs_only_the_named_checks() -> None:
    async with _client({"db": _passing, "model": _failing}, ("db",)) as client:
        assert (await client.get("/readyz")).status_code == 200
    async with _client({"db": _failing, "model": _passing}, ("db",)) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["db"]["output"] == "connection refused"


async def test_health_reports_every_check_and_the_worst_status() -> None:
    async with _client({"db": _passing, "model": _warning}, ("db",)) as client:
        response = await client.get("/health")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "warn"
    assert body["serviceId"] == "svc"
    assert body["checks"]["db"][0] == {"status": "pass", "observedValue": {"latency_ms": 1}}
    assert body["checks"]["model"][0]["output"] == "breaker open"


async def test_a_raising_or_hanging_check_is_a_failure_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def _hanging() -> CheckResult:
        await asyncio.sleep(60)
        raise AssertionError("unreachable")

    monkeypatch.setattr("careerflow_service.health._CHECK_TIMEOUT_S", 0.05)
    async with _client({"a": _raising, "b": _hanging}, ()) as client:
        response = await client.get("/health")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["a"][0] == {"status": "fail", "output": "ConnectionError"}
    assert body["checks"]["b"][0]["output"].startswith("no answer within")


async def test_metrics_is_prometheus_text() -> None:
    async with _client({}, ()) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "python_info" in response.text or "process_" in response.text


def test_readiness_must_name_known_checks() -> None:
    with pytest.raises(ValueError, match="unknown checks"):
        health_router("svc", {"db": _passing}, readiness=("broker",))
