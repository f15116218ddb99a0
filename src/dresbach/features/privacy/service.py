"""The data subject's requests behind the `privacidade` flow, as jobs: a copy of what we hold
(a readable pt-BR text and the same as JSON, sent by their media references), a correction, an
erasure. Each runs in one transaction with the event that tells the conversation, so it happens
once and is told once.
Each request is written to the audit log (date and kind; never the data itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select, update

from dresbach.features.privacy.document import readable
from dresbach.features.privacy.model import (
    EXPORT_FILENAME,
    EXPORT_MIME,
    READABLE_FILENAME,
    READABLE_MIME,
    CorrectableDataCounted,
    PersonalDataCorrected,
    PersonalDataErased,
    PersonalDataExported,
    PrivacyRequestFailed,
    Retention,
)
from dresbach.features.privacy.personal_data import document, erase, export_ref, readable_ref
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.observe import audit
from dresbach.platform.store.database import Database
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import leads, media_blobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

WIPED_JOBS = frozenset({"correct_personal_data"})
"""Privacy jobs whose payload (a new e-mail) is wiped once they ran."""


class PrivacyService:
    """The job handlers for `export_personal_data`, `count_correctable_data`,
    `correct_personal_data` and `erase_personal_data`, and what to say when one of them fails
    for good."""

    def __init__(
        self,
        db: Database,
        policy: Policy,
        retention: Retention,
        sealer: Sealer,
        hooks: StepHooks,
        *,
        on_enqueued: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.policy, self.retention, self.sealer = db, policy, retention, sealer
        self.hooks = hooks
        self.on_enqueued, self.clock = on_enqueued, clock

    def handlers(self) -> dict[str, Callable[[Job], Any]]:
        return {
            "export_personal_data": self.export,
            "count_correctable_data": self.count,
            "correct_personal_data": self.correct,
            "erase_personal_data": self.erase,
        }

    # ---- the jobs ----------------------------------------------------------------------------
    async def export(self, job: Job) -> None:
        await self.db.run(self._export, job, self.clock())
        self.on_enqueued()

    async def count(self, job: Job) -> None:
        await self.db.run(self._count, job, self.clock())
        self.on_enqueued()

    async def correct(self, job: Job) -> None:
        await self.db.run(self._correct, job, self.clock())
        self.on_enqueued()

    async def erase(self, job: Job) -> None:
        await self.db.run(self._erase, job, self.clock())
        await self.db.run(self.db.truncate_wal)  # the WAL still holds the rows as they were
        self.on_enqueued()

    async def failed(self, job: Job, reason: str) -> None:
        log.error("privacy request %s (%s) failed: %s", job.command_id, job.kind, reason)
        event = PrivacyRequestFailed(
            event_id=f"{job.command_id}:failed",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            request=job.kind,
        )

        def tell() -> None:
            with self.db.engine.begin() as connection:
                self._deliver(connection, event, event.timestamp)

        await self.db.run(tell)
        self.on_enqueued()

    # ---- in one transaction each -------------------------------------------------------------
    def _export(self, job: Job, now: datetime) -> None:
        key = job.conversation_key or ""
        ref, text_ref = export_ref(job.command_id), readable_ref(job.command_id)
        with self.db.engine.begin() as connection:
            audit.record(connection, who=key, action="privacy_export", now=now)
            data = document(connection, key, audit.mask_key(key), now, self.policy, self.retention)
            blob = orjson.dumps(data, option=orjson.OPT_INDENT_2)
            for stored, mime, filename, content in (
                (text_ref, READABLE_MIME, READABLE_FILENAME, readable(data).encode()),
                (ref, EXPORT_MIME, EXPORT_FILENAME, blob),
            ):
                insert_ignore(
                    connection,
                    media_blobs,
                    {
                        "ref": stored,
                        "mime_type": mime,
                        "filename": filename,
                        "data": content,
                        "created_at": now,
                    },
                    ["ref"],
                )
            self._deliver(
                connection,
                PersonalDataExported(
                    event_id=f"{job.command_id}:exported",
                    conversation_key=key,
                    timestamp=now,
                    blob_ref=ref,
                    text_ref=text_ref,
                ),
                now,
            )
        log.info("privacy: personal data exported (%d bytes) for job %s", len(blob), job.id)

    def _count(self, job: Job, now: datetime) -> None:
        key = job.conversation_key or ""
        with self.db.engine.begin() as connection:
            held = _holding(connection, key)
            self._deliver(
                connection,
                CorrectableDataCounted(
                    event_id=f"{job.command_id}:counted",
                    conversation_key=key,
                    timestamp=now,
                    names=held["name"],
                    emails=held["email"],
                ),
                now,
            )

    def _correct(self, job: Job, now: datetime) -> None:
        key = job.conversation_key or ""
        field, value = str(job.payload["field"]), str(job.payload["value"])
        with self.db.engine.begin() as connection:
            count = _correct_leads(connection, key, field, value, now)
            audit.record(
                connection,
                who=key,
                action="privacy_correction",
                now=now,
                detail=f"{field}: {count} record(s)",
            )
            self._deliver(
                connection,
                PersonalDataCorrected(
                    event_id=f"{job.command_id}:corrected",
                    conversation_key=key,
                    timestamp=now,
                    field="name" if field == "name" else "email",
                    records=count,
                ),
                now,
            )
        log.info("privacy: %s corrected in %d record(s) for job %s", field, count, job.id)

    def _erase(self, job: Job, now: datetime) -> None:
        key = job.conversation_key or ""
        with self.db.engine.begin() as connection:
            changed = erase(connection, key, now)
            kept = changed.pop("payments_kept")
            summary = ", ".join(f"{name} {count}" for name, count in changed.items() if count)
            audit.record(
                connection,
                who=key,
                action="privacy_erasure",
                now=now,
                detail=f"anonymized: {summary or 'nothing'}; payments kept: {kept}",
            )
            self._deliver(
                connection,
                PersonalDataErased(
                    event_id=f"{job.command_id}:erased",
                    conversation_key=key,
                    timestamp=now,
                    kept_payments=kept,
                ),
                now,
            )
        log.info("privacy: personal data erased for job %s (%s)", job.id, summary or "nothing")

    def _deliver(self, connection: Connection, event: InternalEvent, now: datetime) -> bool:
        """Step the conversation with `event` inside this transaction; False if seen before."""
        return deliver(connection, event, now, self.policy, self.sealer, self.hooks)


def _holding(connection: Connection, key: str) -> dict[str, int]:
    """How many of this conversation's leads hold a name and an e-mail."""
    held = {"name": 0, "email": 0}
    for (answers_json,) in connection.execute(
        select(leads.c.answers).where(leads.c.conversation_key == key)
    ):
        answers = orjson.loads(answers_json)
        for field in held:
            held[field] += 1 if answers.get(field) else 0
    return held


def _correct_leads(connection: Connection, key: str, field: str, value: str, now: datetime) -> int:
    """Replace `field` in the answers of this conversation's leads that hold it."""
    count = 0
    rows = connection.execute(
        select(leads.c.lead_id, leads.c.answers).where(leads.c.conversation_key == key)
    ).all()
    for lead_id, answers_json in rows:
        answers = orjson.loads(answers_json)
        if not answers.get(field):
            continue
        answers[field] = value
        connection.execute(
            update(leads)
            .where(leads.c.lead_id == lead_id)
            .values(answers=orjson.dumps(answers).decode(), updated_at=now)
        )
        count += 1
    return count
