"""What scheduling holds about a WhatsApp user (its meetings), for the LGPD copy and the
erasure (name and e-mail of a meeting yet to happen stay), and its part of the retention purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, not_, select, update

from dresbach.kernel.text import ERASED
from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import bookings


def held(connection: Connection, key: str) -> dict[str, Any]:
    return {
        "reunioes": [
            {
                "inicio": iso(row["start_at"]),
                "fim": iso(row["end_at"]),
                "situacao": row["status"],
                "nome": row["attendee_name"],
                "email": row["attendee_email"],
                "cancelada_em": iso(row["cancelled_at"]),
            }
            for row in connection.execute(
                select(bookings)
                .where(bookings.c.conversation_key == key)
                .order_by(bookings.c.start_at)
            ).mappings()
        ]
    }


def erase(connection: Connection, key: str, now: datetime) -> dict[str, int]:
    upcoming = and_(bookings.c.status == "booked", bookings.c.end_at > now)
    changed = connection.execute(
        update(bookings)
        .where(bookings.c.conversation_key == key, not_(upcoming))
        .values(attendee_name=ERASED, attendee_email=ERASED)
    )
    return {"bookings": int(changed.rowcount)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Name and e-mail removed `leads` after the meeting; the meeting deleted with the
    payments (`payments` after it)."""
    with engine.begin() as connection:
        attendees = connection.execute(
            update(bookings)
            .where(bookings.c.end_at < now - retention.leads, bookings.c.attendee_name != ERASED)
            .values(attendee_name=ERASED, attendee_email=ERASED)
        ).rowcount
    with engine.begin() as connection:
        meetings = connection.execute(
            delete(bookings).where(bookings.c.end_at < now - retention.payments)
        )
    return {"bookings_anonymized": attendees, "bookings": meetings.rowcount}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
