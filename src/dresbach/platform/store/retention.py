"""The scheduled purge: every record is kept for its table's retention period (settings
`DRESBACH_RETENTION_*`), then deleted, or anonymized where a record the law keeps points to it.

| table(s) | purged when |
|---|---|
| inbox | received longer ago than `inbox` |
| outbox, sandbox_messages | created longer ago than `outbox` (never a message still to be sent) |
| conversations | silent longer than `conversations`, with their sent messages (never with one
  still to be sent or an open hand-off): the next message is a first contact again |
| leads | no news for `leads`: deleted, or answers emptied when a payment points to the lead |
| bookings | name and e-mail removed `leads` after the meeting; deleted with the payments |
| handoffs | closed longer ago than `handoffs` |
| jobs | finished longer ago than `jobs`; QR codes made for charges likewise |
| media_blobs (exports) | a personal-data document, seven days after it was made |
| audit_log | older than `audit` |
| login_attempts | older than `access_log` (expired locks, e-mail codes, flow tokens, sandbox
  mail: a day) |
| payments, payment_receipts | created longer ago than `payments` (never less than five years) |

Each table is purged in its own short transaction, so a purge never holds a lock for long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, exists, func, or_, select, update

from dresbach.features.privacy.model import DAY, ERASED, Retention
from dresbach.features.privacy.personal_data import EXPORT_PREFIX
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import (
    audit_log,
    bookings,
    conversations,
    email_codes,
    flow_tokens,
    handoffs,
    inbox,
    jobs,
    leads,
    login_attempts,
    login_locks,
    media_blobs,
    outbox,
    payment_receipts,
    payments,
    sandbox_mail,
    sandbox_messages,
)

log = logging.getLogger(__name__)

EXPORT_KEEP = timedelta(days=7)
"""A personal-data document lives long enough to be sent (and re-sent), then goes."""
OPEN_HANDOFF = ("waiting", "active")
BATCH = 500


def _purge_conversations(engine: Engine, cutoff: datetime) -> int:
    """Silent conversations go with their sent messages (so a new conversation of the same
    user numbers its messages from 1 again without a clash)."""
    pending = exists().where(
        outbox.c.conversation_key == conversations.c.key, outbox.c.status == "pending"
    )
    open_handoff = exists().where(
        handoffs.c.conversation_key == conversations.c.key, handoffs.c.status.in_(OPEN_HANDOFF)
    )
    removed = 0
    while True:
        with engine.begin() as connection:
            keys = (
                connection.execute(
                    select(conversations.c.key)
                    .where(conversations.c.updated_at < cutoff, ~pending, ~open_handoff)
                    .limit(BATCH)
                )
                .scalars()
                .all()
            )
            if not keys:
                return removed
            connection.execute(
                delete(outbox).where(
                    outbox.c.conversation_key.in_(keys), outbox.c.status != "pending"
                )
            )
            removed += connection.execute(
                delete(conversations).where(
                    conversations.c.key.in_(keys), conversations.c.updated_at < cutoff
                )
            ).rowcount
            if len(keys) < BATCH:
                return removed


def _purge_leads(engine: Engine, cutoff: datetime) -> dict[str, int]:
    paid = select(payments.c.lead_id)
    with engine.begin() as connection:
        emptied = connection.execute(
            update(leads)
            .where(
                leads.c.updated_at < cutoff,
                leads.c.lead_id.in_(paid),
                or_(leads.c.answers != "{}", leads.c.cnpj_sealed.is_not(None)),
            )
            .values(answers="{}", cnpj_sealed=None)
        ).rowcount
        deleted = connection.execute(
            delete(leads).where(leads.c.updated_at < cutoff, leads.c.lead_id.not_in(paid))
        ).rowcount
        attendees = connection.execute(
            update(bookings)
            .where(bookings.c.end_at < cutoff, bookings.c.attendee_name != ERASED)
            .values(attendee_name=ERASED, attendee_email=ERASED)
        ).rowcount
    return {"leads": deleted, "leads_anonymized": emptied, "bookings_anonymized": attendees}


def _purge_payments(engine: Engine, cutoff: datetime) -> dict[str, int]:
    old = select(payments.c.txid).where(payments.c.created_at < cutoff)
    with engine.begin() as connection:
        receipts = connection.execute(
            delete(payment_receipts).where(payment_receipts.c.txid.in_(old))
        ).rowcount
        removed = connection.execute(delete(payments).where(payments.c.created_at < cutoff))
        meetings = connection.execute(delete(bookings).where(bookings.c.end_at < cutoff))
    return {
        "payments": removed.rowcount,
        "payment_receipts": receipts,
        "bookings": meetings.rowcount,
    }


def _simple(now: datetime, retention: Retention) -> list[tuple[str, Any]]:
    """One statement per table, for the tables a cutoff alone decides."""
    jobs_cutoff = now - retention.jobs
    return [
        ("inbox", delete(inbox).where(inbox.c.received_at < now - retention.inbox)),
        (
            "outbox",
            delete(outbox).where(
                outbox.c.created_at < now - retention.outbox, outbox.c.status != "pending"
            ),
        ),
        (
            "sandbox_messages",
            delete(sandbox_messages).where(sandbox_messages.c.created_at < now - retention.outbox),
        ),
        (
            "handoffs",
            delete(handoffs).where(
                handoffs.c.status.not_in(OPEN_HANDOFF),
                func.coalesce(handoffs.c.ended_at, handoffs.c.requested_at)
                < now - retention.handoffs,
            ),
        ),
        (
            "jobs",
            delete(jobs).where(jobs.c.status.in_(("done", "failed")), jobs.c.done_at < jobs_cutoff),
        ),
        (
            "media_blobs",
            delete(media_blobs).where(
                media_blobs.c.ref.like("qr-%"), media_blobs.c.created_at < jobs_cutoff
            ),
        ),
        (
            "exports",
            delete(media_blobs).where(
                media_blobs.c.ref.like(f"{EXPORT_PREFIX}%"),
                media_blobs.c.created_at < now - EXPORT_KEEP,
            ),
        ),
        ("audit_log", delete(audit_log).where(audit_log.c.at < now - retention.audit)),
        (
            "login_attempts",
            delete(login_attempts).where(login_attempts.c.at < now - retention.access_log),
        ),
        (
            "login_locks",  # a count or a lock a day after it stopped mattering
            delete(login_locks).where(
                login_locks.c.locked_until < now - DAY,
                or_(
                    login_locks.c.first_failed_at.is_(None),
                    login_locks.c.first_failed_at < now - DAY,
                ),
            ),
        ),
        ("email_codes", delete(email_codes).where(email_codes.c.expires_at < now - DAY)),
        ("flow_tokens", delete(flow_tokens).where(flow_tokens.c.expires_at < now - DAY)),
        ("sandbox_mail", delete(sandbox_mail).where(sandbox_mail.c.created_at < now - DAY)),
    ]


def purge(engine: Engine, now: datetime, retention: Retention) -> dict[str, int]:
    """Delete (or anonymize) what outlived its retention; how many rows each step touched."""
    counts: dict[str, int] = {}
    for name, statement in _simple(now, retention):
        with engine.begin() as connection:
            counts[name] = counts.get(name, 0) + int(connection.execute(statement).rowcount)
    counts["conversations"] = _purge_conversations(engine, now - retention.conversations)
    counts.update(_purge_leads(engine, now - retention.leads))
    counts.update(_purge_payments(engine, now - retention.payments))
    return counts


class RetentionPurge:
    """The workers' scheduled purge: runs at most once per `every` in this process (another
    process running it too is harmless: deleting what is gone deletes nothing)."""

    def __init__(
        self,
        db: Database,
        retention: Retention,
        *,
        every: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.retention, self.every, self.clock = db, retention, every, clock
        self.last_run: datetime | None = None

    async def sweep(self) -> None:
        now = self.clock()
        if self.last_run is not None and now - self.last_run < self.every:
            return
        self.last_run = now
        counts = await self.db.run(purge, self.db.engine, now, self.retention)
        done = {name: count for name, count in counts.items() if count}
        if done:
            await self.db.run(self.db.truncate_wal)  # no copy of what went stays in the WAL
            log.info(
                "retention purge: %s", ", ".join(f"{name} {count}" for name, count in done.items())
            )
