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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, or_, select

from dresbach.features.scheduling.invitation import MEETING_TITLE, invitation_description
from dresbach.features.scheduling.model import Booking, Interval, slot_label
from dresbach.kernel.documents import mask_email
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import bookings

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
