"""Postgres tells the gateways when a session changes or a browser session ends (NOTIFY).

A trigger on ``sessions`` sends ``careerflow_session_changed`` with the session's id when its row
is updated or deleted; one on ``browser_sessions`` sends ``careerflow_browser_session_ended``
with the hex digest of the session id when its row is deleted (signed out, account erased, or
purged past its end). A notification sent in a transaction is delivered only when it commits,
and never when it rolls back, so a listener never sees a change that did not happen. Each
gateway process listens on one connection and wakes the event streams that watch the id
(``session_changes.py``); the streams still look for changes now and then, which is all an
earlier release does.

A trigger rather than a ``pg_notify`` next to each write: every writer of ``sessions`` (the
commands, the results, erasure) is covered, those of later changes too.

Revision ID: 0008
Revises: 0007
Create Date: 2025-01-08
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_UPGRADE = [
    """
    CREATE FUNCTION careerflow_notify_session_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('careerflow_session_changed', OLD.id::text);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER sessions_notify_changed
    AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION careerflow_notify_session_changed()
    """,
    """
    CREATE FUNCTION careerflow_notify_browser_session_ended() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('careerflow_browser_session_ended', encode(OLD.id_digest, 'hex'));
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER browser_sessions_notify_ended
    AFTER DELETE ON browser_sessions
    FOR EACH ROW EXECUTE FUNCTION careerflow_notify_browser_session_ended()
    """,
]

_DOWNGRADE = [
    "DROP TRIGGER browser_sessions_notify_ended ON browser_sessions",
    "DROP FUNCTION careerflow_notify_browser_session_ended()",
    "DROP TRIGGER sessions_notify_changed ON sessions",
    "DROP FUNCTION careerflow_notify_session_changed()",
]


def upgrade() -> None:
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE:
        op.execute(statement)
