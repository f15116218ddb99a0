"""The operators' desk: teams with their members and hours, and hand-offs passed from one
operator or team to another (the note sealed: an operator may write anything in it)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, PrimaryKeyConstraint, String, Table, Text

from dresbach.platform.store.schema.base import ID, metadata

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
