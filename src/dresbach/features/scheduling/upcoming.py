"""A booked meeting still to come: the link an operator sets (a new revision of its invitation,
e-mailed and sent in the chat) and the reminders before it, each delivered once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, select, update

from dresbach.features.scheduling.bookings import keep_ics, mail_revision
from dresbach.features.scheduling.invitation import ICS_FILENAME, invitation
from dresbach.features.scheduling.model import (
    MeetingLinkSet,
    MeetingReminder,
    Slot,
    is_meeting_link,
)
from dresbach.features.scheduling.records import (
    CALENDAR_JOB,
    REMINDERS,
    ics_ref_for,
    meeting_of,
    stored_utc,
)
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.observe import audit
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import bookings
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import enqueue_job


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
        keep_ics(connection, ref, invitation(meeting), ICS_FILENAME, now)
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
        mail_revision(connection, row, ref, "link", now)
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
