"""The gateway's Prometheus counters (default registry, served on /metrics)."""

from __future__ import annotations

from prometheus_client import Counter

REQUESTS = Counter(
    "careerflow_gateway_requests_total",
    "HTTP requests answered, by method, route and status code",
    ["method", "route", "status"],
)
EVENTS_PUBLISHED = Counter(
    "careerflow_gateway_events_published_total",
    "Outbox events confirmed by the broker, by type",
    ["type"],
)
EVENTS_APPLIED = Counter(
    "careerflow_gateway_events_applied_total",
    "Result events applied to the read model, by type and outcome",
    ["type", "outcome"],
)
DUPLICATES_DROPPED = Counter(
    "careerflow_gateway_duplicates_dropped_total",
    "Result events dropped because their event_id was already in the inbox, by type",
    ["type"],
)
