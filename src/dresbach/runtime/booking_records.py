"""Bookings in the database: a row holds its slot (the unique index on `start_at` among booked
rows settles two customers choosing the same one), the lead follows its booking, reminders are
marked in the transaction that delivers them, and each outcome reaches the conversation once
(by event id).

A booking's status: `booked` (holds the slot; confirmed to the customer once `ics_ref` is set),
`cancelled` (by the customer, or because the calendar refused it) or `replaced` (rescheduled).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from dresbach.domain.events import InternalEvent
from dresbach.domain.invitation import ICS_FILENAME
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import Interval, MeetingReminder, Slot, slot_label
from dresbach.runtime.client_rows import mask_email
from dresbach.runtime.database import to_utc, utc
from dresbach.runtime.schema import bookings, leads, media_blobs
from dresbach.runtime.sealing import Sealer
from dresbach.runtime.sql import insert_ignore
from dresbach.runtime.unit_of_work import Duplicate, take_in_tx

log = logging.getLogger(__name__)

ICS_UPLOAD_MIME = "text/plain"
"""The Cloud API takes documents of a few types only (PDF, Office, text/plain): the invitation
is uploaded as text and named `diagnostico.ics`, and the phone opens it by its extension."""

REMINDERS = (24, 1)
"""Hours before the meeting; each is sent once, and only if the booking was made before it."""

STATUS_PT = {"booked": "agendada", "cancelled": "cancelada", "replaced": "remarcada"}


# ---- delivering to the conversation -------------------------------------------------------


def event_payload(event: InternalEvent) -> dict[str, Any]:
    """The event's fields as the inbox keeps them (a tuple of slot ids stays a list)."""
    payload: dict[str, Any] = {}
    for f in fields(event):
        value = getattr(event, f.name)
        if isinstance(value, tuple):
            payload[f.name] = list(value)
        elif isinstance(value, datetime):
            payload[f.name] = value.isoformat()
        elif isinstance(value, dict):
            payload[f.name] = {str(k): str(v) for k, v in value.items()}
        else:
            payload[f.name] = str(value)
    return payload


def deliver(
    connection: Connection,
    event: InternalEvent,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
) -> bool:
    """Step the conversation with `event` inside this transaction; False when it was seen."""
    try:
        with connection.begin_nested():
            take_in_tx(connection, event, event_payload(event), now, policy, sealer)
    except Duplicate:
        return False
    return True


# ---- reading --------------------------------------------------------------------------------


def load_booking(engine: Engine, booking_id: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
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


def ics_ref_for(booking_id: str) -> str:
    return "ics-" + hashlib.sha256(booking_id.encode()).hexdigest()[:32]


def confirm_booking(
    engine: Engine,
    booking_id: str,
    ics: bytes,
    event: InternalEvent,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
) -> str | None:
    """The calendar has the booking: keep the invitation, give up the booking it replaces,
    and tell the conversation, in one transaction. Returns the replaced booking's id when its
    calendar event must now go (it is ours and no longer holds its slot)."""
    ref = ics_ref_for(booking_id)
    with engine.begin() as connection:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
            .mappings()
            .one()
        )
        insert_ignore(
            connection,
            media_blobs,
            {
                "ref": ref,
                "mime_type": ICS_UPLOAD_MIME,
                "filename": ICS_FILENAME,
                "data": ics,
                "created_at": now,
            },
            ["ref"],
        )
        connection.execute(
            update(bookings).where(bookings.c.booking_id == booking_id).values(ics_ref=ref)
        )
        old = row["replaces"]
        if old and old != booking_id:
            connection.execute(
                update(bookings)
                .where(
                    bookings.c.booking_id == old,
                    bookings.c.conversation_key == row["conversation_key"],
                    bookings.c.status == "booked",
                )
                .values(status="replaced", cancelled_at=now, cancel_reason="rescheduled")
            )
            still_ours = connection.execute(
                select(bookings.c.status).where(
                    bookings.c.booking_id == old,
                    bookings.c.conversation_key == row["conversation_key"],
                )
            ).scalar()
            if still_ours is None or still_ours == "booked":
                old = None
        deliver(connection, event, now, policy, sealer)
    return str(old) if old else None


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
    event: InternalEvent | None,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    *,
    only_unconfirmed: bool = False,
) -> dict[str, Any] | None:
    """Free the slot (`cancelled`, when and why) and deliver `event`, in one transaction.
    With `only_unconfirmed`, a booking already confirmed to the customer is left alone.
    Returns the row as it was, or None when there is no such booking."""
    with engine.begin() as connection:
        query = select(bookings).where(bookings.c.booking_id == booking_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = connection.execute(query).mappings().first()
        if row is None:
            return None
        confirmed = row["ics_ref"] is not None
        if row["status"] == "booked" and not (only_unconfirmed and confirmed):
            connection.execute(
                update(bookings)
                .where(bookings.c.booking_id == booking_id, bookings.c.status == "booked")
                .values(status="cancelled", cancelled_at=now, cancel_reason=reason[:80])
            )
            _lead_back_to_paid(connection, row["lead_id"], now)
        if event is not None:
            deliver(connection, event, now, policy, sealer)
    return dict(row)


def due_reminders(
    engine: Engine, now: datetime, policy: Policy, sealer: Sealer | None
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
                ),
                now,
                policy,
                sealer,
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
        )
        for r in rows
    ]
