"""Who may do what: the embedded client directory, logins and their counters, second
factors, operators, WhatsApp Flows tokens, message templates at Meta."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from dresbach.platform.store.schema.base import ID, metadata

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
    # operator, team_lead or admin (admins manage operators and teams in the console)
    Column("role", String(20), nullable=False, default="operator"),
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

template_statuses = Table(
    "template_statuses",
    metadata,
    # each message template's latest status, from the `message_template_status_update` webhook
    Column("name", String(512), primary_key=True),
    Column("language", String(16), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("reason", String(200)),
    Column("template_id", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

whm_servers = Table(
    "whm_servers",
    metadata,
    Column("server_id", String(40), primary_key=True),
    Column("hostname", String(253), nullable=False),
    Column("url", String(400), nullable=False),
    Column("username", String(64), nullable=False),
    Column("token_sealed", Text, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)
"""WHM credentials per server, keyed by the server's id in WHMCS; the API token sealed."""
