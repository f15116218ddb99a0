"""Tech Ops: leads, Pix payments, receipts for review, background jobs, media to upload.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("lead_id", sa.String(200), primary_key=True),
        sa.Column("conversation_key", sa.String(160), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
        sa.Column("lost_reason", sa.String(40)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "payments",
        sa.Column("txid", sa.String(40), primary_key=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("provider_id", sa.String(80), nullable=False),
        sa.Column("conversation_key", sa.String(160), nullable=False, index=True),
        sa.Column("lead_id", sa.String(200), nullable=False),
        sa.Column("amount", sa.String(20), nullable=False),
        sa.Column("copia_e_cola", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("reminded_at", TS),
        sa.Column("paid_at", TS),
        sa.Column("amount_paid", sa.String(20)),
        sa.Column("end_to_end_id", sa.String(40)),
        sa.Column("decided_by", sa.String(120)),
        sa.Column("decided_at", TS),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_payments_status_expires", "payments", ["status", "expires_at"])
    op.create_table(
        "payment_receipts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("command_id", sa.String(240), nullable=False, unique=True),
        sa.Column("txid", sa.String(40), nullable=False, index=True),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("media_id", sa.String(200), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(240)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("command_id", sa.String(240), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("conversation_key", sa.String(160)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("lease_until", TS),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("done_at", TS),
    )
    op.create_index("ix_jobs_due", "jobs", ["status", "next_attempt_at"])
    op.create_table(
        "media_blobs",
        sa.Column("ref", sa.String(80), primary_key=True),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(240), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("wa_media_id", sa.String(200)),
        sa.Column("uploaded_at", TS),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("media_blobs", "jobs", "payment_receipts", "payments", "leads"):
        op.drop_table(table)
