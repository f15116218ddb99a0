"""The core pipeline: conversations, inbox, outbox, sandbox sink, worker heartbeats.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("address", sa.String(160), nullable=False),
        sa.Column("wa_id", sa.String(32)),
        sa.Column("user_id", sa.String(160)),
        sa.Column("profile_name", sa.String(200)),
        sa.Column("flow", sa.String(40), nullable=False),
        sa.Column("state", sa.String(60), nullable=False),
        sa.Column("slots", sa.Text, nullable=False),
        sa.Column("trail", sa.Text, nullable=False),
        sa.Column("last_activity_at", TS),
        sa.Column("last_inbound_at", TS),
        sa.Column("outbox_seq", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "inbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(200), nullable=False, unique=True),
        sa.Column("conversation_key", sa.String(160), nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("place", sa.String(120)),
        sa.Column("defects", sa.Text),
    )
    op.create_table(
        "outbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("recipient", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("fallback", sa.Text),
        sa.Column("callback_data", sa.String(512)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("lease_until", TS),
        sa.Column("wamid", sa.String(200)),
        sa.Column("delivery_status", sa.String(20)),
        sa.Column("delivery_rank", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
        sa.UniqueConstraint("conversation_key", "seq", name="uq_outbox_conversation_seq"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_wamid", "outbox", ["wamid"])
    op.create_table(
        "sandbox_messages",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(160), nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("wamid", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "worker_heartbeats",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("beat_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("worker_heartbeats", "sandbox_messages", "outbox", "inbox", "conversations"):
        op.drop_table(table)
