"""The ``evaluator`` console script: wire the settings, the model client and the handlers."""

from __future__ import annotations

from collections.abc import Mapping

from careerflow_contracts import routing
from careerflow_contracts.routing import QueueBinding
from careerflow_evaluator.handlers import (
    handle_answer_submitted,
    handle_followup_requested,
    handle_report_requested,
)
from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_service import Handler, run_worker

SERVICE_NAME = "evaluator"

HANDLERS: Mapping[QueueBinding, Handler] = {
    routing.EVALUATOR_ANSWERS: handle_answer_submitted,
    routing.EVALUATOR_REPORTS: handle_report_requested,
    routing.EVALUATOR_FOLLOWUPS: handle_followup_requested,
}


def main() -> None:
    """Run the evaluator until SIGINT or SIGTERM."""
    run_worker(SERVICE_NAME, EvaluatorSettings(), HANDLERS)


if __name__ == "__main__":
    main()
