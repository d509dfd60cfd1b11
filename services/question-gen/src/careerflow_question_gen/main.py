"""The ``question-gen`` console script: serve the worker its bootstrap builds until SIGTERM."""

from __future__ import annotations

from careerflow_question_gen.bootstrap import bootstrap
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_service import run_worker


def main() -> None:
    """Consume ``questions.requested`` and publish ``questions.generated``."""
    run_worker(bootstrap(QuestionGenSettings()))


if __name__ == "__main__":
    main()
