"""The gateway's configuration, read from environment variables (prefix ``GATEWAY_``).

``DATABASE_URL`` and ``AMQP_URL`` are accepted as fallbacks for the two connection strings, as
every CareerFlow service does. Outside development the JWT secret must be a real secret: the
service refuses to start with a placeholder.
"""

from __future__ import annotations

from typing import Self

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from careerflow_contracts import routing

PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "changeme", "change_me", "dev-secret", "secret", "development", "test"}
)
"""Values that look like a secret in an example file but protect nothing."""

MIB = 1024 * 1024


class GatewaySettings(BaseSettings):
    """Everything the gateway reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", populate_by_name=True)

    environment: str = "development"
    host: str = "0.0.0.0"
    port: int = 8000
    log_level: str = "info"

    database_url: str = Field(
        default="postgresql://postgres@localhost:5432/postgres",
        validation_alias=AliasChoices("GATEWAY_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    db_pool_min: int = Field(default=1, ge=0)
    db_pool_max: int = Field(default=10, ge=1)
    migrate_on_start: bool = True

    amqp_url: str = Field(
        default="amqp://guest:guest@localhost:5672/",
        validation_alias=AliasChoices("GATEWAY_AMQP_URL", "AMQP_URL", "amqp_url"),
    )
    queue_prefix: str = ""
    exchange: str = routing.EXCHANGE
    dead_letter_exchange: str = routing.DEAD_LETTER_EXCHANGE
    # Each queue's delivery limit is named in careerflow_contracts.routing; tests override it.
    delivery_limit: int | None = Field(default=None, ge=1)
    prefetch: int = Field(default=16, ge=1)

    jwt_secret: SecretStr = SecretStr("dev-secret")
    jwt_leeway_s: int = Field(default=10, ge=0)

    max_upload_bytes: int = Field(default=5 * MIB, ge=1)
    question_count: int = Field(default=10, ge=2, le=50)

    # How long each worker stage may take before its request event is past its deadline.
    parse_budget_s: float = Field(default=60.0, gt=0)
    questions_budget_s: float = Field(default=90.0, gt=0)
    evaluation_budget_s: float = Field(default=60.0, gt=0)
    report_budget_s: float = Field(default=90.0, gt=0)

    relay_batch_size: int = Field(default=20, ge=1)
    relay_poll_interval_s: float = Field(default=0.5, gt=0)
    relay_retry_max_s: float = Field(default=10.0, gt=0)
    # Sent outbox rows still hold the resume document; keep them only briefly.
    outbox_retention_s: float = Field(default=3600.0, ge=0)
    outbox_warn_age_s: float = Field(default=30.0, gt=0)
    outbox_fail_age_s: float = Field(default=300.0, gt=0)

    sse_poll_interval_s: float = Field(default=1.0, gt=0)
    sse_heartbeat_s: float = Field(default=15.0, gt=0)
    # How long a stopping gateway lets open requests (event streams above all) finish.
    shutdown_grace_s: float = Field(default=20.0, ge=0)

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Self:
        secret = self.jwt_secret.get_secret_value()
        if self.environment != "development" and (
            secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 16
        ):
            raise ValueError(
                "GATEWAY_JWT_SECRET is a placeholder or shorter than 16 characters; "
                f"set a real secret for environment {self.environment!r}"
            )
        return self
