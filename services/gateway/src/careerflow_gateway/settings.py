"""The gateway's configuration, read from environment variables (prefix ``GATEWAY_``).

``GatewaySettings`` is a ``ServiceSettings``, as every worker's settings are: the fields every
service has (environment, broker, topology, listening address, shutdown grace) and the one
fallback to an unprefixed name are declared there. ``AMQP_URL``, ``DATABASE_URL`` and uvicorn's
``FORWARDED_ALLOW_IPS`` are read where the ``GATEWAY_`` name is not set. With no
``GATEWAY_ENVIRONMENT`` the gateway is in production: development must be asked for. In every
environment the JWT secret must be set and at least 32 bytes long (HS256's key size); outside
development a known placeholder is refused too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from careerflow_service.settings import ServiceSettings

PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "change-me",
        "changeme",
        "change_me",
        "dev-secret",
        "secret",
        "development",
        "test",
        "development-only-secret-not-for-production",  # the Kubernetes dev overlay's
    }
)
"""Values that look like a secret in an example file but protect nothing."""

JWT_SECRET_MIN_BYTES = 32
"""RFC 7518 wants an HS256 key at least as long as the hash: 256 bits."""

MIB = 1024 * 1024


class GatewaySettings(ServiceSettings):
    """Everything the gateway reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    shared_names: ClassVar[Mapping[str, str]] = {
        **ServiceSettings.shared_names,
        "database_url": "DATABASE_URL",
        "forwarded_allow_ips": "FORWARDED_ALLOW_IPS",
    }

    # The gateway's own defaults of ServiceSettings' fields: it listens for clients, and
    # uvicorn takes its log level in lower case.
    host: str = "0.0.0.0"
    log_level: str = "info"

    database_url: str = "postgresql://postgres@localhost:5432/postgres"
    db_pool_min: int = Field(default=1, ge=0)
    db_pool_max: int = Field(default=10, ge=1)
    # How long a request waits for a pooled connection before a 503: a flood of event streams
    # (each polls the database) must not leave the rest of the API waiting forever.
    db_acquire_timeout_s: float = Field(default=5.0, gt=0)
    migrate_on_start: bool = True

    prefetch: int = Field(default=16, ge=1)

    jwt_secret: SecretStr = SecretStr("")
    jwt_issuer: str = Field(default="careerflow", min_length=1)
    jwt_audience: str = Field(default="careerflow-api", min_length=1)
    # The longest a token may live (exp - iat); `gateway token` mints at most this.
    jwt_max_lifetime_s: int = Field(default=24 * 3600, ge=60)
    jwt_leeway_s: int = Field(default=10, ge=0)

    # Per-user abuse limits (token buckets in Postgres, shared by every replica): each new
    # session and each regenerate costs model calls on a model every user shares.
    session_create_limit: int = Field(default=10, ge=1)
    session_create_window_s: float = Field(default=3600.0, gt=0)
    regenerate_limit: int = Field(default=10, ge=1)
    regenerate_window_s: float = Field(default=3600.0, gt=0)
    event_streams_per_user: int = Field(default=5, ge=1)
    # An open stream renews its slot's lease every third of this; a dead replica's slots lapse.
    event_stream_lease_s: float = Field(default=60.0, gt=0)

    # Browser accounts: a sign-in lasts this long (revoked earlier by signing out).
    browser_session_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    # Token buckets like the per-user limits above: sign-in attempts per email and per client
    # address (an IPv6 client: per /64), sign-ups per client address.
    signin_email_limit: int = Field(default=10, ge=1)
    signin_email_window_s: float = Field(default=900.0, gt=0)
    signin_address_limit: int = Field(default=30, ge=1)
    signin_address_window_s: float = Field(default=900.0, gt=0)
    signup_address_limit: int = Field(default=10, ge=1)
    signup_address_window_s: float = Field(default=3600.0, gt=0)
    # Password hashes computed at once (each holds 19 MiB and a core for about 0.1 s).
    password_hash_concurrency: int = Field(default=2, ge=1)
    # The proxies whose X-Forwarded-For names the client (the address the limits above count):
    # addresses or networks, comma-separated, or * alone for any. Behind an ingress controller or
    # a reverse proxy, its range; otherwise every client shares the proxy's address and limit.
    # uvicorn's own FORWARDED_ALLOW_IPS is read as a fallback.
    forwarded_allow_ips: str = "127.0.0.1"

    # The built web app served at /; unset: the repository's web/dist when it exists.
    web_dir: Path | None = None

    max_upload_bytes: int = Field(default=5 * MIB, ge=1)
    # A request's head (RequestGuard answers 431 past either): a browser sends about 20 headers
    # and 1-2 KiB, a bearer token included; the path, query and every header name and value count.
    max_request_headers: int = Field(default=100, ge=10)
    max_request_head_bytes: int = Field(default=16 * 1024, ge=1024)
    # Longest wait for the next piece of a body under way before a 408: a client that declares
    # a length and stops sending would otherwise hold its request (and a connection) for ever.
    body_idle_timeout_s: float = Field(default=30.0, gt=0)
    question_count: int = Field(default=10, ge=2, le=50)
    # Ask for the questions in batches (questions.generated v2), so the interview starts at the
    # first question. Turn off only while gateway replicas of an earlier release, which cannot
    # read batches, still consume results (a rolling upgrade of several replicas).
    questions_in_batches: bool = True
    # Read the resume with the basic parser first and let the model refine the profile when no
    # work a candidate waits for is pending (resume.submitted's profile_later). Turn off only
    # while gateway replicas of an earlier release, which cannot read profile.refined, still
    # consume results.
    profile_later: bool = True
    # How often a waiting refine looks for a free model (results applied also wake it).
    profile_refine_poll_s: float = Field(default=1.0, gt=0)
    # Follow-up questions in a session whose client asked for them: at most this many per
    # interview (one per question, never for a strong answer). 0 asks none. Set 0 while gateway
    # replicas of an earlier release, which cannot read followup.generated, still consume
    # results (a rolling upgrade of several replicas).
    followups_per_interview: int = Field(default=3, ge=0, le=50)

    # How long each worker stage may take before its request event is past its deadline.
    # In minutes, as the workers' own budget of a model call (600 s): a model on a laptop CPU
    # takes about a minute to read a resume and another to write, and is stopped early only when
    # it stops working (the workers' first-token and stall limits), not for being slow.
    parse_budget_s: float = Field(default=600.0, gt=0)
    questions_budget_s: float = Field(default=600.0, gt=0)
    evaluation_budget_s: float = Field(default=600.0, gt=0)
    report_budget_s: float = Field(default=600.0, gt=0)
    profile_budget_s: float = Field(default=600.0, gt=0)
    followup_budget_s: float = Field(default=600.0, gt=0)

    relay_batch_size: int = Field(default=20, ge=1)
    relay_poll_interval_s: float = Field(default=0.5, gt=0)
    relay_retry_max_s: float = Field(default=10.0, gt=0)
    # Sent outbox rows still hold the resume document; keep them only briefly.
    outbox_retention_s: float = Field(default=3600.0, ge=0)
    outbox_warn_age_s: float = Field(default=30.0, gt=0)
    outbox_fail_age_s: float = Field(default=300.0, gt=0)

    # An event stream is woken when Postgres announces its session's change (LISTEN/NOTIFY);
    # it polls every sse_poll_interval_s while the gateway is not listening (Postgres away), and
    # every sse_safety_poll_s anyway, for an announcement lost on the way.
    sse_poll_interval_s: float = Field(default=1.0, gt=0)
    sse_safety_poll_s: float = Field(default=15.0, gt=0)
    # How often the listening connection is checked: one that looks open but no longer answers.
    sse_listener_check_s: float = Field(default=15.0, gt=0)
    sse_heartbeat_s: float = Field(default=15.0, gt=0)

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        # uvicorn keeps an entry it cannot parse as a name no client address ever equals, so a
        # typo would leave the proxy untrusted without a word: refuse it at start-up instead.
        entries = [entry.strip() for entry in value.split(",")]
        if entries == ["*"]:
            return "*"
        for entry in entries:
            try:
                ipaddress.ip_network(entry)  # an address is a network of one
            except ValueError:
                raise ValueError(
                    f"GATEWAY_FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network "
                    "(such as 10.0.0.0/8); separate them with commas, or give * alone for any"
                ) from None
        return ",".join(entries)

    @model_validator(mode="after")
    def _refuse_a_weak_secret(self) -> Self:
        secret = self.jwt_secret.get_secret_value()
        if not secret:
            raise ValueError(
                "GATEWAY_JWT_SECRET is not set: give the gateway a random secret of at least "
                f"{JWT_SECRET_MIN_BYTES} bytes (make run keeps one in .run/jwt-secret)"
            )
        if len(secret.encode()) < JWT_SECRET_MIN_BYTES:
            raise ValueError(
                f"GATEWAY_JWT_SECRET is shorter than {JWT_SECRET_MIN_BYTES} bytes; use a random "
                "one: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if self.environment != "development" and secret.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "GATEWAY_JWT_SECRET is a placeholder; "
                f"set a real secret for environment {self.environment!r}"
            )
        return self
