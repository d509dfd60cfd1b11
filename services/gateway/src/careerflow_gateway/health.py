"""The gateway's health checks: the database, the broker and the outbox relay's backlog."""

from __future__ import annotations

from collections.abc import Callable

from careerflow_gateway.outbox import outbox_backlog
from careerflow_gateway.state import GatewayState
from careerflow_service.health import Check, CheckResult, CheckStatus


def health_checks(state: Callable[[], GatewayState]) -> dict[str, Check]:
    """Checks that read the app's state when called (it exists only inside the lifespan)."""

    async def database() -> CheckResult:
        value = await state().pool.fetchval("SELECT 1")
        return CheckResult("pass" if value == 1 else "fail")

    async def broker() -> CheckResult:
        link = state().broker
        if link.connected:
            return CheckResult("pass")
        return CheckResult("fail", link.last_error or "not connected")

    async def outbox() -> CheckResult:
        current = state()
        backlog = await outbox_backlog(current.pool)
        observed = {"unsent": backlog.unsent, "oldest_unsent_age_s": round(backlog.oldest_age_s, 1)}
        settings = current.settings
        status: CheckStatus
        if backlog.oldest_age_s > settings.outbox_fail_age_s:
            status = "fail"
        elif backlog.oldest_age_s > settings.outbox_warn_age_s:
            status = "warn"
        else:
            status = "pass"
        output = current.relay.last_error if status != "pass" else None
        return CheckResult(status, output, observed)

    return {"database": database, "broker": broker, "outbox": outbox}
