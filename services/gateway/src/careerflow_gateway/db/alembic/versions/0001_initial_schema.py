"""The gateway's first schema: the session read model, the outbox, the inbox, idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_UPGRADE = """
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    user_id         text NOT NULL,
    status          text NOT NULL CHECK (status IN
                    ('parsing', 'generating', 'ready', 'in_progress', 'completed', 'failed')),
    target_role     text NOT NULL,
    job_description text NOT NULL,
    profile         jsonb,
    notices         jsonb NOT NULL DEFAULT '[]',
    generation      integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at DESC, id DESC);

CREATE TABLE questions (
    id              uuid PRIMARY KEY,
    session_id      uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    generation      integer NOT NULL,
    position        integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('technical', 'behavioral')),
    skill           text,
    difficulty      text NOT NULL,
    text            text NOT NULL,
    expected_points jsonb NOT NULL DEFAULT '[]',
    source          text NOT NULL,
    UNIQUE (session_id, generation, position)
);

CREATE TABLE answers (
    question_id  uuid PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    session_id   uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    text         text NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX answers_by_session ON answers (session_id);

CREATE TABLE evaluations (
    question_id      uuid PRIMARY KEY REFERENCES answers (question_id) ON DELETE CASCADE,
    session_id       uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    score            integer NOT NULL CHECK (score BETWEEN 0 AND 10),
    rubric           jsonb NOT NULL,
    feedback         text NOT NULL,
    strengths        jsonb NOT NULL DEFAULT '[]',
    improvements     jsonb NOT NULL DEFAULT '[]',
    reference_answer text NOT NULL DEFAULT '',
    source           text NOT NULL,
    evaluated_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX evaluations_by_session ON evaluations (session_id);

CREATE TABLE reports (
    session_id    uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    overall_score double precision NOT NULL CHECK (overall_score BETWEEN 0 AND 100),
    by_kind       jsonb NOT NULL,
    skill_match   jsonb NOT NULL,
    summary       text NOT NULL,
    strengths     jsonb NOT NULL DEFAULT '[]',
    improvements  jsonb NOT NULL DEFAULT '[]',
    source        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Events to publish, written in the transaction of the state change that causes them.
-- The body holds the resume document for resume.submitted, so a session's rows go with it.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    session_id  uuid REFERENCES sessions (id) ON DELETE CASCADE,
    routing_key text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_by_session ON outbox (session_id);

-- Result events already applied: a redelivered or duplicated one is dropped.
CREATE TABLE inbox (
    event_id     uuid PRIMARY KEY,
    session_id   uuid NOT NULL,
    type         text NOT NULL,
    outcome      text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX inbox_by_session ON inbox (session_id);

CREATE TABLE idempotency_keys (
    user_id    text NOT NULL,
    key        text NOT NULL,
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (user_id, key)
);
"""

_DOWNGRADE = """
DROP TABLE idempotency_keys;
DROP TABLE inbox;
DROP TABLE outbox;
DROP TABLE reports;
DROP TABLE evaluations;
DROP TABLE answers;
DROP TABLE questions;
DROP TABLE sessions;
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
