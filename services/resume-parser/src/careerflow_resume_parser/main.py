"""The ``resume-parser`` console script: wire the extractor and the handler into the worker."""

from __future__ import annotations

from careerflow_contracts import ResumeParsed, ResumeSubmitted, routing
from careerflow_llm import OllamaClient
from careerflow_resume_parser.extractor import Extractor
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service import Handler, run_worker

SERVICE_NAME = "resume-parser"


def build_extractor(settings: ResumeParserSettings) -> Extractor:
    return Extractor(
        settings.extraction_limits(),
        workers=settings.extraction_workers,
        time_limit_s=settings.extraction_time_limit_s,
        memory_limit_bytes=settings.extraction_memory_limit_mb * 1024 * 1024,
    )


def bind_handler(extractor: Extractor) -> Handler:
    """The handler in the runtime's shape: the event and the model client."""

    async def handle(event: ResumeSubmitted, *, llm: OllamaClient) -> ResumeParsed:
        return await handle_resume_submitted(event, llm=llm, extractor=extractor)

    return handle


def main() -> None:
    settings = ResumeParserSettings()
    with build_extractor(settings) as extractor:
        run_worker(
            SERVICE_NAME,
            settings,
            {routing.RESUME_PARSER: bind_handler(extractor)},
            on_start=extractor.warm_up,
        )


if __name__ == "__main__":
    main()
