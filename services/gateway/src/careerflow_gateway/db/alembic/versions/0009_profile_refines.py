"""The model's reading of a resume waits for a free model: ``profile_refines``.

A session whose resume was read by the basic parser first (``resume.parsed`` with
``fallback_reason`` ``deferred``) has one row here until the model's reading is applied
(``profile.refined``): the text the model is to read (the resume's, kept no longer than that and
erased with the session), ``state`` (``pending``: waiting for the model to be free;
``requested``: ``profile.requested`` sent, as ``request_event_id``, answered by ``deadline``) and
how many times it was asked for.

The indexes serve the question asked before each request, and every second while a refine
waits: is any work a candidate waits for pending (a session being read or written, an answer
being scored, a report's words being written)?

Revision ID: 0009
Revises: 0008
Create Date: 2025-01-09
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_UPGRADE = [
    """
    CREATE TABLE profile_refines (
        session_id       uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        resume_text      text NOT NULL,
        state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'requested')),
        attempts         integer NOT NULL DEFAULT 0,
        request_event_id uuid,
        deadline         timestamptz,
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    "CREATE INDEX profile_refines_in_order ON profile_refines (created_at)",
    "CREATE INDEX sessions_under_way ON sessions (updated_at) "
    "WHERE status IN ('parsing', 'generating', 'in_progress')",
    "CREATE INDEX answers_by_time ON answers (submitted_at)",
    "CREATE INDEX reports_words_pending ON reports (narrative_due_at) WHERE summary IS NULL",
]

_DOWNGRADE = [
    "DROP INDEX reports_words_pending",
    "DROP INDEX answers_by_time",
    "DROP INDEX sessions_under_way",
    # The sessions keep the basic reading, labelled as such; an earlier release never refines.
    "DROP TABLE profile_refines",
]


def upgrade() -> None:
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE:
        op.execute(statement)
