"""What a customer owns, read from the records for the conversation core: the paid diagnoses
whose meeting has not happened yet (`PaidDiagnosis`), with the booked meeting when there is one.

A diagnosis is owned from the moment its payment is confirmed until its meeting ends; one with
no booked meeting (never booked, or cancelled) is owned until it is booked and held. The unit of
work calls `owned_by` at every step, so this is one indexed query for a conversation that never
paid (the common case) and two for one that did.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from dresbach.features.scheduling.model import Slot
from dresbach.features.techops.model import PaidDiagnosis
from dresbach.kernel.conversation import Conversation
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import bookings, leads, payments

_PAID = (
    select(
        payments.c.lead_id, payments.c.txid, payments.c.amount, payments.c.paid_at, leads.c.answers
    )
    .select_from(payments.outerjoin(leads, leads.c.lead_id == payments.c.lead_id))
    .where(payments.c.conversation_key == bindparam("key"), payments.c.status == "paid")
    .order_by(payments.c.paid_at.desc(), payments.c.txid)
)
"""Built once: it runs at every step (`with_holdings`)."""


def owned_by(connection: Connection, key: str, now: datetime) -> tuple[PaidDiagnosis, ...]:
    """The conversation's paid diagnoses still to be held: those with a booked meeting first
    (soonest first), then those still to be booked (most recently paid first)."""
    paid = connection.execute(_PAID, {"key": key}).mappings().all()
    if not paid:
        return ()
    latest: dict[str, Any] = {}
    for row in paid:  # a lead paid twice is one diagnosis: its latest payment stands
        latest.setdefault(row["lead_id"], row)
    meetings = (
        connection.execute(
            select(
                bookings.c.booking_id, bookings.c.lead_id, bookings.c.start_at, bookings.c.end_at
            )
            .where(bookings.c.lead_id.in_(list(latest)), bookings.c.status == "booked")
            .order_by(bookings.c.start_at)
        )
        .mappings()
        .all()
    )
    booked: list[tuple[datetime, PaidDiagnosis]] = []
    to_book: list[PaidDiagnosis] = []
    for lead_id, row in latest.items():
        held = [m for m in meetings if m["lead_id"] == lead_id]
        coming = [m for m in held if _utc(m["end_at"]) > now]
        if held and not coming:
            continue  # its meeting took place: nothing left to schedule
        diagnosis = _diagnosis(row)
        if coming:
            meeting = coming[0]
            start = _utc(meeting["start_at"])
            slot = Slot(start=start, end=_utc(meeting["end_at"]))
            meeting_of = replace(diagnosis, booking_id=meeting["booking_id"], slot_id=slot.id)
            booked.append((start, meeting_of))
        else:
            to_book.append(diagnosis)
    booked.sort(key=lambda pair: pair[0])
    return (*(d for _, d in booked), *to_book)


def _utc(value: datetime) -> datetime:
    moment = utc(value)
    assert moment is not None
    return moment


def _diagnosis(row: Any) -> PaidDiagnosis:
    answers = orjson.loads(row["answers"]) if row["answers"] else {}
    area = answers.get("area")
    return PaidDiagnosis(
        lead_id=row["lead_id"],
        area=str(area) if area else None,
        amount=str(row["amount"]),
        txid=row["txid"],
        name=str(answers.get("name") or ""),
        email=str(answers.get("email") or ""),
    )


def with_holdings(
    connection: Connection, conversation: Conversation, now: datetime
) -> Conversation:
    """The conversation with what its customer owns (`StepHooks.enrich`): from the records, not
    from the slots."""
    return replace(conversation, owned=owned_by(connection, conversation.key, now))
