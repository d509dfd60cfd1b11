"""Routing names: the exchanges, the routing keys and the queue of each consumer.

The topology itself (quorum queues, delivery limits, dead-lettering) is declared by
``careerflow_messaging``; this module only names things, so every service agrees on them.
"""

from __future__ import annotations

from dataclasses import dataclass

EXCHANGE = "careerflow.events"
DEAD_LETTER_EXCHANGE = "careerflow.dead"

RESUME_SUBMITTED = "resume.submitted"
RESUME_PARSED = "resume.parsed"
QUESTIONS_REQUESTED = "questions.requested"
QUESTIONS_GENERATED = "questions.generated"
ANSWER_SUBMITTED = "answer.submitted"
ANSWER_EVALUATED = "answer.evaluated"
REPORT_REQUESTED = "report.requested"
REPORT_GENERATED = "report.generated"

REQUEST_TYPES = (RESUME_SUBMITTED, QUESTIONS_REQUESTED, ANSWER_SUBMITTED, REPORT_REQUESTED)
RESULT_TYPES = (RESUME_PARSED, QUESTIONS_GENERATED, ANSWER_EVALUATED, REPORT_GENERATED)


@dataclass(frozen=True)
class QueueBinding:
    """One durable quorum queue and the routing keys bound to it."""

    queue: str
    routing_keys: tuple[str, ...]

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"


RESUME_PARSER = QueueBinding("resume-parser.resume-submitted", (RESUME_SUBMITTED,))
QUESTION_GEN = QueueBinding("question-gen.questions-requested", (QUESTIONS_REQUESTED,))
EVALUATOR_ANSWERS = QueueBinding("evaluator.answer-submitted", (ANSWER_SUBMITTED,))
EVALUATOR_REPORTS = QueueBinding("evaluator.report-requested", (REPORT_REQUESTED,))
GATEWAY_RESULTS = QueueBinding("gateway.results", RESULT_TYPES)

ALL_BINDINGS = (RESUME_PARSER, QUESTION_GEN, EVALUATOR_ANSWERS, EVALUATOR_REPORTS, GATEWAY_RESULTS)
