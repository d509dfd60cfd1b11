"""The session's status machine: the moves it has, and the ones it refuses."""

from __future__ import annotations

from typing import get_args

import pytest

from careerflow_contracts.rest import SessionStatus
from careerflow_gateway.status import FINAL, MOVES, InvalidMove, after, allows


def test_an_interview_moves_from_parsing_to_completed() -> None:
    status = after("parsing", "resume_read")
    assert status == "generating"
    assert after(status, "set_written") == "ready"
    status = after("ready", "answered")
    assert status == "in_progress"
    assert after(status, "answered") == "in_progress"
    assert after(status, "report_written") == "completed"


def test_questions_are_asked_again_only_before_answering() -> None:
    assert after("ready", "regenerated") == "generating"
    assert after("generating", "regenerated") == "generating"
    assert not allows("in_progress", "regenerated")
    assert not allows("parsing", "regenerated")


def test_a_session_takes_answers_once_it_has_questions_and_until_it_ends() -> None:
    assert [s for s in get_args(SessionStatus) if allows(s, "answered")] == [
        "generating",
        "ready",
        "in_progress",
    ]


def test_nothing_leaves_a_final_status() -> None:
    assert FINAL == {"completed", "failed"}
    assert not [move for (status, move) in MOVES if status in FINAL]
    with pytest.raises(InvalidMove):
        after("completed", "answered")


def test_every_status_of_the_contract_is_the_machine_s() -> None:
    named = {status for status, _ in MOVES} | set(MOVES.values())
    assert named == set(get_args(SessionStatus))
