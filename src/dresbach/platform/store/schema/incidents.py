"""Incidents operators open (an outage under way) and who asked about each, so that its
closing tells each of them once."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text, UniqueConstraint

from dresbach.platform.store.schema.base import ID, metadata

incidents = Table(
    "incidents",
    metadata,
    Column("incident_id", ID, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("message", Text, nullable=False),
    # the servers or services affected, one per line; empty: every server
    Column("servers", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_by", String(80), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(80), nullable=False),
    Column("closed_at", DateTime(timezone=True), index=True),
    Column("closed_by", String(80)),
)

incident_askers = Table(
    "incident_askers",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("incident_id", ID, nullable=False),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("notified_at", DateTime(timezone=True)),
    UniqueConstraint("incident_id", "conversation_key", name="uq_incident_askers"),
)
