"""The ``resume-parser`` console script: serve the worker its bootstrap builds until SIGTERM,
inside the lifetime of the extractor's process pool."""

from __future__ import annotations

from careerflow_resume_parser.bootstrap import bootstrap, build_extractor
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service import run_worker


def main() -> None:
    settings = ResumeParserSettings()
    with build_extractor(settings) as extractor:
        run_worker(bootstrap(settings, extractor=extractor))


if __name__ == "__main__":
    main()
