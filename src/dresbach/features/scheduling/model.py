"""Scheduling the paid diagnosis: free slots, bookings, and the commands and events around them.

Pure: the free slots are computed from the rules, the busy intervals and `now`, all given.
Times are stored and compared in UTC and shown in America/Sao_Paulo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dresbach.kernel.commands import Command
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.hours import SAO_PAULO, WEEKDAYS_PT, at_clock, when_label
from dresbach.kernel.policy import SchedulingRules as SchedulingRules

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    start: datetime
    end: datetime

    @property
    def id(self) -> str:
        """Stable, compact id (UTC start), e.g. `20261202T1700Z`."""
        return f"{self.start.astimezone(UTC):%Y%m%dT%H%MZ}"

    @classmethod
    def from_id(cls, slot_id: str, meeting: timedelta) -> Slot:
        start = datetime.strptime(slot_id, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        return cls(start=start, end=start + meeting)

    def label(self) -> str:
        return slot_label(self.start)


def slot_label(start: datetime) -> str:
    """pt-BR, in São Paulo time: "terça, 02/12, às 14h" (fits a list row's 24 characters)."""
    return when_label(start)


def long_label(start: datetime) -> str:
    """pt-BR with the year and the zone: "terça, 02/12/2026, às 14h (horário de Brasília)"."""
    local = start.astimezone(SAO_PAULO)
    day = f"{WEEKDAYS_PT[local.weekday()]}, {local:%d/%m/%Y}"
    return f"{day}, {at_clock(local)} (horário de Brasília)"


def _overlaps(start: datetime, end: datetime, busy: Sequence[Interval], pad: timedelta) -> bool:
    return any(start < b_end + pad and b_start - pad < end for b_start, b_end in busy)


def free_slots(
    rules: SchedulingRules,
    *,
    now: datetime,
    busy: Iterable[Interval],
    after: datetime | None = None,
    count: int | None = None,
) -> list[Slot]:
    """The next free slots, in order, starting after `after` (or now + notice).

    Slots start at each window's opening and step by meeting + buffer; a slot is free when it
    keeps `buffer` clear of every busy interval. Holidays and days off have no slots."""
    limit = count if count is not None else rules.page_size
    earliest = now + rules.notice
    if after is not None and after > earliest:
        earliest = after
    last_day = (now + rules.horizon).astimezone(SAO_PAULO).date()
    taken = sorted(busy)
    step = rules.meeting + rules.buffer
    found: list[Slot] = []
    day: date = earliest.astimezone(SAO_PAULO).date()
    while day <= last_day and len(found) < limit:
        window = rules.hours.window(day)
        if window is not None:
            start = window[0]
            while start + rules.meeting <= window[1] and len(found) < limit:
                end = start + rules.meeting
                if start >= earliest and not _overlaps(start, end, taken, rules.buffer):
                    found.append(Slot(start=start.astimezone(UTC), end=end.astimezone(UTC)))
                start += step
        day += timedelta(days=1)
    return found


def late(rules: SchedulingRules, start: datetime, booked_at: datetime) -> bool:
    """Whether a meeting was booked inside its change window (less than `change_notice`
    ahead): it may be changed only during the grace period right after booking."""
    return start - booked_at < rules.change_notice


def change_deadline(
    rules: SchedulingRules, start: datetime, booked_at: datetime | None
) -> datetime:
    """Until when a booking may be rescheduled or cancelled: `change_notice` before it starts,
    or, for one booked inside that window, the end of the grace period after booking."""
    deadline = start - rules.change_notice
    if booked_at is not None and late(rules, start, booked_at):
        deadline = max(deadline, min(booked_at + rules.change_grace, start))
    return deadline


def can_change(
    rules: SchedulingRules, start: datetime, now: datetime, booked_at: datetime | None = None
) -> bool:
    """Whether a booking starting at `start` (made at `booked_at`) may still be rescheduled
    or cancelled at `now`."""
    return now < start and now <= change_deadline(rules, start, booked_at)


def duration_pt(length: timedelta) -> str:
    """A meeting length in pt-BR prose: "45 minutos", "1 hora", "1 hora e 30 minutos"."""
    minutes = int(length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hora" if hours == 1 else f"{hours} horas")
    if rest or not hours:
        parts.append(f"{rest} minuto" if rest == 1 else f"{rest} minutos")
    return " e ".join(parts)


def is_meeting_link(text: str) -> bool:
    """An https address with no spaces: what may be shown to a customer as a meeting link."""
    value = text.strip()
    return (
        value.lower().startswith("https://")
        and len(value) > len("https://") + 3
        and len(value) <= 500
        and not any(c.isspace() or c in "<>\"'" for c in value)
    )


# ---- commands -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class FindSlots(Command):
    """Look up the next free slots (after `after`, when the customer asked for more)."""

    lead_id: str
    after: str | None = None
    """ISO-8601 UTC: show slots starting after this one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BookSlot(Command):
    """Book `slot_id` for the lead; `replaces` is the booking a reschedule gives up."""

    booking_id: str
    lead_id: str
    slot_id: str
    name: str
    email: str
    replaces: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelBooking(Command):
    booking_id: str
    reason: str


# ---- events -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotsFound(InternalEvent):
    """Free slots, as ids (`Slot.id`), in order; empty when the calendar is full."""

    slot_ids: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "slots_found"


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotBooked(InternalEvent):
    booking_id: str
    slot_id: str
    ics_ref: str
    """The `.ics` invitation, stored as a media blob, sent as a document."""
    meeting_url: str = ""
    """The booking's own link (from the calendar server, or kept across a reschedule)."""
    emailed: bool = False
    """The invitation also goes by e-mail (an e-mail address is known)."""
    booked_at: datetime | None = None
    """When the booking was made (its grace period counts from then); None: the event's time."""

    @property
    def kind(self) -> str:
        return "slot_booked"


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotTaken(InternalEvent):
    """Somebody else got the slot first (our constraint, or the calendar had it busy)."""

    booking_id: str
    slot_id: str

    @property
    def kind(self) -> str:
        return "slot_taken"


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingCancelled(InternalEvent):
    booking_id: str
    ics_ref: str = ""
    """The cancellation (`METHOD:CANCEL`) for the customer's calendar; empty when the customer
    never received an invitation."""

    @property
    def kind(self) -> str:
        return "booking_cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingLinkSet(InternalEvent):
    """An operator set the booking's meeting link; `ics_ref` is the updated invitation."""

    booking_id: str
    slot_id: str
    meeting_url: str
    ics_ref: str

    @property
    def kind(self) -> str:
        return "meeting_link_set"


@dataclass(frozen=True, slots=True, kw_only=True)
class SchedulingFailed(InternalEvent):
    """The calendar could not be reached (after retries)."""

    reason: str

    @property
    def kind(self) -> str:
        return "scheduling_failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingReminder(InternalEvent):
    booking_id: str
    slot_id: str
    hours_before: int
    meeting_url: str = ""
    """The booking's own link, when it has one."""

    @property
    def kind(self) -> str:
        return "meeting_reminder"


@dataclass(frozen=True, slots=True, kw_only=True)
class Booking:
    """A booking as the calendar adapters see it.

    `uid` is the meeting's identity in every calendar: the first booking's id, kept when the
    meeting is rescheduled (the event moves instead of a second one appearing), and
    `sequence` counts its revisions (RFC 5545 §3.8.7.4): each new time, link or the
    cancellation raises it, so calendar apps replace what they hold."""

    booking_id: str
    start: datetime
    end: datetime
    title: str
    description: str
    attendee_name: str
    attendee_email: str
    location: str
    created_at: datetime
    """When this revision was made (the DTSTAMP of the invitation)."""
    organizer_email: str = "agenda@dresbach.com.br"
    uid: str = ""
    """Empty: the booking id."""
    sequence: int = 0
    url: str = ""
    """The meeting link, when there is one."""

    @property
    def event_uid(self) -> str:
        return self.uid or self.booking_id
