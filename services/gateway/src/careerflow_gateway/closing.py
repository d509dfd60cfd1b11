"""The end of an interview: whether everything is answered, the report's numbers and its request.

An interview is done when the whole set is written and every question of it is evaluated, and
every follow-up asked is evaluated or skipped; one being written, or waiting for its answer, or
for its score, holds the end. Then, in the transaction that saw the last of it (an evaluation, or
a skip), the report's numbers are stored and its words asked for (``report.requested``).

Each topic is scored from its question and its follow-up together (``report.topic_score``):
the report's overall and per-kind numbers are means of topic scores, and the follow-ups asked
are listed with their scores.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from careerflow_contracts import ReportFollowup, ReportItem, Rubric
from careerflow_contracts.rest import FollowupResult
from careerflow_gateway.db.pool import DbConnection
from careerflow_gateway.outbox import enqueue
from careerflow_gateway.profile_refine import candidate_work_asked
from careerflow_gateway.report import ReportNumbers, ScoredAnswer, report_numbers, topic_score
from careerflow_gateway.requests import report_requested
from careerflow_gateway.settings import GatewaySettings

_TOPICS = """
SELECT q.position, q.kind, q.skill, q.text AS question, a.text AS answer_text,
       a.question_id AS answered, e.score, e.rubric, e.feedback,
       f.state AS followup_state, fq.id AS followup_id, fq.text AS followup_text,
       fa.text AS followup_answer, fe.score AS followup_score
FROM questions q
LEFT JOIN answers a ON a.question_id = q.id
LEFT JOIN evaluations e ON e.question_id = q.id
LEFT JOIN followups f ON f.parent_id = q.id
LEFT JOIN questions fq ON fq.parent_id = q.id
LEFT JOIN answers fa ON fa.question_id = fq.id
LEFT JOIN evaluations fe ON fe.question_id = fq.id
WHERE q.session_id = $1 AND q.generation = $2 AND q.parent_id IS NULL
ORDER BY q.position
"""


@dataclass(frozen=True)
class Topics:
    """The questions of the set, each with its follow-up's state, as stored now."""

    rows: list[asyncpg.Record]

    def done(self, expected: int | None) -> bool:
        """Whether the whole set is written and every question of it, and every follow-up,
        evaluated or skipped: an answer scored while the model still writes the others, or
        while a follow-up is written or waits for its answer, does not end the interview."""
        return len(self.rows) >= (expected or 1) and all(
            row["score"] is not None and _followup_done(row) for row in self.rows
        )

    def scored(self) -> list[ScoredAnswer]:
        return [
            ScoredAnswer(kind=row["kind"], score=topic_score(row["score"], row["followup_score"]))
            for row in self.rows
        ]

    def followups(self) -> list[FollowupResult]:
        """The follow-ups asked, as the report lists them."""
        return [
            FollowupResult(
                position=row["position"],
                question_id=row["followup_id"],
                text=row["followup_text"],
                skipped=row["followup_state"] == "skipped",
                score=row["followup_score"],
                topic_score=topic_score(row["score"], row["followup_score"]),
            )
            for row in self.rows
            if row["followup_id"] is not None
        ]

    def report_items(self) -> list[ReportItem]:
        return [_report_item(row) for row in self.rows]


def _followup_done(row: asyncpg.Record) -> bool:
    state = row["followup_state"]
    return state is None or state == "skipped" or row["followup_score"] is not None


def _report_item(row: asyncpg.Record) -> ReportItem:
    followup = None
    if row["followup_id"] is not None:
        followup = ReportFollowup(
            question=row["followup_text"],
            answer_text=row["followup_answer"],
            score=row["followup_score"],
            skipped=row["followup_state"] == "skipped",
        )
    return ReportItem(
        position=row["position"],
        kind=row["kind"],
        skill=row["skill"],
        question=row["question"],
        answer_text=row["answer_text"],
        score=row["score"],
        rubric=Rubric.model_validate(row["rubric"]),
        feedback=row["feedback"],
        followup=followup,
        topic_score=None if followup is None else topic_score(row["score"], row["followup_score"]),
    )


async def session_topics(conn: DbConnection, session: asyncpg.Record) -> Topics:
    return Topics(list(await conn.fetch(_TOPICS, session["id"], session["generation"])))


def numbers_of(session: asyncpg.Record, topics: Topics) -> ReportNumbers:
    profile_skills = (session["profile"] or {}).get("skills", [])
    return report_numbers(topics.scored(), session["job_description"], profile_skills)


async def store_report_numbers(
    conn: DbConnection,
    session_id: uuid.UUID,
    numbers: ReportNumbers,
    topics: Topics,
    *,
    narrative_due_at: datetime | None,
) -> None:
    """Store the report's numbers (and its follow-ups), its words to come by
    ``narrative_due_at``; a report already stored is kept."""
    await conn.execute(
        "INSERT INTO reports (session_id, overall_score, by_kind, skill_match, followups, "
        "narrative_due_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (session_id) DO NOTHING",
        session_id,
        numbers.overall_score,
        numbers.by_kind.model_dump(mode="json"),
        numbers.skill_match.model_dump(mode="json"),
        [followup.model_dump(mode="json") for followup in topics.followups()],
        narrative_due_at,
    )


async def request_report_if_done(
    conn: DbConnection,
    session: asyncpg.Record,
    settings: GatewaySettings,
    *,
    causation_id: uuid.UUID | None,
) -> bool:
    """Store the report's numbers and ask for its words when the interview is done; say
    whether it was. Called in the transaction that stored the last evaluation or skip."""
    topics = await session_topics(conn, session)
    if not topics.done(session["questions_expected"]):
        return False
    numbers = numbers_of(session, topics)
    await candidate_work_asked(conn)
    request = report_requested(
        session, topics.report_items(), numbers, settings, causation_id=causation_id
    )
    # The numbers are shown at once; the words follow by the deadline (report_progress).
    await store_report_numbers(
        conn, session["id"], numbers, topics, narrative_due_at=request.deadline
    )
    await enqueue(conn, request)
    return True
