"""Scheduling behind the flow: free slots, bookings, cancellations and meeting reminders.

Each command is a job (see `effects`); its result reaches the conversation as an event whose id
derives from the command id, so a job that runs again delivers nothing twice.

- `find_slots`: free time is the consultants' hours minus our booked rows and what the calendar
  has busy → `SlotsFound`.
- `book_slot`: the calendar is asked once more whether the slot is free; then the row is
  inserted (the unique index settles a race) → `SlotTaken`, or the calendar receives the event
  (and may give it a meeting link), the `.ics` is kept as a media blob and e-mailed →
  `SlotBooked`. A reschedule keeps the meeting's UID with the next SEQUENCE, so the calendar
  event moves and the customer's calendar replaces the event it holds; the old booking is given
  up only after the new one is saved. A retry after a calendar error finds its row and does
  not insert it again.
- `cancel_booking`: the row frees the slot, the cancellation (METHOD:CANCEL) is kept and
  e-mailed → `BookingCancelled`; then the calendar event goes.
- `set_link` (the console): an operator's link → a new revision, e-mailed → `MeetingLinkSet`;
  the job `save_calendar_event` then writes it to the calendar.
- give-ups: `SchedulingFailed` (a booking the calendar never took is cancelled first).
- `sweep`: reminders 24 h and 1 h before, once each → `MeetingReminder`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from dresbach.features.scheduling.bookings import (
    NewBooking,
    cancel_booking,
    confirm_booking,
    insert_booking,
    lead_contact,
)
from dresbach.features.scheduling.invitation import invitation
from dresbach.features.scheduling.model import (
    Booking,
    BookingCancelled,
    SchedulingFailed,
    Slot,
    SlotBooked,
    SlotsFound,
    SlotTaken,
    free_slots,
)
from dresbach.features.scheduling.ports import Calendar
from dresbach.features.scheduling.records import (
    BookingRow,
    booked_intervals,
    ics_ref_for,
    list_bookings,
    load_booking,
    meeting_of,
    stored_utc,
    uid_held,
)
from dresbach.features.scheduling.upcoming import (
    due_reminders,
    set_meeting_link,
)
from dresbach.kernel.errors import DresbachError, PermanentError
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import event_payload
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database
from dresbach.platform.work.jobs import Job

__all__ = ["BookingRow", "SchedulingService", "list_bookings"]

log = logging.getLogger(__name__)

LATE_PICK = timedelta(hours=1)
"""A slot may still be booked this long after its minimum notice began: the customer read the
list a while ago. Later than that it is answered as taken, with fresh slots."""


def _moment(text: str | None) -> datetime | None:
    """`after` as the flow sends it: ISO-8601 (UTC when naive) or a slot id."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return _slot(text, timedelta(0)).start
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _slot(slot_id: str, meeting: timedelta) -> Slot:
    try:
        return Slot.from_id(slot_id, meeting)
    except ValueError as error:  # a flow bug: retrying cannot help
        raise PermanentError(f"{slot_id!r} is not a slot id") from error


