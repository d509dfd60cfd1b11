"""The resume parser's settings: ``RESUME_PARSER_*`` variables over the shared worker settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from careerflow_resume_parser.extracted_text import ExtractionLimits
from careerflow_service import WorkerSettings


class ResumeParserSettings(WorkerSettings):
    """Broker, model and breaker (from ``WorkerSettings``), plus the limits of extraction."""

    model_config = SettingsConfigDict(env_prefix="RESUME_PARSER_", extra="ignore")

    port: int = Field(default=8001, ge=0, le=65535)
    extraction_workers: int = Field(default=2, ge=1, le=32)
    extraction_time_limit_s: float = Field(default=10.0, gt=0)
    extraction_memory_limit_mb: int = Field(default=1024, ge=0, description="0: no limit")
    max_pages: int = Field(default=10, ge=1)
    max_chars: int = Field(default=40_000, ge=1_000)
    max_unzipped_mb: int = Field(default=64, ge=1)
    max_compression_ratio: float = Field(default=100.0, gt=1)

    def extraction_limits(self) -> ExtractionLimits:
        return ExtractionLimits(
            max_pages=self.max_pages,
            max_chars=self.max_chars,
            max_unzipped_bytes=self.max_unzipped_mb * 1024 * 1024,
            max_compression_ratio=self.max_compression_ratio,
        )
