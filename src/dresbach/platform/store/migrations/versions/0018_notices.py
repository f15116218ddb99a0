"""The notices sent before the customer asks (one row per event, so each goes once), the
numbers that said "parar", and the WHMCS poll's cursors.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notices_sent",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("client_id", sa.String(20), nullable=False),
        sa.Column("recipient", sa.String(32), nullable=False),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notices_sent_recipient", "notices_sent", ["recipient"])
    op.create_table(
        "notice_optouts",
        sa.Column("address", sa.String(160), primary_key=True),
        sa.Column("conversation_key", sa.String(160)),
        sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notice_cursors",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notice_cursors")
    op.drop_table("notice_optouts")
    op.drop_index("ix_notices_sent_recipient", table_name="notices_sent")
    op.drop_table("notices_sent")
