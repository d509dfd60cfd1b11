"""CareerFlow's service kit: settings, health and metrics endpoints, and the worker runtime."""

from careerflow_service.health import CheckResult, health_router
from careerflow_service.logs import configure_logging
from careerflow_service.settings import ServiceSettings, WorkerSettings
from careerflow_service.worker import (
    Handler,
    Publish,
    PublishingHandler,
    Worker,
    run_worker,
    worker_app,
)

__all__ = [
    "CheckResult",
    "Handler",
    "Publish",
    "PublishingHandler",
    "ServiceSettings",
    "Worker",
    "WorkerSettings",
    "configure_logging",
    "health_router",
    "run_worker",
    "worker_app",
]
