"""Flood protection: each conversation counts its user's messages in a one-minute window.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("flood_window_at", sa.DateTime(timezone=True)))
    op.add_column(
        "conversations",
        sa.Column("flood_count", sa.Integer, nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("flood_count")
        batch.drop_column("flood_window_at")
