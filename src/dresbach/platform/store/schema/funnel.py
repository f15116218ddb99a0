"""What the conversations lead to: Tech Ops leads, Pix charges and receipts, meetings, hand-offs."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from dresbach.platform.store.schema.base import ID, metadata

leads = Table(
    "leads",
    metadata,
    Column("lead_id", String(200), primary_key=True),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("answers", Text, nullable=False),
    Column("lost_reason", String(40)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("cnpj_sealed", Text),  # the CNPJ given, sealed; `answers` keeps it masked
)

payments = Table(
    "payments",
    metadata,
    Column("txid", String(40), primary_key=True),
    Column("provider", String(20), nullable=False),
    Column("provider_id", String(80), nullable=False),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("lead_id", String(200), nullable=False),
    Column("amount", String(20), nullable=False),
    Column("copia_e_cola", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("reminded_at", DateTime(timezone=True)),
    Column("paid_at", DateTime(timezone=True)),
    Column("amount_paid", String(20)),
    Column("end_to_end_id", String(40)),
    Column("decided_by", String(120)),
    Column("decided_at", DateTime(timezone=True)),
    Column("note", Text),
    Index("ix_payments_status_expires", "status", "expires_at"),
)

payment_receipts = Table(
    "payment_receipts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("command_id", String(240), nullable=False, unique=True),
    Column("txid", String(40), nullable=False, index=True),
    Column("conversation_key", String(160), nullable=False),
    Column("media_id", String(200), nullable=False),
    Column("mime_type", String(100), nullable=False),
    Column("filename", String(240)),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

bookings = Table(
    "bookings",
    metadata,
    Column("booking_id", String(240), primary_key=True),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("lead_id", String(200), nullable=False, index=True),
    Column("start_at", DateTime(timezone=True), nullable=False),
    Column("end_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attendee_name", String(200), nullable=False),
    Column("attendee_email", String(200), nullable=False),
    Column("calendar", String(20), nullable=False),
    Column("ics_ref", String(80)),
    Column("replaces", String(240)),
    Column("reminded_24h_at", DateTime(timezone=True)),
    Column("reminded_1h_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_reason", String(80)),
    # the meeting's UID in calendars: the first booking's id, kept by a reschedule
    Column("uid", String(240)),
    # the revision of the meeting's invitation (RFC 5545 SEQUENCE)
    Column("sequence", Integer, nullable=False, default=0, server_default=text("0")),
    # the booking's own link: from the calendar server, or set by an operator
    Column("meeting_url", String(500)),
    # One consultant team, one meeting at a time: two customers can never hold the same start.
    Index(
        "uq_bookings_start_booked",
        "start_at",
        unique=True,
        sqlite_where=text("status = 'booked'"),
        postgresql_where=text("status = 'booked'"),
    ),
)

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("request_id", String(240), nullable=False, unique=True),
    Column("conversation_key", String(160), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("flow", String(40), nullable=False),
    Column("context", Text, nullable=False),
    Column("lead_id", String(200)),
    Column("booking_id", String(240)),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("taken_by", String(80)),
    Column("taken_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_by", String(80)),
    Column("end_reason", String(40)),
    Column("last_customer_at", DateTime(timezone=True)),
    Column("unanswered_at", DateTime(timezone=True)),
    Column("callback_requested_at", DateTime(timezone=True)),
    Column("desk_conversation_id", String(80)),
    Column("first_reply_at", DateTime(timezone=True)),
    Column("label", String(40)),
    Column("rating", Integer),
    Column("rating_comment", Text),
    Column("rated_at", DateTime(timezone=True)),
    # the team it was routed or transferred to (`teams.slug`); None: everyone's queue
    Column("team", String(40)),
    Index("ix_handoffs_status_requested", "status", "requested_at"),
    # Exactly one open hand-off per conversation, however often it is asked for.
    Index(
        "uq_handoffs_open_conversation",
        "conversation_key",
        unique=True,
        sqlite_where=text("status IN ('waiting', 'active')"),
        postgresql_where=text("status IN ('waiting', 'active')"),
    ),
)
