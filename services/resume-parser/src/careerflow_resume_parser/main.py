"""The ``resume-parser`` console script: wire the extractor and the handlers into the worker.

Two queues: ``resume.submitted`` (extract and read, answered at once) and ``profile.requested``
(the model's reading, when the gateway finds the model free), and a watch on the requests a
candidate waits for, for which a reading in progress is given up (``refine``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import (
    ProfileRefined,
    ProfileRequested,
    ResumeParsed,
    ResumeSubmitted,
    routing,
)
from careerflow_llm import OllamaClient
from careerflow_messaging import Topology, Watch
from careerflow_resume_parser.extractor import Extractor
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_resume_parser.refine import CandidateDemand, handle_profile_requested
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


def bind_refine(demand: CandidateDemand) -> Handler:
    """The ``profile.requested`` handler, giving way to what ``demand`` sees."""

    async def handle(event: ProfileRequested, *, llm: OllamaClient) -> ProfileRefined | None:
        return await handle_profile_requested(event, llm=llm, demand=demand)

    return handle


def watch_candidate_work(
    topology: Topology, demand: CandidateDemand
) -> Callable[[AbstractRobustConnection], Awaitable[None]]:
    """Start, once connected, the watch that tells ``demand`` of each request a candidate
    waits for."""

    async def start(connection: AbstractRobustConnection) -> None:
        watch = Watch(
            connection,
            topology,
            routing.CANDIDATE_WORK,
            demand.saw,
            name=f"{SERVICE_NAME}:candidate-work",
        )
        await watch.start()

    return start


def main() -> None:
    settings = ResumeParserSettings()
    demand = CandidateDemand()
    with build_extractor(settings) as extractor:
        run_worker(
            SERVICE_NAME,
            settings,
            {
                routing.RESUME_PARSER: bind_handler(extractor),
                routing.RESUME_PARSER_PROFILES: bind_refine(demand),
            },
            on_start=extractor.warm_up,
            on_connected=watch_candidate_work(settings.topology(), demand),
        )


if __name__ == "__main__":
    main()
