"""The embedded calendar: our own `bookings` table is the whole calendar.

Free time is the consultants' working hours (settings) minus the bookings we hold, which the
scheduling runtime reads from the table itself; a booking exists once its row is written, and the
table's unique index settles two customers choosing the same slot. So this adapter has nothing
to add: `busy` returns no extra intervals, and `save` / `remove` do nothing (the row *is* the
event). It needs no outside service and never fails.
"""

from __future__ import annotations

from datetime import datetime

from dresbach.features.scheduling.model import Booking, Interval

__all__ = ["InternalCalendar"]


class InternalCalendar:
    """The `Calendar` port with no calendar server behind it (see the module docstring)."""

    @property
    def name(self) -> str:
        return "internal"

    async def busy(self, start: datetime, end: datetime) -> list[Interval]:
        """No busy time besides our own bookings, which the runtime already counts."""
        return []

    async def save(self, booking: Booking) -> str | None:
        """Nothing to do: the booking row is the event (and no server makes a link)."""
        return None

    async def remove(self, uid: str) -> None:
        """Nothing to do: cancelling the booking row frees the slot."""
