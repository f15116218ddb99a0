"""The operators' desk tools: canned replies, private notes on a hand-off, the label a hand-off
is closed with, when it was first answered, and the customer's rating of it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
HANDOFF_COLUMNS = (
    ("first_reply_at", sa.DateTime(timezone=True)),
    ("label", sa.String(40)),
    ("rating", sa.Integer),
    ("rating_comment", sa.Text),
    ("rated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    for name, kind in HANDOFF_COLUMNS:
        op.add_column("handoffs", sa.Column(name, kind))
    op.create_table(
        "canned_replies",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("shortcut", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "handoff_notes",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("handoff_id", ID, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("mentions", sa.String(800), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_handoff_notes_handoff", "handoff_notes", ["handoff_id"])


def downgrade() -> None:
    op.drop_index("ix_handoff_notes_handoff", table_name="handoff_notes")
    op.drop_table("handoff_notes")
    op.drop_table("canned_replies")
    with op.batch_alter_table("handoffs") as batch:
        for name, _kind in reversed(HANDOFF_COLUMNS):
            batch.drop_column(name)
