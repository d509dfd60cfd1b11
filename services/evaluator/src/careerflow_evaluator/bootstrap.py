"""The evaluator's object graph, built once: its model client, the three handlers bound to it,
and the worker that runs them."""

from __future__ import annotations

from functools import partial

from careerflow_contracts import routing
from careerflow_contracts.routing import QueueBinding
from careerflow_evaluator.handlers import (
    handle_answer_submitted,
    handle_followup_requested,
    handle_report_requested,
)
from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_llm import LLMClient
from careerflow_service import Handler, Worker

SERVICE_NAME = "evaluator"


def bootstrap(settings: EvaluatorSettings, *, llm: LLMClient | None = None) -> Worker:
    """The evaluator, wired: ``llm`` is its model client (by default the one ``settings``
    describe), given to every handler."""
    llm = llm or LLMClient(settings.llm_settings())
    handlers: dict[QueueBinding, Handler] = {
        routing.EVALUATOR_ANSWERS: partial(handle_answer_submitted, llm=llm),
        routing.EVALUATOR_REPORTS: partial(handle_report_requested, llm=llm),
        routing.EVALUATOR_FOLLOWUPS: partial(handle_followup_requested, llm=llm),
    }
    return Worker(SERVICE_NAME, settings, handlers, llm=llm)
