"""Browser accounts: users with an argon2id password hash, and their server-side sessions.

``users.email`` is stored normalised (trimmed, NFC, lower case), so the unique index is the rule
"one account per address, whatever its case". A browser session is kept as SHA-256 digests of
its cookie's id and of its CSRF token, never the values; its times are epoch seconds of the
gateway's clock, as the rate limits' are. Erasing a user takes their sessions with them
(``ON DELETE CASCADE``); their interviews are erased by the gateway first, as ``DELETE
/v1/sessions/{id}`` erases one (``sessions.user_id`` is text, since bearer tokens name users
that have no row here).

Revision ID: 0005
Revises: 0004
Create Date: 2025-01-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_UPGRADE = """
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (length(email) <= 254),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE browser_sessions (
    id_digest   bytea PRIMARY KEY CHECK (length(id_digest) = 32),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_digest bytea NOT NULL CHECK (length(csrf_digest) = 32),
    created_at  double precision NOT NULL,
    expires_at  double precision NOT NULL
);
CREATE INDEX browser_sessions_by_user ON browser_sessions (user_id);
CREATE INDEX browser_sessions_by_end ON browser_sessions (expires_at)
"""

_DOWNGRADE = """
DROP TABLE browser_sessions;
DROP TABLE users
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
