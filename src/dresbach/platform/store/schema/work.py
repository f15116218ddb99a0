"""The platform's own work: jobs, workers' heartbeats, kept files, the audit log, the
sandbox's mail."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from dresbach.platform.store.schema.base import ID, metadata

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

worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("beat_at", DateTime(timezone=True), nullable=False),
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

inbound_media = Table(
    # what a customer sent (image, document, audio, video, sticker), fetched from Meta by the
    # `fetch_media` job (platform/inbound/media.py) and kept sealed; `kept_with` names what holds
    # it longer than the inbox (`payment`: a receipt, kept with its payment)
    "inbound_media",
    metadata,
    Column("media_id", String(200), primary_key=True),
    Column("message_id", String(200), nullable=False),
    Column("conversation_key", String(160), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("mime_type", String(100), nullable=False),
    Column("filename", String(240)),
    Column("sha256", String(100)),
    Column("status", String(20), nullable=False),
    Column("problem", Text),
    Column("size", Integer),
    Column("data", LargeBinary),
    Column("kept_with", String(40)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("fetched_at", DateTime(timezone=True)),
)

# ---- Área do Cliente ----------------------------------------------------------------------

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
