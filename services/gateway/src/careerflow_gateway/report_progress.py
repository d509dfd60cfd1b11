"""What the session view says about the interview's end while it is under way: which answers
are being scored, how fast the model works, and the report as far as it is written.

The report is stored in two steps (``result_handlers``): its numbers when the last answer is scored,
its words when ``report.generated`` comes. Until then the row has no ``summary`` and the view
shows the numbers (``report_numbers``) with a pending narrative; ``report``, the whole report,
is there once the words are. A row of an earlier release always has its words.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from careerflow_contracts.rest import (
    Activity,
    NarrativeView,
    QuestionView,
    ReportNumbersView,
    ReportView,
    StageSpeed,
)
from careerflow_gateway.db.pool import DbConnection


@dataclass(frozen=True)
class ReportParts:
    """The stored report as the view shows it; all ``None`` before the last answer is scored."""

    report: ReportView | None = None
    numbers: ReportNumbersView | None = None
    narrative: NarrativeView | None = None


def report_parts_of(row: asyncpg.Record | None) -> ReportParts:
    """The view's parts of a ``reports`` row (``None``: no report yet)."""
    if row is None:
        return ReportParts()
    numbers = ReportNumbersView(
        overall_score=row["overall_score"],
        by_kind=row["by_kind"],
        skill_match=row["skill_match"],
        followups=row["followups"],
    )
    if row["summary"] is None:
        narrative = NarrativeView(status="pending", expected_by=row["narrative_due_at"])
        return ReportParts(numbers=numbers, narrative=narrative)
    report = ReportView(
        **numbers.model_dump(),
        summary=row["summary"],
        strengths=row["strengths"],
        improvements=row["improvements"],
        source=row["source"],
    )
    status = "ready" if row["source"] == "ai" else "fallback"
    return ReportParts(report=report, numbers=numbers, narrative=NarrativeView(status=status))


async def report_parts(conn: DbConnection, session_id: uuid.UUID) -> ReportParts:
    """The session's report, as far as it is stored."""
    row = await conn.fetchrow("SELECT * FROM reports WHERE session_id = $1", session_id)
    return report_parts_of(row)


def scoring_positions(questions: Sequence[QuestionView]) -> list[int]:
    """The positions of the answers submitted and not yet scored."""
    return [
        question.position
        for question in questions
        if question.answer is not None and question.answer.evaluation is None
    ]


def _positions_in_words(positions: Sequence[int]) -> str:
    if len(positions) == 1:
        return f"answer {positions[0]}"
    listed = ", ".join(str(position) for position in positions[:-1])
    return f"answers {listed} and {positions[-1]}"


def followup_activity(writing: Sequence[int]) -> list[Activity]:
    """The follow-ups being written now, by their questions' positions."""
    if not writing:
        return []
    if len(writing) == 1:
        return [Activity(stage="followup", message=f"Writing a follow-up to question {writing[0]}")]
    listed = ", ".join(str(position) for position in writing[:-1])
    return [
        Activity(
            stage="followup",
            message=f"Writing follow-ups to questions {listed} and {writing[-1]}",
        )
    ]


def closing_activity(scoring: Sequence[int], narrative: NarrativeView | None) -> list[Activity]:
    """What is being done now for the end of the interview: scoring answers, writing the
    report's words."""
    activity = []
    if scoring:
        activity.append(
            Activity(stage="evaluation", message=f"Scoring {_positions_in_words(scoring)}")
        )
    if narrative is not None and narrative.status == "pending":
        activity.append(Activity(stage="report", message="Writing the report's summary"))
    return activity


async def model_speed(conn: DbConnection, session_id: uuid.UUID) -> list[StageSpeed]:
    """The model's speed for each stage that reported one, on the session's latest call there:
    today the evaluator's, carried by ``answer.evaluated``."""
    row = await conn.fetchrow(
        # A call too short to tell a rate (or one of an evaluator that sends none) says nothing.
        "SELECT speed, evaluated_at FROM evaluations WHERE session_id = $1 "
        "AND (speed ->> 'prompt_tokens_per_s' IS NOT NULL "
        "OR speed ->> 'output_tokens_per_s' IS NOT NULL) "
        "ORDER BY evaluated_at DESC LIMIT 1",
        session_id,
    )
    if row is None:
        return []
    speed = row["speed"]
    prompt, output = speed.get("prompt_tokens_per_s"), speed.get("output_tokens_per_s")
    return [
        StageSpeed(
            stage="evaluation",
            prompt_tokens_per_s=prompt,
            output_tokens_per_s=output,
            measured_at=row["evaluated_at"],
        )
    ]
