"""The ``evaluator`` console script: serve the worker its bootstrap builds until SIGTERM."""

from __future__ import annotations

from careerflow_evaluator.bootstrap import bootstrap
from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_service import run_worker


def main() -> None:
    """Run the evaluator until SIGINT or SIGTERM."""
    run_worker(bootstrap(EvaluatorSettings()))


if __name__ == "__main__":
    main()
