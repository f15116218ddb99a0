"""The notices sent before the customer asks (invoices, suspension, domains, SSL, tickets): one
row per event, so each is sent once; who said "parar"; and where the WHMCS poll left off."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table

from dresbach.platform.store.schema.base import ID, metadata

notices_sent = Table(
    "notices_sent",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("event_key", String(200), nullable=False, unique=True),
    # `kind:object:date` (`invoice_due:500:2026-12-10`): the same event is never sent twice
    Column("kind", String(40), nullable=False),
    Column("client_id", String(20), nullable=False),
    Column("recipient", String(32), nullable=False, index=True),
    Column("conversation_key", String(160), nullable=False),
    Column("via", String(10), nullable=False),
    # `text` (inside the 24 h window, the template as its fallback) or `template`
    Column("sent_at", DateTime(timezone=True), nullable=False),
)

notice_optouts = Table(
    "notice_optouts",
    metadata,
    # the WhatsApp number (or conversation key) that said "parar"; after an erasure only its
    # SHA-256 (`sha256:<hex>`), so the objection is still honoured without the number
    Column("address", String(160), primary_key=True),
    Column("conversation_key", String(160)),
    Column("opted_out_at", DateTime(timezone=True), nullable=False),
)

notice_cursors = Table(
    "notice_cursors",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
