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
    whm_servers,
)
from dresbach.platform.store.schema.base import ID, metadata
from dresbach.platform.store.schema.conversations import (
    conversations,
    inbox,
    outbox,
    sandbox_messages,
)
from dresbach.platform.store.schema.desk import (
    canned_replies,
    handoff_notes,
    handoff_transfers,
    team_members,
    teams,
)
from dresbach.platform.store.schema.funnel import (
    bookings,
    handoffs,
    leads,
    payment_receipts,
    payments,
)
from dresbach.platform.store.schema.incidents import incident_askers, incidents
from dresbach.platform.store.schema.notices import notice_cursors, notice_optouts, notices_sent
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
    "canned_replies",
    "conversations",
    "directory_clients",
    "directory_records",
    "email_codes",
    "flow_tokens",
    "handoff_notes",
    "handoff_transfers",
    "handoffs",
    "inbound_media",
    "inbox",
    "incident_askers",
    "incidents",
    "jobs",
    "leads",
    "login_attempts",
    "login_locks",
    "media_blobs",
    "metadata",
    "notice_cursors",
    "notice_optouts",
    "notices_sent",
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
    "whm_servers",
    "worker_heartbeats",
]
