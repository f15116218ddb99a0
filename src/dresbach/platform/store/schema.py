"""The tables. The Alembic migrations under `dresbach/platform/store/migrations` create exactly
these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

ID = BigInteger().with_variant(Integer(), "sqlite")

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("address", String(160), nullable=False),
    Column("wa_id", String(32)),
    Column("user_id", String(160)),
    Column("profile_name", String(200)),
    Column("flow", String(40), nullable=False),
    Column("state", String(60), nullable=False),
    Column("slots", Text, nullable=False, default="{}"),
    Column("trail", Text, nullable=False, default="[]"),
    Column("last_activity_at", DateTime(timezone=True)),
    Column("last_inbound_at", DateTime(timezone=True)),
    Column("outbox_seq", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # flood protection (platform/inbound/flood.py): the user's messages in the window opened at
    Column("flood_window_at", DateTime(timezone=True)),
    Column("flood_count", Integer, nullable=False, default=0, server_default=text("0")),
    # after a login failure, a lockout or a logout, texts are kept as a placeholder until then
    Column("sensitive_until", DateTime(timezone=True)),
    # texts held to be stepped together as one turn (platform/store/unit_of_work/burst.py), sealed
    Column("held", Text),
)

inbox = Table(
    "inbox",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("place", String(120)),
    Column("defects", Text),
    # 1 when the bot answered the text with "não entendi" (`dresbach understanding misses`)
    Column("not_understood", Integer, nullable=False, default=0, server_default=text("0")),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("conversation_key", String(160), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("recipient", String(160), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("payload", Text, nullable=False),
    Column("fallback", Text),
    Column("callback_data", String(512)),
    Column("status", String(20), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True)),
    Column("wamid", String(200)),
    Column("delivery_status", String(20)),
    Column("delivery_rank", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("conversation_key", "seq", name="uq_outbox_conversation_seq"),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_wamid", "wamid"),
)

sandbox_messages = Table(
    "sandbox_messages",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("recipient", String(160), nullable=False, index=True),
    Column("payload", Text, nullable=False),
    Column("wamid", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # ids are read by cursor (the simulator, `dresbach chat`): never hand one out twice
    sqlite_autoincrement=True,
)

worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("beat_at", DateTime(timezone=True), nullable=False),
)

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

jobs = Table(
    "jobs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("command_id", String(240), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("conversation_key", String(160)),
    Column("payload", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
    Index("ix_jobs_due", "status", "next_attempt_at"),
)

media_blobs = Table(
    "media_blobs",
    metadata,
    Column("ref", String(80), primary_key=True),
    Column("mime_type", String(100), nullable=False),
    Column("filename", String(240), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("wa_media_id", String(200)),
    Column("uploaded_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# ---- Área do Cliente ----------------------------------------------------------------------

directory_clients = Table(
    "directory_clients",
    metadata,
    Column("client_id", String(40), primary_key=True),
    Column("document_key", String(64), nullable=False, unique=True),
    Column("document_masked", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

directory_records = Table(
    "directory_records",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("client_id", String(40), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("record_id", String(80), nullable=False),
    Column("data", Text, nullable=False),
    UniqueConstraint("client_id", "kind", "record_id", name="uq_directory_record"),
)

second_factors = Table(
    "second_factors",
    metadata,
    Column("client_id", String(40), primary_key=True),
    Column("totp_secret", Text, nullable=False),
    Column("last_counter", BigInteger, nullable=False, default=0),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
)

email_codes = Table(
    "email_codes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("client_id", String(40), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False),
    Column("salt", String(32), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("subject", String(64), nullable=False),
    Column("success", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_attempts_subject_at", "subject", "at"),
)

login_locks = Table(
    "login_locks",
    metadata,
    Column("subject", String(64), primary_key=True),
    Column("failed_logins", Integer, nullable=False, default=0, server_default=text("0")),
    Column("first_failed_at", DateTime(timezone=True)),
    Column("locked_until", DateTime(timezone=True), nullable=False),  # past: not locked
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("who", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("document_masked", String(40)),
    Column("detail", Text),
)

sandbox_mail = Table(
    "sandbox_mail",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("to_address", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# ---- scheduling and the hand-off ----------------------------------------------------------

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

operators = Table(
    "operators",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("phone", String(32)),
    Column("on_duty", Integer, nullable=False, default=1),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("first_failed_at", DateTime(timezone=True)),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

operator_sessions = Table(
    "operator_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("operator_id", ID, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# ---- WhatsApp Flows ------------------------------------------------------------------------

flow_tokens = Table(
    "flow_tokens",
    metadata,
    # SHA-256 of the token: the token itself goes to WhatsApp only, never to the database
    Column("token_hash", String(64), primary_key=True),
    Column("conversation_key", String(160), nullable=False),
    Column("purpose", String(20), nullable=False),
    # what the Flow's business side keeps between screens, sealed by it
    Column("context", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ended_at", DateTime(timezone=True)),
    Column("end_reason", String(20)),
    Index("ix_flow_tokens_conversation_purpose", "conversation_key", "purpose"),
)
