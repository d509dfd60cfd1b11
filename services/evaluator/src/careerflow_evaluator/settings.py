"""The evaluator's settings: ``EVALUATOR_*`` variables, with every worker's shared fallbacks."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from careerflow_service import WorkerSettings


class EvaluatorSettings(WorkerSettings):
    """Where the evaluator listens and which model it asks (``EVALUATOR_OLLAMA_MODEL``, ...)."""

    model_config = SettingsConfigDict(env_prefix="EVALUATOR_", extra="ignore")

    port: int = Field(default=8003, ge=0, le=65535)
