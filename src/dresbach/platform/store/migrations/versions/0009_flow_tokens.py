"""WhatsApp Flows: the flow tokens sent with each Flow message, stored hashed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "flow_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("context", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False, index=True),
        sa.Column("ended_at", TS),
        sa.Column("end_reason", sa.String(20)),
    )
    op.create_index(
        "ix_flow_tokens_conversation_purpose", "flow_tokens", ["conversation_key", "purpose"]
    )


def downgrade() -> None:
    op.drop_index("ix_flow_tokens_conversation_purpose", table_name="flow_tokens")
    op.drop_table("flow_tokens")
