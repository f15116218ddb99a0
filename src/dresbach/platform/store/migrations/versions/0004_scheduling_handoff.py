"""Scheduling and the hand-off: bookings, hand-offs, operators and their sessions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("booking_id", sa.String(240), primary_key=True),
        sa.Column("conversation_key", sa.String(160), nullable=False, index=True),
        sa.Column("lead_id", sa.String(200), nullable=False, index=True),
        sa.Column("start_at", TS, nullable=False),
        sa.Column("end_at", TS, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attendee_name", sa.String(200), nullable=False),
        sa.Column("attendee_email", sa.String(200), nullable=False),
        sa.Column("calendar", sa.String(20), nullable=False),
        sa.Column("ics_ref", sa.String(80)),
        sa.Column("replaces", sa.String(240)),
        sa.Column("reminded_24h_at", TS),
        sa.Column("reminded_1h_at", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("cancelled_at", TS),
        sa.Column("cancel_reason", sa.String(80)),
    )
    op.create_index(
        "uq_bookings_start_booked",
        "bookings",
        ["start_at"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(240), nullable=False, unique=True),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("flow", sa.String(40), nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("lead_id", sa.String(200)),
        sa.Column("booking_id", sa.String(240)),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("taken_by", sa.String(80)),
        sa.Column("taken_at", TS),
        sa.Column("ended_at", TS),
        sa.Column("ended_by", sa.String(80)),
        sa.Column("end_reason", sa.String(40)),
        sa.Column("last_customer_at", TS),
        sa.Column("unanswered_at", TS),
        sa.Column("callback_requested_at", TS),
        sa.Column("desk_conversation_id", sa.String(80)),
    )
    op.create_index("ix_handoffs_status_requested", "handoffs", ["status", "requested_at"])
    op.create_index(
        "uq_handoffs_open_conversation",
        "handoffs",
        ["conversation_key"],
        unique=True,
        sqlite_where=sa.text("status IN ('waiting', 'active')"),
        postgresql_where=sa.text("status IN ('waiting', 'active')"),
    )
    op.create_table(
        "operators",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(32)),
        sa.Column("on_duty", sa.Integer, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", TS),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "operator_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("operator_id", ID, nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("operator_sessions", "operators", "handoffs", "bookings"):
        op.drop_table(table)
