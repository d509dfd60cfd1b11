"""Per-user abuse limits: token buckets for new sessions and regenerates, event stream leases.

Neither table holds anything of a resume: a user id, counts and times (seconds of the
gateway's clock, which every replica shares through NTP).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_UPGRADE = """
CREATE TABLE rate_buckets (
    user_id    text NOT NULL,
    action     text NOT NULL,
    tokens     double precision NOT NULL,
    counted_at double precision NOT NULL,
    PRIMARY KEY (user_id, action)
);

CREATE TABLE event_stream_leases (
    id         uuid PRIMARY KEY,
    user_id    text NOT NULL,
    expires_at double precision NOT NULL
);
CREATE INDEX event_stream_leases_by_user ON event_stream_leases (user_id, expires_at);
"""

_DOWNGRADE = """
DROP TABLE event_stream_leases;
DROP TABLE rate_buckets;
"""


def _statements(script: str) -> list[str]:
    # asyncpg prepares each statement, so a script is sent one statement at a time.
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def upgrade() -> None:
    for statement in _statements(_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(_DOWNGRADE):
        op.execute(statement)
