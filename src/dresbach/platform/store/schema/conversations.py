"""One conversation per customer, what came in and what goes out."""

from __future__ import annotations

from sqlalchemy import (
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
    # the Click-to-WhatsApp ad the customer came from (JSON: source_id, source_type, headline…)
    Column("referral", Text),
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
    # the event as it arrived, sealed, until a worker steps it (NULL once stepped)
    Column("to_step", Text),
    Column("step_failures", Integer, nullable=False, server_default=text("0")),
    Index(
        "ix_inbox_to_step",
        "id",
        postgresql_where=text("to_step IS NOT NULL"),
        sqlite_where=text("to_step IS NOT NULL"),
    ),
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
    Index("ix_outbox_callback_data", "callback_data"),
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
