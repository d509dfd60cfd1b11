"""The session's status machine: its states, the moves between them, and what each state allows.

Every command and every result that changes a session's status asks ``after`` for the status
its move leads to, and ``allows`` whether the move is open at all; nothing else names a move.

    parsing ──resume read──▶ generating ──set written──▶ ready
                             │    ▲                       │
                    answered │    └──── regenerated ──────┤ (and generating to itself)
                             ▼                            │
                        in_progress ◀──── answered ───────┘ (and in_progress to itself)
                             │
                             │ report written
                             ▼
                         completed

    generating, in_progress ──no question (a whole set of version 1 with none)──▶ failed

``completed`` means the whole report, words included, is stored; ``failed`` is final. A move
from a status to itself changes nothing here (an answer while ``in_progress``, a regenerate
while ``generating``) and is listed so that ``allows`` says whether the command is taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from careerflow_contracts.rest import SessionStatus

PARSING: Final = "parsing"
GENERATING: Final = "generating"
READY: Final = "ready"
IN_PROGRESS: Final = "in_progress"
COMPLETED: Final = "completed"
FAILED: Final = "failed"

Move = Literal[
    "resume_read", "set_written", "no_question", "answered", "regenerated", "report_written"
]
"""What moves a session: a result applied (``resume_read``, ``set_written``: every question of
the set stored, ``no_question``, ``report_written``) or a command (``answered``,
``regenerated``)."""

MOVES: Mapping[tuple[SessionStatus, Move], SessionStatus] = {
    (PARSING, "resume_read"): GENERATING,
    (GENERATING, "set_written"): READY,
    (GENERATING, "no_question"): FAILED,
    (IN_PROGRESS, "no_question"): FAILED,
    (GENERATING, "answered"): IN_PROGRESS,
    (READY, "answered"): IN_PROGRESS,
    (IN_PROGRESS, "answered"): IN_PROGRESS,
    (GENERATING, "regenerated"): GENERATING,
    (READY, "regenerated"): GENERATING,
    (IN_PROGRESS, "report_written"): COMPLETED,
}

FINAL: frozenset[SessionStatus] = frozenset({COMPLETED, FAILED})
"""Nothing changes a session in these any more (the event stream ends)."""

QUESTIONS_ARRIVE: frozenset[SessionStatus] = frozenset({GENERATING, IN_PROGRESS})
"""A batch of the set may still be stored: the set is written while it is answered."""


class InvalidMove(Exception):
    """A move the machine does not have: a bug in the caller, which checks ``allows`` first."""


def allows(status: str, move: Move) -> bool:
    """Whether a session in ``status`` takes ``move``."""
    return (status, move) in MOVES


def after(status: str, move: Move) -> SessionStatus:
    """The status a session in ``status`` is in after ``move``."""
    try:
        return MOVES[status, move]  # type: ignore[index]
    except KeyError:
        raise InvalidMove(f"a session {status} cannot take {move}") from None
