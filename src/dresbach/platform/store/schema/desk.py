"""The operators' desk: the canned replies (respostas prontas) they answer with, the private
notes they leave on a hand-off for each other (never sent to the customer), teams with their
members and hours, and hand-offs passed from one operator or team to another (the note sealed:
an operator may write anything in it)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

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

teams = Table(
    "teams",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("slug", String(40), nullable=False, unique=True),
    Column("name", String(80), nullable=False),
    # why a hand-off comes here: billing, support, meeting, sales, privacy (comma separated)
    Column("topics", String(200), nullable=False, default=""),
    # 1: a new hand-off goes at once to the least busy member on duty
    Column("auto_assign", Integer, nullable=False, default=0),
    # `seg-sex 09:00-18:00`; empty: the company's support hours
    Column("hours", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

team_members = Table(
    "team_members",
    metadata,
    Column("team_id", ID, nullable=False),
    Column("operator_id", ID, nullable=False, index=True),
    PrimaryKeyConstraint("team_id", "operator_id"),
)

handoff_transfers = Table(
    "handoff_transfers",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("handoff_id", ID, nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by_operator", String(80), nullable=False),
    Column("to_operator", String(80)),
    Column("to_team", String(40)),
    Column("note", Text),  # sealed
)
