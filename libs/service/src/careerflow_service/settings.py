"""Settings every service shares: the gateway subclasses ``ServiceSettings``, each worker
``WorkerSettings``, each with its own prefix.

A prefixed variable wins (``QUESTION_GEN_OLLAMA_URL``); where it is not set, the shared name a
class lists in ``shared_names`` (``AMQP_URL`` for every service; ``OLLAMA_URL`` and
``OLLAMA_MODEL`` for a worker; the gateway adds its own) is read, then the default. This is
the one fallback mechanism: a subclass adds names to ``shared_names``, never an alias.

The model server of a worker (:meth:`WorkerSettings.llm_settings`) is named by ``LLM_PROVIDER``
(``ollama``, the default, or ``openai``), ``LLM_BASE_URL``, ``LLM_MODEL`` and ``LLM_API_KEY``,
each also with the prefix, which wins. For Ollama the former names still work, below the new
ones at the same level: the URL is the first set of ``<PREFIX>_LLM_BASE_URL``,
``<PREFIX>_OLLAMA_URL``, ``LLM_BASE_URL``, ``OLLAMA_URL``, then ``http://localhost:11434`` (the
model likewise, default ``llama3.2:3b``). The ``OLLAMA_*`` names never point the OpenAI-compatible
adapter anywhere: with ``openai``, ``LLM_BASE_URL`` and ``LLM_MODEL`` (or their prefixed names)
are required, and a worker refuses to start without them. ``LLM_RESPONSE_FORMAT``
(``json_schema``, or ``json_object`` for llama-cpp-python's server) says how the OpenAI API is
asked for the schema.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from careerflow_contracts import routing
from careerflow_llm import BreakerConfig, LLMSettings, Provider, ResponseFormat
from careerflow_messaging import Topology

Environment = Literal["development", "test", "production"]

_FORMER_OLLAMA_NAMES = {
    "ollama_timeout_s": "ollama_budget_s",
    "ollama_read_timeout_s": "ollama_stall_s",
}


class ServiceSettings(BaseSettings):
    """What every service reads: where the broker is, where to listen, how to log."""

    model_config = SettingsConfigDict(env_prefix="CAREERFLOW_", extra="ignore")

    shared_names: ClassVar[Mapping[str, str]] = {"amqp_url": "AMQP_URL"}
    """Field -> the unprefixed variable read when the prefixed one is not set."""

    # Production unless development (or test) is asked for: a forgotten variable is safe.
    environment: Environment = "production"
    amqp_url: str = "amqp://guest:guest@localhost:5672/"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: str = "INFO"
    exchange: str = routing.EXCHANGE
    dead_letter_exchange: str = routing.DEAD_LETTER_EXCHANGE
    queue_prefix: str = ""
    delivery_limit: int | None = Field(
        default=None, ge=1, le=100, description="overrides every queue's own limit (tests)"
    )
    shutdown_grace_s: float = Field(default=20.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _shared_names(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for field, variable in cls.shared_names.items():
            if data.get(field) is None:
                shared = os.environ.get(variable)
                if shared:
                    data[field] = shared
        return data

    def topology(self) -> Topology:
        return Topology(
            exchange=self.exchange,
            dead_letter_exchange=self.dead_letter_exchange,
            queue_prefix=self.queue_prefix,
            delivery_limit=self.delivery_limit,
        )


class WorkerSettings(ServiceSettings):
    """A worker's settings: the broker, its bulkhead, and its own Ollama client and breaker."""

    shared_names: ClassVar[Mapping[str, str]] = {
        **ServiceSettings.shared_names,
        "ollama_url": "OLLAMA_URL",
        "ollama_model": "OLLAMA_MODEL",
    }

    prefetch: int = Field(default=2, ge=1, le=64, description="max concurrent model calls")
    # The model server (see the module docstring); resolved from the names below and the
    # former OLLAMA_* ones before validation.
    llm_provider: Provider = "ollama"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = Field(default=None, description="from a secret; never logged")
    llm_response_format: ResponseFormat = "json_schema"
    ollama_url: str = "http://localhost:11434"
    ollama_model: str = "llama3.2:3b"
    ollama_enabled: bool = True
    # The limits of one model call (careerflow_llm.pace): the first-token and stall limits
    # adapt to the model's measured speed between their floors and these defaults.
    ollama_budget_s: float = Field(default=600.0, gt=0, description="one model call, all in")
    ollama_first_token_s: float = Field(default=300.0, gt=0)
    ollama_first_token_floor_s: float = Field(default=20.0, gt=0)
    ollama_stall_s: float = Field(default=30.0, gt=0)
    ollama_stall_floor_s: float = Field(default=10.0, gt=0)
    # The longest answer another worker may be writing on the same model ahead of a call: the
    # first-token limit allows for writing it (question-gen's num_predict).
    ollama_busy_answer_tokens: int = Field(default=2048, ge=0)
    # Former names an operator may have set: the total timeout is now the budget, the read
    # timeout the stall limit.
    ollama_timeout_s: float | None = Field(default=None, gt=0, description="ollama_budget_s")
    ollama_read_timeout_s: float | None = Field(default=None, gt=0, description="ollama_stall_s")
    ollama_connect_timeout_s: float = Field(default=2.0, gt=0)
    ollama_num_ctx: int = Field(default=8192, ge=512)
    ollama_num_predict: int = Field(default=1024, ge=16)
    ollama_temperature: float = Field(default=0.2, ge=0, le=2)
    ollama_keep_alive: str = "10m"
    breaker_window_size: int = Field(default=20, ge=1)
    breaker_minimum_calls: int = Field(default=5, ge=1)
    breaker_failure_rate: float = Field(default=0.5, gt=0, le=1)
    breaker_slow_call_rate: float = Field(default=0.8, gt=0, le=1)
    breaker_slow_call_s: float = Field(default=20.0, gt=0)
    breaker_wait_open_s: float = Field(default=30.0, ge=0)
    breaker_half_open_calls: int = Field(default=2, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _former_ollama_names(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for former, name in _FORMER_OLLAMA_NAMES.items():
            if data.get(former) is not None and data.get(name) is None:
                data[name] = data[former]
        return data

    @model_validator(mode="before")
    @classmethod
    def _model_server_names(cls, data: Any) -> Any:
        # Runs before ServiceSettings fills in the shared names: here ``data`` holds only what
        # was given or set with the prefix, so the order of the module docstring can be kept.
        if not isinstance(data, dict):
            return data

        def given(name: str) -> Any:
            return data.get(name) or None

        def shared(name: str) -> str | None:
            return os.environ.get(name) or None

        provider = given("llm_provider") or shared("LLM_PROVIDER") or "ollama"
        if provider == "ollama":
            url = (
                given("llm_base_url")
                or given("ollama_url")
                or shared("LLM_BASE_URL")
                or shared("OLLAMA_URL")
            )
            model = (
                given("llm_model")
                or given("ollama_model")
                or shared("LLM_MODEL")
                or shared("OLLAMA_MODEL")
            )
        else:
            url = given("llm_base_url") or shared("LLM_BASE_URL")
            model = given("llm_model") or shared("LLM_MODEL")
        data["llm_provider"] = provider
        data["llm_base_url"], data["llm_model"] = url, model
        data["llm_api_key"] = given("llm_api_key") or shared("LLM_API_KEY")
        data["llm_response_format"] = (
            given("llm_response_format") or shared("LLM_RESPONSE_FORMAT") or "json_schema"
        )
        return data

    @model_validator(mode="after")
    def _model_server_named(self) -> WorkerSettings:
        if self.llm_provider == "openai":
            prefix = str(self.model_config.get("env_prefix", "")).upper()
            for field, name in (("llm_base_url", "LLM_BASE_URL"), ("llm_model", "LLM_MODEL")):
                if not getattr(self, field):
                    raise ValueError(
                        f"{prefix}{name} (or {name}) is required when the provider is openai"
                    )
        return self

    def llm_settings(self) -> LLMSettings:
        """The worker's model server, model, limits and breaker, for its ``LLMClient``."""
        return LLMSettings(
            provider=self.llm_provider,
            url=self.llm_base_url or self.ollama_url,
            model=self.llm_model or self.ollama_model,
            api_key=self.llm_api_key,
            response_format=self.llm_response_format,
            enabled=self.ollama_enabled,
            budget_s=self.ollama_budget_s,
            first_token_s=self.ollama_first_token_s,
            first_token_floor_s=self.ollama_first_token_floor_s,
            stall_s=self.ollama_stall_s,
            stall_floor_s=self.ollama_stall_floor_s,
            busy_answer_tokens=self.ollama_busy_answer_tokens,
            connect_timeout_s=self.ollama_connect_timeout_s,
            num_ctx=self.ollama_num_ctx,
            num_predict=self.ollama_num_predict,
            temperature=self.ollama_temperature,
            keep_alive=self.ollama_keep_alive,
            breaker=BreakerConfig(
                window_size=self.breaker_window_size,
                minimum_calls=self.breaker_minimum_calls,
                failure_rate_threshold=self.breaker_failure_rate,
                slow_call_rate_threshold=self.breaker_slow_call_rate,
                slow_call_duration_s=self.breaker_slow_call_s,
                wait_open_s=self.breaker_wait_open_s,
                half_open_calls=self.breaker_half_open_calls,
            ),
        )

    def ollama_settings(self) -> LLMSettings:
        """The former name of :meth:`llm_settings`."""
        return self.llm_settings()
