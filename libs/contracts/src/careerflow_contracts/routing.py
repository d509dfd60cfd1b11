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


DEFAULT_DELIVERY_LIMIT = 5


@dataclass(frozen=True)
class QueueBinding:
    """One durable quorum queue, the routing keys bound to it, and its delivery limit.

    The limit is part of the queue's identity on the broker (a redeclaration with another value
    is refused), so it is named here once, for every service that declares the queue.
    """

    queue: str
    routing_keys: tuple[str, ...]
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"


RESUME_PARSER = QueueBinding("resume-parser.resume-submitted", (RESUME_SUBMITTED,))
QUESTION_GEN = QueueBinding("question-gen.questions-requested", (QUESTIONS_REQUESTED,))
EVALUATOR_ANSWERS = QueueBinding("evaluator.answer-submitted", (ANSWER_SUBMITTED,))
EVALUATOR_REPORTS = QueueBinding("evaluator.report-requested", (REPORT_REQUESTED,))
# A result is redelivered only on a real failure (the gateway waits out a database outage rather
# than nacking), so a higher limit leaves room for broker restarts without dead-lettering.
GATEWAY_RESULTS = QueueBinding("gateway.results", RESULT_TYPES, delivery_limit=10)

ALL_BINDINGS = (RESUME_PARSER, QUESTION_GEN, EVALUATOR_ANSWERS, EVALUATOR_REPORTS, GATEWAY_RESULTS)
