"""Follow-up questions: ``questions.parent_id``, ``followups``, ``sessions.followups_max`` and
the report's ``followups``.

A follow-up is a row of ``questions`` with the ``parent_id`` of the question it follows up and
that question's generation and position, so its answer and evaluation are stored as every
answer's are. The position is no longer unique by itself: it is unique among the questions of a
set (``parent_id IS NULL``), and a question has at most one follow-up.

``followups`` has one row per question that got a follow-up, from the moment it was asked for:
``reason`` (why), ``state`` (``writing``: ``followup.requested`` sent as ``request_event_id``,
due by ``deadline``; ``asked``: the follow-up question is stored; ``skipped``: the candidate
skipped it, at ``skipped_at``). Its primary key is the question's id: one follow-up per question.

``sessions.followups_max`` is the session's limit of follow-ups, set when it is created (0: its
client did not ask for follow-ups, as every session of an earlier release). ``reports.followups``
lists the follow-ups asked, with their scores and their topics', as the report shows them.

Revision ID: 0010
Revises: 0009
Create Date: 2025-01-10
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_UPGRADE = [
    # Constant defaults and nullable columns: no table is rewritten.
    "ALTER TABLE sessions ADD COLUMN followups_max integer NOT NULL DEFAULT 0 "
    "CHECK (followups_max >= 0)",
    "ALTER TABLE questions ADD COLUMN parent_id uuid REFERENCES questions (id) ON DELETE CASCADE",
    "CREATE UNIQUE INDEX questions_set_position ON questions (session_id, generation, position) "
    "WHERE parent_id IS NULL",
    "CREATE UNIQUE INDEX questions_one_followup ON questions (parent_id) "
    "WHERE parent_id IS NOT NULL",
    "ALTER TABLE questions DROP CONSTRAINT questions_session_id_generation_position_key",
    """
    CREATE TABLE followups (
        parent_id        uuid PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
        session_id       uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        reason           text NOT NULL
                         CHECK (reason IN ('non_answer', 'missed_points', 'vague')),
        state            text NOT NULL DEFAULT 'writing'
                         CHECK (state IN ('writing', 'asked', 'skipped')),
        request_event_id uuid NOT NULL,
        deadline         timestamptz NOT NULL,
        requested_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        skipped_at       timestamptz
    )
    """,
    "CREATE INDEX followups_by_session ON followups (session_id)",
    # For the question asked before each profile refine: is a follow-up being written?
    "CREATE INDEX followups_being_written ON followups (deadline) WHERE state = 'writing'",
    "ALTER TABLE reports ADD COLUMN followups jsonb NOT NULL DEFAULT '[]'",
]

_DOWNGRADE = [
    "ALTER TABLE reports DROP COLUMN followups",
    "DROP TABLE followups",
    # The earlier release knows no follow-up: their answers and evaluations go with them.
    "DELETE FROM questions WHERE parent_id IS NOT NULL",
    "ALTER TABLE questions ADD CONSTRAINT questions_session_id_generation_position_key "
    "UNIQUE (session_id, generation, position)",
    "DROP INDEX questions_one_followup",
    "DROP INDEX questions_set_position",
    "ALTER TABLE questions DROP COLUMN parent_id",
    "ALTER TABLE sessions DROP COLUMN followups_max",
]


def upgrade() -> None:
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE:
        op.execute(statement)
