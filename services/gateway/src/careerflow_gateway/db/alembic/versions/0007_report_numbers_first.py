"""The report's numbers are stored before its words; an evaluation keeps the model's speed.

When the last answer is scored, the gateway stores the report's numbers at once, with no
``summary`` and no ``source`` yet (the narrative is pending) and ``narrative_due_at``, the
deadline of the ``report.requested`` it sends; ``report.generated`` fills the words in. A row of
an earlier release always has its words, and no ``narrative_due_at``.

``evaluations.speed`` is the model's pace on the call that scored the answer, as the evaluator
measured it (``answer.evaluated``'s optional ``speed``); NULL where it sent none.

Revision ID: 0007
Revises: 0006
Create Date: 2025-01-07
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Dropping NOT NULL and adding nullable columns rewrite no table.
    op.execute("ALTER TABLE reports ALTER COLUMN summary DROP NOT NULL")
    op.execute("ALTER TABLE reports ALTER COLUMN source DROP NOT NULL")
    op.execute("ALTER TABLE reports ADD COLUMN narrative_due_at timestamptz")
    op.execute(
        "ALTER TABLE reports ADD CONSTRAINT reports_words_whole "
        "CHECK ((summary IS NULL) = (source IS NULL))"
    )
    op.execute("ALTER TABLE evaluations ADD COLUMN speed jsonb")


def downgrade() -> None:
    op.execute("ALTER TABLE evaluations DROP COLUMN speed")
    # A report still waiting for its words goes: the earlier release stores the whole report
    # when the words come, from the scores, which stay.
    op.execute("DELETE FROM reports WHERE summary IS NULL")
    op.execute("ALTER TABLE reports DROP CONSTRAINT reports_words_whole")
    op.execute("ALTER TABLE reports DROP COLUMN narrative_due_at")
    op.execute("ALTER TABLE reports ALTER COLUMN source SET NOT NULL")
    op.execute("ALTER TABLE reports ALTER COLUMN summary SET NOT NULL")
