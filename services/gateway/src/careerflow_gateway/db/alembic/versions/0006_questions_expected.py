"""Sessions know how many questions their set will have, while the model is still writing it.

Questions now arrive in batches (``questions.generated`` version 2), and a session can be
answered from its first question on: ``questions_expected`` is the size of the set asked for,
set when the questions are requested and confirmed by the generator's batches. A session of an
earlier release has none (NULL): its set arrives whole, and its size is the questions stored.

Revision ID: 0006
Revises: 0005
Create Date: 2025-01-06
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: PostgreSQL adds the column without rewriting the table.
    op.execute(
        "ALTER TABLE sessions ADD COLUMN questions_expected integer "
        "CHECK (questions_expected BETWEEN 1 AND 50)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE sessions DROP COLUMN questions_expected")
