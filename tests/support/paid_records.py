"""Rows the runtime writes when a customer pays and books a diagnosis, written directly, so a
store test can start from "paid and booked earlier" (the conversation's slots long gone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import bookings, leads, payments

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 10:00 in São Paulo
KEY = "5511955557777"
THURSDAY_14H = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
ANSWERS = {"area": "security", "name": "Ana Souza", "email": "ana@lojaexemplo.com.br"}


def lead(db: Database, lead_id: str, *, status: str = "paid", key: str = KEY) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            leads.insert().values(
                lead_id=lead_id,
                conversation_key=key,
                status=status,
                answers=orjson.dumps(ANSWERS).decode(),
                created_at=NOW - timedelta(days=1),
                updated_at=NOW - timedelta(days=1),
            )
        )


def payment(
    db: Database, txid: str, lead_id: str, *, status: str = "paid", key: str = KEY, ago: int = 2
) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            payments.insert().values(
                txid=txid,
                provider="static",
                provider_id=txid,
                conversation_key=key,
                lead_id=lead_id,
                amount="1800.00",
                copia_e_cola="000201...",
                status=status,
                created_at=NOW - timedelta(hours=ago + 1),
                expires_at=NOW - timedelta(hours=ago),
                paid_at=NOW - timedelta(hours=ago, minutes=30) if status == "paid" else None,
            )
        )


def meeting(
    db: Database, booking_id: str, lead_id: str, start: datetime, status: str = "booked"
) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            bookings.insert().values(
                booking_id=booking_id,
                conversation_key=KEY,
                lead_id=lead_id,
                start_at=start,
                end_at=start + timedelta(hours=1),
                status=status,
                attendee_name="Ana Souza",
                attendee_email="ana@lojaexemplo.com.br",
                calendar="internal",
                ics_ref="ics-x",
                created_at=NOW - timedelta(hours=1),
            )
        )
