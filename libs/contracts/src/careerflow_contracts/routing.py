"""Routing names: the exchanges, the routing keys and the queue of each consumer.

The topology itself (quorum queues, dead-lettering) is declared by ``careerflow_messaging``;
this module names things, and the limits that are part of a queue's identity on the broker
(delivery limits, the dead-letter queues' retention), so every service agrees on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

EXCHANGE = "careerflow.events"
DEAD_LETTER_EXCHANGE = "careerflow.dead"

RESUME_SUBMITTED = "resume.submitted"
RESUME_PARSED = "resume.parsed"
PROFILE_REQUESTED = "profile.requested"
PROFILE_REFINED = "profile.refined"
QUESTIONS_REQUESTED = "questions.requested"
QUESTIONS_GENERATED = "questions.generated"
ANSWER_SUBMITTED = "answer.submitted"
ANSWER_EVALUATED = "answer.evaluated"
FOLLOWUP_REQUESTED = "followup.requested"
FOLLOWUP_GENERATED = "followup.generated"
REPORT_REQUESTED = "report.requested"
REPORT_GENERATED = "report.generated"

REQUEST_TYPES = (
    RESUME_SUBMITTED,
    PROFILE_REQUESTED,
    QUESTIONS_REQUESTED,
    ANSWER_SUBMITTED,
    FOLLOWUP_REQUESTED,
    REPORT_REQUESTED,
)
RESULT_TYPES = (
    RESUME_PARSED,
    PROFILE_REFINED,
    QUESTIONS_GENERATED,
    ANSWER_EVALUATED,
    FOLLOWUP_GENERATED,
    REPORT_GENERATED,
)

CANDIDATE_WORK = (QUESTIONS_REQUESTED, ANSWER_SUBMITTED, FOLLOWUP_REQUESTED, REPORT_REQUESTED)
"""The model work a candidate waits for: a profile refine (``profile.requested``) gives way to
it (see "What the candidate waits for goes first" in docs/architecture.md)."""


DEFAULT_DELIVERY_LIMIT = 5


@dataclass(frozen=True)
class DeadLetterRetention:
    """How long and how much a dead-letter queue keeps: past either bound, the oldest go.

    Dead letters are kept for someone to look at and replay, but a poison ``resume.submitted``
    holds a whole resume: the bound is what erasing a session can promise for them.
    """

    ttl: timedelta
    max_messages: int
    max_bytes: int


DEAD_LETTER_GENERATION = 2
"""The generation of every DLQ's definition, part of its name.

A queue's arguments cannot change in place (the broker refuses the redeclaration), so a new
``DEAD_LETTER_RETENTION`` needs a new generation: the topology then moves what the earlier
generations' DLQs hold into the new ones and deletes them (``careerflow_messaging.topology``).
"""

DEAD_LETTER_RETENTION = DeadLetterRetention(
    ttl=timedelta(hours=72),  # a weekend and a working day to notice and replay a poison message
    max_messages=1000,
    max_bytes=64 * 1024 * 1024,  # a few full-size resumes, or hundreds of ordinary ones
)


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
        return dead_letter_queue_name(self.queue, DEAD_LETTER_GENERATION)

    @property
    def superseded_dead_letter_queues(self) -> tuple[str, ...]:
        """The DLQs earlier releases declared for this queue, oldest first."""
        return tuple(
            dead_letter_queue_name(self.queue, generation)
            for generation in range(1, DEAD_LETTER_GENERATION)
        )


def dead_letter_queue_name(queue: str, generation: int) -> str:
    """Generation 1 (unbounded, release 1) was ``<queue>.dlq``; later ones ``<queue>.dlq.v<n>``."""
    return f"{queue}.dlq" if generation == 1 else f"{queue}.dlq.v{generation}"


RESUME_PARSER = QueueBinding("resume-parser.resume-submitted", (RESUME_SUBMITTED,))
RESUME_PARSER_PROFILES = QueueBinding("resume-parser.profile-requested", (PROFILE_REQUESTED,))
QUESTION_GEN = QueueBinding("question-gen.questions-requested", (QUESTIONS_REQUESTED,))
EVALUATOR_ANSWERS = QueueBinding("evaluator.answer-submitted", (ANSWER_SUBMITTED,))
EVALUATOR_REPORTS = QueueBinding("evaluator.report-requested", (REPORT_REQUESTED,))
EVALUATOR_FOLLOWUPS = QueueBinding("evaluator.followup-requested", (FOLLOWUP_REQUESTED,))
# A result is redelivered only on a real failure (the gateway waits out a database outage rather
# than nacking), so a higher limit leaves room for broker restarts without dead-lettering.
GATEWAY_RESULTS = QueueBinding("gateway.results", RESULT_TYPES, delivery_limit=10)

ALL_BINDINGS = (
    RESUME_PARSER,
    RESUME_PARSER_PROFILES,
    QUESTION_GEN,
    EVALUATOR_ANSWERS,
    EVALUATOR_REPORTS,
    EVALUATOR_FOLLOWUPS,
    GATEWAY_RESULTS,
)
