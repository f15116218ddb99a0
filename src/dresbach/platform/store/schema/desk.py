"""The operators' desk: the canned replies (respostas prontas) they answer with, and the
private notes they leave on a hand-off for each other (never sent to the customer)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Text

from dresbach.platform.store.schema.base import ID, metadata

canned_replies = Table(
    "canned_replies",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("shortcut", String(40), nullable=False, unique=True),
    Column("title", String(80), nullable=False),
    Column("body", Text, nullable=False),
    Column("updated_by", String(80), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

handoff_notes = Table(
    "handoff_notes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("handoff_id", ID, nullable=False),
    Column("author", String(80), nullable=False),
    Column("body", Text, nullable=False),
    Column("mentions", String(800), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_handoff_notes_handoff", "handoff_id"),
)
