"""Stored profiles lose the contact details release 1 kept: no service uses them.

Release 1 stored the resume parser's whole reading in ``sessions.profile``, the candidate's
name and email included; nothing ever read them (the session view leaves them out, the question
generator never asked for them). From release 2 the events do not carry them at all; this
removes what was stored before. Nothing comes back on a downgrade: they were not needed.

Revision ID: 0004
Revises: 0003
Create Date: 2025-01-04
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only the rows that hold them are rewritten.
    op.execute(
        "UPDATE sessions SET profile = profile - 'full_name' - 'email' "
        "WHERE profile ?| ARRAY['full_name', 'email']"
    )


def downgrade() -> None:
    pass
