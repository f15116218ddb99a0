"""The webhook stores, then answers: an inbox row is written when a message arrives, with the
event sealed in `to_step` until a worker steps it (`platform/inbound/pipeline.py`); a row with
`to_step` set is one the conversation has not seen yet. `step_failures` counts the steps of it
that failed, so one broken message cannot hold its conversation forever.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("to_step", sa.Text))
    op.add_column(
        "inbox",
        sa.Column("step_failures", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "ix_inbox_to_step",
        "inbox",
        ["id"],
        postgresql_where=sa.text("to_step IS NOT NULL"),
        sqlite_where=sa.text("to_step IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_to_step", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("step_failures")
        batch.drop_column("to_step")
