"""Bookings in the database: a row holds its slot (the unique index on `start_at` among booked
rows settles two customers choosing the same one), the lead follows its booking, reminders are
marked in the transaction that delivers them, and each outcome reaches the conversation once
(by event id).

A booking's status: `booked` (holds the slot; confirmed to the customer once `ics_ref` is set),
`cancelled` (by the customer, or because the calendar refused it) or `replaced` (rescheduled).

A meeting keeps one `uid` (the first booking's id) across reschedules, and `sequence` counts
the revisions of its invitation: the new time, a link set by an operator and the cancellation
each raise it. Every revision the customer receives is kept as a media blob (sent as a document
in the chat) and e-mailed by a job enqueued in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from dresbach.features.client_area.rows import mask_email
from dresbach.features.scheduling.invitation import (
    CANCEL_FILENAME,
    ICS_FILENAME,
    MEETING_TITLE,
    cancellation,
    invitation,
)
from dresbach.features.scheduling.model import (
    Booking,
    Interval,
    MeetingLinkSet,
    MeetingReminder,
    Slot,
    is_meeting_link,
    slot_label,
)
from dresbach.features.techops.diagnosis.meeting import invitation_description
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.observe import audit
from dresbach.platform.store.database import to_utc, utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import bookings, leads, media_blobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import enqueue_job

log = logging.getLogger(__name__)

ICS_UPLOAD_MIME = "text/plain"
"""The Cloud API takes documents of a few types only (PDF, Office, text/plain): the invitation
is uploaded as text and named `diagnostico.ics`, and the phone opens it by its extension."""

REMINDERS = (24, 1)
"""Hours before the meeting; each is sent once, and only if the booking was made before it."""

STATUS_PT = {"booked": "agendada", "cancelled": "cancelada", "replaced": "remarcada"}
"""A booking's status in pt-BR: the one mapping the console's pages and the hand-off use."""

MAIL_JOB = "email_meeting"
"""The job that e-mails one revision of the meeting (see `runtime.techops_mail`)."""
CALENDAR_JOB = "save_calendar_event"
"""The job that writes a revision made outside a booking (a link) to the calendar."""


# ---- reading --------------------------------------------------------------------------------


def load_booking(engine: Engine, booking_id: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def uid_held(engine: Engine, uid: str, other_than: str) -> dict[str, Any] | None:
    """The booked row (other than `other_than`) that holds the meeting `uid`, if any."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(bookings).where(
                    or_(bookings.c.uid == uid, bookings.c.booking_id == uid),
                    bookings.c.booking_id != other_than,
                    bookings.c.status == "booked",
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def booked_intervals(engine: Engine, start: datetime, end: datetime) -> list[Interval]:
    """The time our booked rows hold, overlapping [start, end)."""
    query = select(bookings.c.start_at, bookings.c.end_at).where(
        bookings.c.status == "booked", bookings.c.start_at < end, bookings.c.end_at > start
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [(stored_utc(r.start_at), stored_utc(r.end_at)) for r in rows]


def stored_utc(value: datetime | None) -> datetime:
    """A time read from a NOT NULL column, aware and in UTC."""
    moment = utc(value)
    assert moment is not None
    return moment


def meeting_of(
    row: Any,
    policy: Policy,
    *,
    stamp: datetime,
    sequence: int | None = None,
    link: str | None = None,
    organizer_email: str | None = None,
) -> Booking:
    """A booking row as the meeting calendars and invitations see (one revision of it)."""
    url = (link if link is not None else row["meeting_url"]) or policy.scheduling.meeting_url
    name = row["attendee_name"]
    extra = {"organizer_email": organizer_email} if organizer_email else {}
    return Booking(
        booking_id=row["booking_id"],
        uid=row["uid"] or row["booking_id"],
        sequence=int(row["sequence"] or 0) if sequence is None else sequence,
        start=stored_utc(row["start_at"]),
        end=stored_utc(row["end_at"]),
        title=MEETING_TITLE,
        description=invitation_description(policy, name, url or ""),
        attendee_name=name,
        attendee_email=row["attendee_email"],
        location=policy.scheduling.location,
        url=url or "",
        created_at=stamp,
        **extra,
    )


def ics_ref_for(uid: str, sequence: int = 0, method: str = "REQUEST") -> str:
    """The media blob of one revision of a meeting's invitation (or its cancellation)."""
    return "ics-" + hashlib.sha256(f"{uid}|{sequence}|{method}".encode()).hexdigest()[:32]


def _keep_ics(connection: Connection, ref: str, data: bytes, filename: str, now: datetime) -> None:
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


def _mail(connection: Connection, row: Any, ref: str, news: str, now: datetime) -> bool:
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


# ---- writing --------------------------------------------------------------------------------


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
        _keep_ics(connection, ref, data, ICS_FILENAME, now)
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
            _mail(connection, row, ref, "moved" if old else "booked", now)
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
                _keep_ics(connection, ref, cancellation(meeting), CANCEL_FILENAME, now)
                _mail(connection, row, ref, "cancelled", now)
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


def set_meeting_link(
    engine: Engine,
    booking_id: str,
    link: str,
    operator: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    organizer_email: str | None = None,
) -> str | None:
    """An operator sets the meeting's link: a new revision of the invitation (next SEQUENCE)
    kept for the chat and e-mailed, the conversation told, the calendar event updated by a
    job, the change audited; all in one transaction. Returns why it was refused (pt-BR, for
    the console), or None."""
    link = link.strip()
    if not is_meeting_link(link):
        return "Informe um link que comece com https://, sem espaços."
    with engine.begin() as connection:
        query = select(bookings).where(bookings.c.booking_id == booking_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = connection.execute(query).mappings().first()
        if row is None:
            return "Essa reunião não existe."
        if row["status"] != "booked" or row["ics_ref"] is None:
            return "Só uma reunião agendada e confirmada pode receber o link."
        if stored_utc(row["end_at"]) <= now:
            return "Essa reunião já aconteceu."
        if row["meeting_url"] == link:
            return None
        sequence = int(row["sequence"] or 0) + 1
        meeting = meeting_of(
            row, policy, stamp=now, sequence=sequence, link=link, organizer_email=organizer_email
        )
        ref = ics_ref_for(meeting.event_uid, sequence)
        _keep_ics(connection, ref, invitation(meeting), ICS_FILENAME, now)
        connection.execute(
            update(bookings)
            .where(bookings.c.booking_id == booking_id)
            .values(meeting_url=link, sequence=sequence, ics_ref=ref)
        )
        audit.record(
            connection,
            who=operator,
            action="meeting_link_set",
            now=now,
            detail=f"reunião {booking_id} ({audit.mask_key(row['conversation_key'])}): {link}",
            mask=False,
        )
        _mail(connection, row, ref, "link", now)
        enqueue_job(
            connection,
            command_id=f"calendar:{ref}",
            kind=CALENDAR_JOB,
            payload={"booking_id": booking_id},
            now=now,
            conversation_key=row["conversation_key"],
        )
        deliver(
            connection,
            MeetingLinkSet(
                event_id=f"{ref}:link",
                conversation_key=row["conversation_key"],
                timestamp=now,
                booking_id=booking_id,
                slot_id=Slot(start=meeting.start, end=meeting.end).id,
                meeting_url=link,
                ics_ref=ref,
            ),
            now,
            policy,
            sealer,
            hooks,
        )
    return None


def due_reminders(
    engine: Engine, now: datetime, policy: Policy, sealer: Sealer, hooks: StepHooks
) -> list[tuple[str, int]]:
    """Deliver the reminders that are due (24 h and 1 h before each confirmed booking), each
    once: the column is marked in the transaction that delivers it. A reminder whose moment
    came before the booking was made is never sent (a booking made 10 h ahead gets only the
    1 h one), nor one whose window passed (the 24 h one, once the 1 h one is due)."""
    soonest = {hours: timedelta(hours=hours) for hours in REMINDERS}
    sent: list[tuple[str, int]] = []
    with engine.begin() as connection:
        rows = (
            connection.execute(
                select(bookings).where(
                    bookings.c.status == "booked",
                    bookings.c.ics_ref.is_not(None),
                    bookings.c.start_at > now,
                    bookings.c.start_at <= now + soonest[24],
                    or_(bookings.c.reminded_24h_at.is_(None), bookings.c.reminded_1h_at.is_(None)),
                )
            )
            .mappings()
            .all()
        )
        for row in rows:
            start, made = stored_utc(row["start_at"]), stored_utc(row["created_at"])
            if row["reminded_1h_at"] is None and start - soonest[1] <= now:
                hours = 1 if made <= start - soonest[1] else None
            elif row["reminded_24h_at"] is None and start - soonest[24] <= now < start - soonest[1]:
                hours = 24 if made <= start - soonest[24] else None
            else:
                continue
            if hours is None:
                continue
            column = bookings.c.reminded_1h_at if hours == 1 else bookings.c.reminded_24h_at
            marked = connection.execute(
                update(bookings)
                .where(and_(bookings.c.booking_id == row["booking_id"], column.is_(None)))
                .values({column.name: now})
            ).rowcount
            if not marked:
                continue  # another worker sent it
            deliver(
                connection,
                MeetingReminder(
                    event_id=f"{row['booking_id']}:reminder:{hours}h",
                    conversation_key=row["conversation_key"],
                    timestamp=now,
                    booking_id=row["booking_id"],
                    slot_id=Slot(start=start, end=stored_utc(row["end_at"])).id,
                    hours_before=hours,
                    meeting_url=row["meeting_url"] or "",
                ),
                now,
                policy,
                sealer,
                hooks,
            )
            sent.append((row["booking_id"], hours))
    return sent


# ---- the console ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingRow:
    """A booking as the operator console lists it: pt-BR, the e-mail masked."""

    booking_id: str
    lead_id: str
    conversation_key: str
    start_at: datetime
    start: str
    """pt-BR in São Paulo time, e.g. "qua, 02/12 às 14:00"."""
    name: str
    email_masked: str
    status: str
    status_pt: str
    created_at: datetime
    meeting_url: str | None = None
    """The booking's own link (empty: the settings' fixed room, or none yet)."""
    confirmed: bool = False
    """The customer received the invitation (a link may be set)."""


def list_bookings(engine: Engine, status: str | None = None, limit: int = 200) -> list[BookingRow]:
    """Bookings by start, soonest first, optionally of one status (booked, cancelled, replaced)."""
    query = select(bookings).order_by(bookings.c.start_at).limit(limit)
    if status:
        query = query.where(bookings.c.status == status)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        BookingRow(
            booking_id=r["booking_id"],
            lead_id=r["lead_id"],
            conversation_key=r["conversation_key"],
            start_at=stored_utc(r["start_at"]),
            start=slot_label(stored_utc(r["start_at"])),
            name=r["attendee_name"],
            email_masked=mask_email(r["attendee_email"]),
            status=r["status"],
            status_pt=STATUS_PT.get(r["status"], r["status"]),
            created_at=stored_utc(r["created_at"]),
            meeting_url=r["meeting_url"],
            confirmed=r["ics_ref"] is not None,
        )
        for r in rows
    ]