class SchedulingService:
    """The scheduling use cases, for the job worker, the timers and the console."""

    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        calendar: Calendar,
        policy: Policy,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_enqueued: Callable[[], None] | None = None,
        organizer_email: str | None = None,
    ) -> None:
        self.db, self.pipeline, self.calendar, self.policy = db, pipeline, calendar, policy
        self.rules = policy.scheduling
        self.clock, self._on_enqueued = clock, on_enqueued
        self.organizer_email = organizer_email

    # ---- plumbing ------------------------------------------------------------------------
    def on_enqueued(self) -> None:
        """Wake the sender and the jobs after a delivery made in our own transaction."""
        (self._on_enqueued or self.pipeline.on_enqueued)()

    async def _tell(
        self, job: Job, event_type: type[InternalEvent], suffix: str, **fields_: Any
    ) -> None:
        event = event_type(
            event_id=f"{job.command_id}:{suffix}",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            **fields_,
        )
        await self.pipeline.take_in(event, event_payload(event))

    def _booking(self, row: dict[str, Any], **changes: Any) -> Booking:
        return meeting_of(
            row, self.policy, stamp=self.clock(), organizer_email=self.organizer_email, **changes
        )

    def _bookable(self, slot: Slot, now: datetime) -> bool:
        """A slot in the consultants' hours, still far enough ahead."""
        if slot.start < now + self.rules.notice - LATE_PICK or slot.start <= now:
            return False
        window = self.rules.hours.window(slot.start.astimezone(SAO_PAULO).date())
        return window is not None and window[0] <= slot.start and slot.end <= window[1]

    async def _calendar_has(self, slot: Slot) -> bool:
        pad = self.rules.buffer
        busy = await self.calendar.busy(slot.start - pad, slot.end + pad)
        return any(start < slot.end + pad and slot.start - pad < end for start, end in busy)

    # ---- jobs ----------------------------------------------------------------------------
    async def find_slots(self, job: Job) -> None:
        now = self.clock()
        until = now + self.rules.horizon + timedelta(days=1)
        ours = await self.db.run(booked_intervals, self.db.engine, now - self.rules.meeting, until)
        theirs = await self.calendar.busy(now, until)
        after = _moment(job.payload.get("after"))
        slots = free_slots(
            self.rules,
            now=now,
            busy=[*ours, *theirs],
            after=after + timedelta(seconds=1) if after else None,  # strictly after that one
            count=self.rules.page_size,
        )
        await self._tell(job, SlotsFound, "slots", slot_ids=tuple(s.id for s in slots))

    async def book_slot(self, job: Job) -> None:
        p = job.payload
        booking_id, slot_id = p["booking_id"], p["slot_id"]
        slot = _slot(slot_id, self.rules.meeting)
        row = await self.db.run(load_booking, self.db.engine, booking_id)
        if row is None:
            taken = not self._bookable(slot, self.clock()) or await self._calendar_has(slot)
            if not taken:
                name, email = p["name"], p["email"]
                if not (name and email):  # booked after the customer left the funnel
                    known = await self.db.run(lead_contact, self.db.engine, p["lead_id"])
                    name, email = name or known[0], email or known[1]
                new = NewBooking(
                    booking_id=booking_id,
                    conversation_key=job.conversation_key or "",
                    lead_id=p["lead_id"],
                    slot=slot,
                    name=name,
                    email=email,
                    calendar=self.calendar.name,
                    replaces=p.get("replaces"),
                )
                held = await self.db.run(
                    insert_booking, self.db.engine, new, self.rules.buffer, self.clock()
                )
                taken = not held
            if taken:
                log.info("slot %s taken: booking %s not made", slot_id, booking_id)
                await self._tell(job, SlotTaken, "taken", booking_id=booking_id, slot_id=slot_id)
                return
            row = await self.db.run(load_booking, self.db.engine, booking_id)
            assert row is not None
        if row["status"] != "booked":
            log.warning("booking %s is %s: not saved again", booking_id, row["status"])
            return
        booking = self._booking(row)
        given = await self.calendar.save(booking)
        link = given or row["meeting_url"] or ""
        if given:
            log.info("booking %s: the calendar gave it a meeting link", booking_id)
            booking = self._booking(row, link=given)
        ref = ics_ref_for(booking.event_uid, booking.sequence)
        event = SlotBooked(
            event_id=f"{job.command_id}:booked",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            booking_id=booking_id,
            slot_id=slot_id,
            ics_ref=ref,
            meeting_url=link,
            emailed=bool(row["attendee_email"]),
            booked_at=stored_utc(row["created_at"]),
        )
        gone = await self.db.run(
            lambda: confirm_booking(
                self.db.engine,
                booking_id,
                (ref, invitation(booking)),
                event,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                link=given,
            )
        )
        self.on_enqueued()
        log.info("booking %s made for %s", booking_id, slot_id)
        if gone is not None:
            await self.calendar.remove(gone)
            log.info("booking %s replaced by %s", row["replaces"], booking_id)

    async def cancel_booking(self, job: Job) -> None:
        booking_id = job.payload["booking_id"]

        def tell(ics_ref: str) -> InternalEvent:
            return BookingCancelled(
                event_id=f"{job.command_id}:cancelled",
                conversation_key=job.conversation_key or "",
                timestamp=self.clock(),
                booking_id=booking_id,
                ics_ref=ics_ref,
            )

        row = await self.db.run(
            lambda: cancel_booking(
                self.db.engine,
                booking_id,
                str(job.payload.get("reason") or "customer"),
                tell,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                organizer_email=self.organizer_email,
            )
        )
        if row is None:
            log.warning("cancel: no booking %s", booking_id)
            return
        self.on_enqueued()
        if row["status"] != "replaced":  # a replaced booking's event moved with the reschedule
            await self._remove_unless_held(row)
        log.info("booking %s cancelled", booking_id)

    async def _remove_unless_held(self, row: dict[str, Any]) -> None:
        """Take the meeting's event out of the calendar, unless another booked row still holds
        that UID (a reschedule in flight owns the event now)."""
        uid = row["uid"] or row["booking_id"]
        held = await self.db.run(uid_held, self.db.engine, uid, row["booking_id"])
        if held is None:
            await self.calendar.remove(uid)
        else:
            await self.calendar.save(self._booking(held))

    # ---- the console: a link for one meeting ----------------------------------------------
    async def set_link(self, booking_id: str, link: str, operator: str) -> str | None:
        """Set the meeting's link (see `set_meeting_link`); None, or why not (pt-BR)."""
        refused = await self.db.run(
            lambda: set_meeting_link(
                self.db.engine,
                booking_id,
                link,
                operator,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                organizer_email=self.organizer_email,
            )
        )
        if refused is None:
            self.on_enqueued()
        return refused

    async def save_event(self, job: Job) -> None:
        """`save_calendar_event`: write the booking's current revision to the calendar."""
        row = await self.db.run(load_booking, self.db.engine, job.payload["booking_id"])
        if row is None or row["status"] != "booked":
            return
        await self.calendar.save(self._booking(row))

    # ---- give-ups ------------------------------------------------------------------------
    async def slots_failed(self, job: Job, reason: str) -> None:
        await self._tell(job, SchedulingFailed, "failed", reason=reason[:200])

    async def booking_failed(self, job: Job, reason: str) -> None:
        """The calendar never took the booking: free its slot, then tell the conversation. A
        booking already confirmed (only the old event of a reschedule could not go) stays."""
        booking_id = job.payload["booking_id"]
        event = SchedulingFailed(
            event_id=f"{job.command_id}:failed",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            reason=reason[:200],
        )
        row = await self.db.run(load_booking, self.db.engine, booking_id)
        if row is not None and row["ics_ref"] is not None:
            log.error("booking %s is made, but a calendar step failed: %s", booking_id, reason)
            return
        if row is None:
            await self.pipeline.take_in(event, event_payload(event))
            return
        await self.db.run(
            lambda: cancel_booking(
                self.db.engine,
                booking_id,
                "calendar_failed",
                lambda _ref: event,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                only_unconfirmed=True,
            )
        )
        self.on_enqueued()
        try:  # a save that timed out may still have reached the server: the event goes, or,
            # for a reschedule, goes back to the time the meeting still has
            await self._remove_unless_held(row)
        except DresbachError as error:
            log.warning("booking %s: its event may stay in the calendar: %s", booking_id, error)

    # ---- timers --------------------------------------------------------------------------
    async def sweep(self) -> None:
        sent = await self.db.run(
            due_reminders,
            self.db.engine,
            self.clock(),
            self.policy,
            self.pipeline.sealer,
            self.pipeline.hooks,
        )
        if sent:
            log.info("meeting reminders sent: %s", ", ".join(f"{b} ({h} h)" for b, h in sent))
            self.on_enqueued()

    # ---- the console ---------------------------------------------------------------------
    def bookings(self, status: str | None = None) -> list[BookingRow]:
        return list_bookings(self.db.engine, status)
