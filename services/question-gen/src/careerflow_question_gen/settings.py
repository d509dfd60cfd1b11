"""The question generator's settings: ``QUESTION_GEN_*`` variables, shared names as fallback."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from careerflow_service import WorkerSettings


class QuestionGenSettings(WorkerSettings):
    """Everything ``WorkerSettings`` reads, with this service's prefix and port.

    ``prefetch`` is the bulkhead: at most that many requests, hence model calls, at once.
    """

    model_config = SettingsConfigDict(env_prefix="QUESTION_GEN_", extra="ignore")

    port: int = Field(default=8002, ge=0, le=65535)
    # Ten questions with their points is the longest answer any worker asks for.
    ollama_num_predict: int = Field(default=2048, ge=16)
