"""What scheduling adds to an operator's hand-off context: the meeting as it is now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from dresbach.features.scheduling.model import long_label
from dresbach.features.scheduling.records import STATUS_PT
from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.feature import ContextSection, Refs
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import bookings


def _booking(connection: Connection, booking_id: str | None, lead_id: str | None) -> Any:
    """The meeting as it is now: from the booking the hand-off named, its reschedules followed
    to the newest; a booking of the same lead that holds a slot wins over a cancelled one."""
    row = None
    if booking_id:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
            .mappings()
            .first()
        )
        seen = {booking_id}
        while row is not None and row["status"] == "replaced":
            newer = (
                connection.execute(
                    select(bookings).where(
                        bookings.c.replaces == row["booking_id"],
                        bookings.c.conversation_key == row["conversation_key"],
                        bookings.c.ics_ref.is_not(None),
                    )
                )
                .mappings()
                .first()
            )
            if newer is None or newer["booking_id"] in seen:
                break
            seen.add(newer["booking_id"])
            row = newer
        lead_id = lead_id or (row["lead_id"] if row is not None else None)
    if (row is None or row["status"] != "booked") and lead_id:
        held = (
            connection.execute(
                select(bookings)
                .where(bookings.c.lead_id == lead_id, bookings.c.status == "booked")
                .order_by(bookings.c.created_at.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        row = held or row
    return row


def gather_booking(connection: Connection, _key: str, refs: Refs) -> dict[str, Any] | None:
    booking = _booking(connection, refs.get("booking_id"), refs.get("lead_id"))
    if booking is None:
        return None
    start = utc(booking["start_at"])
    assert start is not None
    return {
        "booking_id": booking["booking_id"],
        "start": start.astimezone(SAO_PAULO).isoformat(),
        "start_text": long_label(start),
        "status": booking["status"],
    }


def booking_lines(booking: Mapping[str, Any]) -> list[str]:
    status = STATUS_PT.get(booking["status"], booking["status"])
    return [f"Reunião: {booking['start_text']} ({status})"]


BOOKING = ContextSection(name="booking", gather=gather_booking, lines=booking_lines)
