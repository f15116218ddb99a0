"""The texts the bot did not understand: `inbox.not_understood` marks a message answered with
"não entendi", in the same statement as the step, so that `dresbach understanding misses` lists
them (kept and purged with the inbox).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "inbox",
        sa.Column("not_understood", sa.Integer, nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("not_understood")
