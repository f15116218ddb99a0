"""The Tech Ops e-mails, sent through the same mailer as the 2FA codes (SMTP, or the sandbox
mailbox): the receipt of a paid diagnosis, and every revision of the meeting's invitation (the
booking, a new time, the link) and its cancellation, each with its `.ics` attached as a proper
calendar message (`text/calendar; method=REQUEST` or `CANCEL`).

Jobs: `email_receipt` (a `EmailReceipt` command of the flow, when a payment is confirmed) and
`email_meeting` (enqueued with each revision, in the transaction that makes it). The address,
the name and the details are read from our records when the job runs; the wording is the
flow's (`techops.diagnosis.emails`). A job runs once per command id; an SMTP error that may pass
is retried by the job runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from sqlalchemy import Engine, select

from dresbach.features.scheduling.records import load_booking, stored_utc
from dresbach.features.techops.diagnosis.emails import MeetingNews, meeting_mail, receipt_mail
from dresbach.kernel.documents import mask_email
from dresbach.kernel.policy import Policy
from dresbach.kernel.ports import Attachment, Mailer
from dresbach.platform.outbound.media import load_blob
from dresbach.platform.store.database import Database, utc
from dresbach.platform.store.schema import leads, payments
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

NEWS: tuple[MeetingNews, ...] = ("booked", "moved", "link", "cancelled")


def _receipt_facts(engine: Engine, txid: str, lead_id: str | None) -> dict[str, Any] | None:
    """The paid charge and its lead's answers."""
    with engine.connect() as connection:
        payment = (
            connection.execute(select(payments).where(payments.c.txid == txid)).mappings().first()
        )
        if payment is None:
            return None
        raw = connection.execute(
            select(leads.c.answers).where(leads.c.lead_id == (payment["lead_id"] or lead_id))
        ).scalar_one_or_none()
    return {"payment": dict(payment), "answers": orjson.loads(raw) if raw else {}}


class TechOpsMail:
    """The jobs that e-mail customers of the Tech Ops funnel."""

    def __init__(
        self,
        db: Database,
        mailer: Mailer,
        policy: Policy,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.mailer, self.policy, self.clock = db, mailer, policy, clock

    async def email_receipt(self, job: Job) -> None:
        txid = str(job.payload.get("txid") or "")
        facts = await self.db.run(
            _receipt_facts, self.db.engine, txid, job.payload.get("lead_id") or None
        )
        if facts is None:
            log.warning("receipt e-mail: no charge %s", txid)
            return
        payment, answers = facts["payment"], facts["answers"]
        to = str(answers.get("email") or "")
        if payment["status"] != "paid" or not to:
            log.warning("receipt e-mail for %s not sent: not paid, or no address", txid)
            return
        paid_at = utc(payment["paid_at"]) or self.clock()
        subject, body = receipt_mail(
            self.policy,
            name=str(answers.get("name") or ""),
            area=str(answers.get("area") or ""),
            amount=str(payment["amount_paid"] or payment["amount"]),
            txid=txid,
            paid_at=paid_at,
            customer_company=str(answers.get("company") or ""),
        )
        await self.mailer.send(to, subject, body)
        log.info("receipt of %s e-mailed to %s", txid, mask_email(to))

    async def email_meeting(self, job: Job) -> None:
        p = job.payload
        news = cast(MeetingNews, p.get("news"))
        if news not in NEWS:
            log.error("meeting e-mail: unknown news %r", news)
            return
        row = await self.db.run(load_booking, self.db.engine, str(p.get("booking_id") or ""))
        blob = await self.db.run(load_blob, self.db.engine, str(p.get("ics_ref") or ""))
        if row is None or blob is None or not row["attendee_email"]:
            log.warning("meeting e-mail for %s not sent: nothing to send", p.get("booking_id"))
            return
        subject, body = meeting_mail(
            self.policy,
            news,
            name=row["attendee_name"],
            start=stored_utc(row["start_at"]),
            link=row["meeting_url"] or self.policy.scheduling.meeting_url,
            booked_at=stored_utc(row["created_at"]),
            now=self.clock(),
        )
        attachment = Attachment(
            filename=blob["filename"],
            mime_type="text/calendar",
            data=bytes(blob["data"]),
            method="CANCEL" if news == "cancelled" else "REQUEST",
        )
        await self.mailer.send(row["attendee_email"], subject, body, [attachment])
        log.info(
            "meeting %s (%s) e-mailed to %s",
            row["booking_id"],
            news,
            mask_email(row["attendee_email"]),
        )
