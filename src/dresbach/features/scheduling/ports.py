"""The scheduling's port: the consultants' calendar. Its adapters are in `adapters/`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dresbach.features.scheduling.model import Booking, Interval


class Calendar(Protocol):
    """The consultants' calendar: `internal` (our bookings table only) or `caldav`.

    Our bookings table is always the first word (a unique constraint settles races); a real
    calendar adds the busy time people put there by hand, and receives each booking as an
    event whose UID is the meeting's (`Booking.event_uid`, kept across reschedules). Raises
    TransientError or PermanentError."""

    @property
    def name(self) -> str: ...

    async def busy(self, start: datetime, end: datetime) -> list[Interval]:
        """Busy intervals (UTC) overlapping [start, end), besides our own bookings."""
        ...

    async def save(self, booking: Booking) -> str | None:
        """Create or replace the event whose UID is `booking.event_uid` (idempotent). Returns
        the meeting link the server attached to the event (a video conference it created),
        when it attached one that the booking did not carry; else None."""
        ...

    async def remove(self, uid: str) -> None:
        """Delete the event with that UID; nothing happens when it is not there."""
        ...
