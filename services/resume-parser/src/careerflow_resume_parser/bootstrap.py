"""resume-parser's object graph, built once: its model client, what it knows of the work a
candidate waits for and the watch that tells it, the two handlers bound to them and to the
extractor, and the worker that runs them.

Two queues: ``resume.submitted`` (extract and read, answered at once) and ``profile.requested``
(the model's reading, when the gateway finds the model free), and a watch on the requests a
candidate waits for, for which a reading in progress is given up (``refine``). The extractor's
process pool lives as long as the process does: the console script opens it and closes it
around the worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import routing
from careerflow_contracts.routing import QueueBinding
from careerflow_llm import LLMClient
from careerflow_messaging import Topology, Watch
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_resume_parser.refine import CandidateDemand, handle_profile_requested
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service import Handler, Worker

SERVICE_NAME = "resume-parser"


def build_extractor(settings: ResumeParserSettings) -> Extractor:
    """The process pool that reads documents, with the limits ``settings`` give."""
    return Extractor(
        settings.extraction_limits(),
        workers=settings.extraction_workers,
        time_limit_s=settings.extraction_time_limit_s,
        memory_limit_bytes=settings.extraction_memory_limit_mb * 1024 * 1024,
    )


def bootstrap(
    settings: ResumeParserSettings, *, extractor: Extractor, llm: LLMClient | None = None
) -> Worker:
    """resume-parser, wired: ``llm`` is its model client (by default the one ``settings``
    describe); the pool is started before the first message, the watch once connected."""
    llm = llm or LLMClient(settings.llm_settings())
    demand = CandidateDemand()
    handlers: dict[QueueBinding, Handler] = {
        routing.RESUME_PARSER: partial(handle_resume_submitted, llm=llm, extractor=extractor),
        routing.RESUME_PARSER_PROFILES: partial(handle_profile_requested, llm=llm, demand=demand),
    }
    return Worker(
        SERVICE_NAME,
        settings,
        handlers,
        llm=llm,
        on_start=extractor.warm_up,
        on_connected=watch_candidate_work(settings.topology(), demand),
    )


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
