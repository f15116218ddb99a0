"""The tables. The Alembic migrations under `dresbach/platform/store/migrations` create exactly
these; every table is importable from here."""

from dresbach.platform.store.schema.access import (
    directory_clients,
    directory_records,
    email_codes,
    flow_tokens,
    login_attempts,
    login_locks,
    operator_sessions,
    operators,
    second_factors,
    template_statuses,
)
from dresbach.platform.store.schema.base import ID, metadata
from dresbach.platform.store.schema.conversations import (
    conversations,
    inbox,
    outbox,
    sandbox_messages,
)
from dresbach.platform.store.schema.desk import handoff_transfers, team_members, teams
from dresbach.platform.store.schema.funnel import (
    bookings,
    handoffs,
    leads,
    payment_receipts,
    payments,
)
from dresbach.platform.store.schema.work import (
    audit_log,
    inbound_media,
    jobs,
    media_blobs,
    sandbox_mail,
    worker_heartbeats,
)

__all__ = [
    "ID",
    "audit_log",
    "bookings",
    "conversations",
    "directory_clients",
    "directory_records",
    "email_codes",
    "flow_tokens",
    "handoff_transfers",
    "handoffs",
    "inbound_media",
    "inbox",
    "jobs",
    "leads",
    "login_attempts",
    "login_locks",
    "media_blobs",
    "metadata",
    "operator_sessions",
    "operators",
    "outbox",
    "payment_receipts",
    "payments",
    "sandbox_mail",
    "sandbox_messages",
    "second_factors",
    "team_members",
    "teams",
    "template_statuses",
    "worker_heartbeats",
]
