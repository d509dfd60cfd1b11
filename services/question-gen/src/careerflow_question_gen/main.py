"""The ``question-gen`` console script: serve the worker until SIGTERM."""

from __future__ import annotations

from careerflow_contracts import routing
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_service import run_worker

SERVICE_NAME = "question-gen"


def main() -> None:
    """Consume ``questions.requested`` and publish ``questions.generated``."""
    settings = QuestionGenSettings()
    run_worker(SERVICE_NAME, settings, {routing.QUESTION_GEN: handle_questions_requested})


if __name__ == "__main__":
    main()
