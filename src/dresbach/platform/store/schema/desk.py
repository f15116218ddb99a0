"""The operators' desk: the canned replies (respostas prontas) they answer with."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text

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
