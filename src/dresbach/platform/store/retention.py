"""The scheduled purge: every record is kept for its table's retention period (settings
`DRESBACH_RETENTION_*`), then deleted, or anonymized where a record the law keeps points to it.
The shared tables are purged here; each feature's tables by its registered source
(`PersonalData.purge`), in the features' order:

| table(s) | purged when |
|---|---|
| inbox | received longer ago than `inbox` |
| inbound_media | what a customer sent, received longer ago than `inbox` (a receipt stays with
  its payment: deleted with it) |
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

from sqlalchemy import Engine, delete, exists, or_, select

from dresbach.kernel.hours import DAY
from dresbach.platform.feature import installed
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import (
    audit_log,
    conversations,
    email_codes,
    flow_tokens,
    handoffs,
    inbound_media,
    inbox,
    jobs,
    login_attempts,
    login_locks,
    media_blobs,
    outbox,
    sandbox_mail,
    sandbox_messages,
)

log = logging.getLogger(__name__)

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


def _simple(now: datetime, retention: Any) -> list[tuple[str, Any]]:
    """One statement per table, for the tables a cutoff alone decides."""
    jobs_cutoff = now - retention.jobs
    return [
        ("inbox", delete(inbox).where(inbox.c.received_at < now - retention.inbox)),
        (
            "inbound_media",
            delete(inbound_media).where(
                inbound_media.c.created_at < now - retention.inbox,
                inbound_media.c.kept_with.is_(None),
            ),
        ),
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
            "jobs",
            delete(jobs).where(jobs.c.status.in_(("done", "failed")), jobs.c.done_at < jobs_cutoff),
        ),
        (
            "media_blobs",
            delete(media_blobs).where(
                media_blobs.c.ref.like("qr-%"), media_blobs.c.created_at < jobs_cutoff
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


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Delete (or anonymize) what outlived its retention (`retention`: the settings'
    periods, privacy's `Retention`); how many rows each step touched."""
    counts: dict[str, int] = {}
    for name, statement in _simple(now, retention):
        with engine.begin() as connection:
            counts[name] = counts.get(name, 0) + int(connection.execute(statement).rowcount)
    counts["conversations"] = _purge_conversations(engine, now - retention.conversations)
    for source in installed().personal_data:
        if source.purge is not None:
            counts.update(source.purge(engine, now, retention))
    return counts


class RetentionPurge:
    """The workers' scheduled purge: runs at most once per `every` in this process (another
    process running it too is harmless: deleting what is gone deletes nothing)."""

    def __init__(
        self,
        db: Database,
        retention: Any,
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
