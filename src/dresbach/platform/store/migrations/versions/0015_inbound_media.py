"""What customers send (images, documents, audio, video), fetched from Meta and kept sealed
(`platform/inbound/media.py`): receipts with their payments, the rest like the inbox.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_media",
        sa.Column("media_id", sa.String(200), primary_key=True),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(240)),
        sa.Column("sha256", sa.String(100)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("problem", sa.Text),
        sa.Column("size", sa.Integer),
        sa.Column("data", sa.LargeBinary),
        sa.Column("kept_with", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_inbound_media_conversation_key", "inbound_media", ["conversation_key"])


def downgrade() -> None:
    op.drop_index("ix_inbound_media_conversation_key", table_name="inbound_media")
    op.drop_table("inbound_media")
