"""question-gen's object graph, built once: its model client, the handler bound to it, and the
worker that runs it (and gives it ``publish``, to send each batch as the model writes it)."""

from __future__ import annotations

from functools import partial

from careerflow_contracts import routing
from careerflow_llm import LLMClient
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_service import Worker

SERVICE_NAME = "question-gen"


def bootstrap(settings: QuestionGenSettings, *, llm: LLMClient | None = None) -> Worker:
    """question-gen, wired: ``llm`` is its model client (by default the one ``settings``
    describe)."""
    llm = llm or LLMClient(settings.llm_settings())
    handle = partial(handle_questions_requested, llm=llm)
    return Worker(SERVICE_NAME, settings, {routing.QUESTION_GEN: handle}, llm=llm)
