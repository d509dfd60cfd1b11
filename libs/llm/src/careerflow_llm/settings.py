"""One service's model server: which API, where, which model, its key, and the call's limits.

``provider`` picks the adapter (:mod:`careerflow_llm.ollama_api`, the default, or
:mod:`careerflow_llm.openai_api`); everything else here holds for both. Options only one API has
(``num_ctx`` and ``keep_alive`` are Ollama's, ``response_format`` the OpenAI API's) are ignored
by the other.

The API key is a :class:`~pydantic.SecretStr`: its repr, its ``str`` and a dump of the settings
show ``**********``, never the key.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from careerflow_llm.breaker import BreakerConfig
from careerflow_llm.pace import BUSY_ANSWER_TOKENS, PaceLimits

Provider = Literal["ollama", "openai"]
ResponseFormat = Literal["json_schema", "json_object"]


class LLMSettings(BaseModel):
    """One service's model server, model, limits and breaker thresholds.

    ``url`` is Ollama's root (``http://localhost:11434``) for ``ollama``, and the API's base URL,
    ``/v1`` included (``http://localhost:8000/v1``), for ``openai``, as the OpenAI clients take it.
    ``timeout_s`` and ``read_timeout_s``, the names of the single total timeout and of the read
    timeout this replaced, are still read as ``budget_s`` and ``stall_s``.
    """

    model_config = ConfigDict(frozen=True)

    provider: Provider = "ollama"
    url: str = "http://localhost:11434"
    model: str = "llama3.2:3b"
    api_key: SecretStr | None = Field(
        default=None, description="sent as Authorization: Bearer; never logged"
    )
    budget_s: float = Field(
        default=600.0, gt=0, description="the whole call, whatever the model's pace"
    )
    first_token_s: float = Field(
        default=300.0,
        gt=0,
        description="longest wait for the first token before the model is measured; the ceiling",
    )
    first_token_floor_s: float = Field(
        default=20.0, gt=0, description="the first-token limit never adapts below this"
    )
    stall_s: float = Field(
        default=30.0,
        gt=0,
        description="longest silence between tokens before the model is measured; the ceiling",
    )
    stall_floor_s: float = Field(
        default=10.0, gt=0, description="the stall limit never adapts below this"
    )
    busy_answer_tokens: int = Field(
        default=BUSY_ANSWER_TOKENS,
        ge=0,
        description="the longest answer another service's call may write ahead of this one",
    )
    connect_timeout_s: float = Field(default=2.0, gt=0)
    write_timeout_s: float = Field(default=5.0, gt=0)
    pool_timeout_s: float = Field(default=2.0, gt=0)
    response_format: ResponseFormat = Field(
        default="json_schema",
        description="OpenAI API only: how the schema is asked (json_object: llama-cpp-python)",
    )
    num_ctx: int = Field(default=8192, ge=256, description="Ollama only")
    num_predict: int = Field(default=1024, ge=1, description="max_tokens of the OpenAI API")
    temperature: float = Field(default=0.2, ge=0)
    keep_alive: str = Field(default="10m", description="Ollama only")
    min_time_left_s: float = Field(
        default=1.0, ge=0, description="below this before the event deadline, fall back at once"
    )
    publish_reserve_s: float = Field(
        default=0.5, ge=0, description="kept back from the event deadline to publish the result"
    )
    enabled: bool = True
    breaker: BreakerConfig = BreakerConfig()

    @model_validator(mode="before")
    @classmethod
    def _former_names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for former, name in _FORMER_NAMES.items():
                value = data.pop(former, None)
                if value is not None and data.get(name) is None:
                    data[name] = value
        return data

    def pace_limits(self) -> PaceLimits:
        """The limits :mod:`careerflow_llm.pace` adapts to the model's measured speed."""
        return PaceLimits(
            first_token_s=self.first_token_s,
            first_token_floor_s=self.first_token_floor_s,
            stall_s=self.stall_s,
            stall_floor_s=self.stall_floor_s,
            busy_answer_tokens=self.busy_answer_tokens,
        )

    def shown_url(self) -> str:
        """``url`` as ``/health`` may show it: a user name or password in it is masked."""
        try:
            url = httpx.URL(self.url)
        except httpx.InvalidURL:
            return "(not a valid URL)"
        if not url.userinfo:
            return self.url
        return str(url.copy_with(username="***", password=None))


OllamaSettings = LLMSettings
"""The settings' name before they described more than an Ollama server."""

_FORMER_NAMES = {"timeout_s": "budget_s", "read_timeout_s": "stall_s"}
