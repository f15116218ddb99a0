"""Writing bookings: a slot held (the unique index settles a race), the booking confirmed with
its invitation, cancelled; the lead follows its booking. Each revision of the invitation is kept
as a media blob and e-mailed by a job enqueued in the same transaction (`keep_ics`,
`mail_revision`); the outcome reaches the conversation once (the door)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError

from dresbach.features.scheduling.invitation import CANCEL_FILENAME, ICS_FILENAME, cancellation
from dresbach.features.scheduling.model import Slot
from dresbach.features.scheduling.records import (
    ICS_UPLOAD_MIME,
    MAIL_JOB,
    ics_ref_for,
    meeting_of,
)
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.store.database import to_utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import bookings, leads, media_blobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import enqueue_job

log = logging.getLogger(__name__)


def keep_ics(connection: Connection, ref: str, data: bytes, filename: str, now: datetime) -> None:
    """Keep one revision of the invitation as a media blob (once: its ref names the revision)."""
    insert_ignore(
        connection,
        media_blobs,
        {
            "ref": ref,
            "mime_type": ICS_UPLOAD_MIME,
            "filename": filename,
            "data": data,
            "created_at": now,
        },
        ["ref"],
    )


def mail_revision(connection: Connection, row: Any, ref: str, news: str, now: datetime) -> bool:
    """E-mail this revision to the customer (once: the job's id is the revision's blob)."""
    if not row["attendee_email"]:
        log.warning(
            "booking %s: no e-mail address, the invitation goes by WhatsApp only", row["booking_id"]
        )
        return False
    enqueue_job(
        connection,
        command_id=f"mail:{ref}",
        kind=MAIL_JOB,
        payload={"booking_id": row["booking_id"], "ics_ref": ref, "news": news},
        now=now,
        conversation_key=row["conversation_key"],
    )
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class NewBooking:
    booking_id: str
    conversation_key: str
    lead_id: str
    slot: Slot
    name: str
    email: str
    calendar: str
    replaces: str | None


def insert_booking(engine: Engine, new: NewBooking, buffer: timedelta, now: datetime) -> bool:
    """Hold the slot: insert the row (once per booking id) and move the lead to `scheduled`,
    in one transaction. False when the slot is taken: a booked row too close to it (our own
    check), or one that committed first with the same start (the unique index)."""
    start, end = to_utc(new.slot.start), to_utc(new.slot.end)
    try:
        with engine.begin() as connection:
            clash = connection.execute(
                select(bookings.c.booking_id).where(
                    bookings.c.status == "booked",
                    bookings.c.booking_id != new.booking_id,
                    bookings.c.start_at < end + buffer,
                    bookings.c.end_at > start - buffer,
                )
            ).first()
            if clash is not None:
                return False
            uid, sequence, link = new.booking_id, 0, None
            if new.replaces:  # the same meeting at a new time: its identity and link go along
                old = (
                    connection.execute(
                        select(
                            bookings.c.booking_id,
                            bookings.c.uid,
                            bookings.c.sequence,
                            bookings.c.meeting_url,
                        ).where(
                            bookings.c.booking_id == new.replaces,
                            bookings.c.conversation_key == new.conversation_key,
                        )
                    )
                    .mappings()
                    .first()
                )
                if old is not None:
                    uid = old["uid"] or old["booking_id"]
                    sequence, link = int(old["sequence"] or 0) + 1, old["meeting_url"]
            insert_ignore(
                connection,
                bookings,
                {
                    "booking_id": new.booking_id,
                    "conversation_key": new.conversation_key,
                    "lead_id": new.lead_id,
                    "start_at": start,
                    "end_at": end,
                    "status": "booked",
                    "attendee_name": new.name[:200],
                    "attendee_email": new.email[:200],
                    "calendar": new.calendar,
                    "replaces": new.replaces,
                    "uid": uid,
                    "sequence": sequence,
                    "meeting_url": link,
                    "created_at": now,
                },
                ["booking_id"],
            )
            connection.execute(  # a lead already with a consultant stays there
                update(leads)
                .where(leads.c.lead_id == new.lead_id, leads.c.status != "handed_off")
                .values(status="scheduled", lost_reason=None, updated_at=now)
            )
    except IntegrityError:
        return False
    return True


def lead_contact(engine: Engine, lead_id: str) -> tuple[str, str]:
    """(name, e-mail) from the lead's answers, for a booking made after the customer left the
    funnel (the conversation no longer holds them)."""
    with engine.connect() as connection:
        raw = connection.execute(
            select(leads.c.answers).where(leads.c.lead_id == lead_id)
        ).scalar_one_or_none()
    answers = orjson.loads(raw) if raw else {}
    return str(answers.get("name") or ""), str(answers.get("email") or "")


def confirm_booking(
    engine: Engine,
    booking_id: str,
    ics: tuple[str, bytes],
    event: InternalEvent,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    link: str | None = None,
) -> str | None:
    """The calendar has the booking: keep the invitation (and the link the calendar gave it),
    give up the booking it replaces, e-mail the invitation and tell the conversation, in one
    transaction. Returns the UID of a replaced booking's calendar event when it must now go (a
    meeting made before UIDs were kept across reschedules); the same meeting's event was
    moved by the save."""
    ref, data = ics
    with engine.begin() as connection:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
            .mappings()
            .one()
        )
        keep_ics(connection, ref, data, ICS_FILENAME, now)
        changes: dict[str, Any] = {"ics_ref": ref}
        if link:
            changes["meeting_url"] = link
        connection.execute(
            update(bookings).where(bookings.c.booking_id == booking_id).values(**changes)
        )
        old = row["replaces"]
        gone: str | None = None
        if old and old != booking_id:
            replaced = connection.execute(
                update(bookings)
                .where(
                    bookings.c.booking_id == old,
                    bookings.c.conversation_key == row["conversation_key"],
                    bookings.c.status == "booked",
                )
                .values(status="replaced", cancelled_at=now, cancel_reason="rescheduled")
            ).rowcount
            old_uid = connection.execute(
                select(bookings.c.uid).where(bookings.c.booking_id == old)
            ).scalar()
            if replaced and (old_uid or old) != (row["uid"] or booking_id):
                gone = str(old_uid or old)
        if row["ics_ref"] is None:  # the first confirmation of this booking (not a re-run)
            mail_revision(connection, row, ref, "moved" if old else "booked", now)
        deliver(connection, event, now, policy, sealer, hooks)
    return gone


def _lead_back_to_paid(connection: Connection, lead_id: str, now: datetime) -> None:
    """A lead whose only booking is gone awaits scheduling again."""
    other = connection.execute(
        select(bookings.c.booking_id).where(
            bookings.c.lead_id == lead_id, bookings.c.status == "booked"
        )
    ).first()
    if other is None:
        connection.execute(
            update(leads)
            .where(leads.c.lead_id == lead_id, leads.c.status == "scheduled")
            .values(status="paid", updated_at=now)
        )


def cancel_booking(
    engine: Engine,
    booking_id: str,
    reason: str,
    tell: Callable[[str], InternalEvent] | None,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    only_unconfirmed: bool = False,
    organizer_email: str | None = None,
) -> dict[str, Any] | None:
    """Free the slot (`cancelled`, when and why) and deliver `tell(ics_ref)`, in one
    transaction. A booking the customer had been invited to gets its cancellation (METHOD:CANCEL,
    the next SEQUENCE): kept for the chat, e-mailed, and its ref given to `tell` ("" when there
    is none). With `only_unconfirmed`, a booking already confirmed to the customer is left
    alone. Returns the row as it was, or None when there is no such booking."""
    with engine.begin() as connection:
        query = select(bookings).where(bookings.c.booking_id == booking_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = connection.execute(query).mappings().first()
        if row is None:
            return None
        confirmed = row["ics_ref"] is not None
        ref = ""
        if row["status"] == "booked" and not (only_unconfirmed and confirmed):
            changes: dict[str, Any] = {
                "status": "cancelled",
                "cancelled_at": now,
                "cancel_reason": reason[:80],
            }
            if confirmed:
                sequence = int(row["sequence"] or 0) + 1
                meeting = meeting_of(
                    row, policy, stamp=now, sequence=sequence, organizer_email=organizer_email
                )
                ref = ics_ref_for(meeting.event_uid, sequence, "CANCEL")
                keep_ics(connection, ref, cancellation(meeting), CANCEL_FILENAME, now)
                mail_revision(connection, row, ref, "cancelled", now)
                changes["sequence"] = sequence
            connection.execute(
                update(bookings)
                .where(bookings.c.booking_id == booking_id, bookings.c.status == "booked")
                .values(**changes)
            )
            _lead_back_to_paid(connection, row["lead_id"], now)
        if tell is not None:
            deliver(connection, tell(ref), now, policy, sealer, hooks)
    return dict(row)
