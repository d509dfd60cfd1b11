"""What the view says about the end of an interview: the answers being scored, in words, and
the report's parts from a stored row whose words are pending, the model's or the default's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import asyncpg
import pytest

from careerflow_contracts.rest import NarrativeView
from careerflow_gateway.report_progress import closing_activity, report_parts_of

DUE = datetime(2025, 1, 1, 12, 10, tzinfo=UTC)
PENDING = NarrativeView(status="pending", expected_by=DUE)


@pytest.mark.parametrize(
    ("positions", "words"),
    [
        ([4], "Scoring answer 4"),
        ([1, 2], "Scoring answers 1 and 2"),
        ([1, 2, 5], "Scoring answers 1, 2 and 5"),
    ],
)
def test_answers_being_scored_are_named(positions: list[int], words: str) -> None:
    [activity] = closing_activity(positions, None)
    assert (activity.stage, activity.message) == ("evaluation", words)


def test_the_report_is_being_written_only_while_its_words_are_pending() -> None:
    assert [a.message for a in closing_activity([], PENDING)] == ["Writing the report's summary"]
    assert closing_activity([], NarrativeView(status="ready")) == []
    assert closing_activity([], NarrativeView(status="fallback")) == []
    assert closing_activity([], None) == []


def _row(**words: Any) -> asyncpg.Record:
    row = {
        "overall_score": 70.0,
        "by_kind": {"technical": 80.0, "behavioral": 60.0},
        "skill_match": {"matched": ["Python"], "missing": ["Go"], "score": 50.0},
        "summary": None,
        "strengths": [],
        "improvements": [],
        "source": None,
        "narrative_due_at": None,
        "followups": [],
        **words,
    }
    return cast(asyncpg.Record, row)  # a mapping is all the function reads


def test_a_row_without_words_gives_the_numbers_and_a_pending_narrative() -> None:
    parts = report_parts_of(_row(narrative_due_at=DUE))
    assert parts.report is None
    assert parts.numbers is not None and parts.numbers.overall_score == 70.0
    assert parts.narrative == PENDING


@pytest.mark.parametrize(("source", "status"), [("ai", "ready"), ("fallback", "fallback")])
def test_a_row_with_words_gives_the_whole_report(source: str, status: str) -> None:
    # A row of an earlier release has no narrative_due_at; one of this release keeps its own.
    for due in (None, DUE):
        parts = report_parts_of(
            _row(summary="Good.", strengths=["clear"], source=source, narrative_due_at=due)
        )
        assert parts.narrative == NarrativeView(status=status)  # type: ignore[arg-type]
        assert parts.report is not None and parts.numbers is not None
        assert parts.report.summary == "Good." and parts.report.source == source
        numbers = {"overall_score", "by_kind", "skill_match", "followups"}
        assert parts.report.model_dump(include=numbers) == parts.numbers.model_dump()


def test_no_row_no_report() -> None:
    parts = report_parts_of(None)
    assert (parts.report, parts.numbers, parts.narrative) == (None, None, None)
