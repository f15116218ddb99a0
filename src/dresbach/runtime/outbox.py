"""The outbox: claim the next message of each conversation, and record what sending did.

Only the head of a conversation's queue (its lowest pending `seq`) can be claimed, so one user's
messages leave in the order the core produced them, whatever the number of workers. A claim is a
lease: a worker that dies mid-send leaves a row that another worker takes once the lease ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from dresbach.runtime.database import utc
from dresbach.runtime.schema import outbox
from dresbach.runtime.sql import is_postgres

LEASE = timedelta(seconds=25)
"""Longer than the slowest send (the Graph timeout); a dead worker's rows wait this long."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Claimed:
    id: int
    conversation_key: str
    seq: int
    recipient: str
    kind: str
    payload: str
    fallback: str | None
    callback_data: str | None
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What happened to one claimed row."""

    id: int
    sent: bool = False
    wamid: str | None = None
    retry_at: datetime | None = None
    dead_reason: str | None = None
    counted: bool = True
    """False when the row is only postponed (pacing), not a failed attempt."""
    new_payload: str | None = None


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta = LEASE) -> list[Claimed]:
    """Lease up to `limit` due rows, each the head of its conversation's queue."""
    earlier = aliased(outbox)
    head = ~exists().where(
        and_(
            earlier.c.conversation_key == outbox.c.conversation_key,
            earlier.c.seq < outbox.c.seq,
            earlier.c.status == "pending",
        )
    )
    query = (
        select(outbox)
        .where(
            outbox.c.status == "pending",
            outbox.c.next_attempt_at <= now,
            or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now),
            head,
        )
        .order_by(outbox.c.id)
        .limit(limit)
    )
    with engine.begin() as connection:
        if is_postgres(connection):
            query = query.with_for_update(skip_locked=True, of=outbox)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        connection.execute(
            update(outbox).where(outbox.c.id.in_(ids)).values(lease_until=now + lease)
        )
    return [
        Claimed(
            id=r["id"],
            conversation_key=r["conversation_key"],
            seq=r["seq"],
            recipient=r["recipient"],
            kind=r["kind"],
            payload=r["payload"],
            fallback=r["fallback"],
            callback_data=r["callback_data"],
            attempts=r["attempts"],
        )
        for r in rows
    ]


def settle(engine: Engine, results: list[Result], now: datetime) -> None:
    """Record the outcome of each claimed row and release its lease."""
    if not results:
        return
    with engine.begin() as connection:
        for result in results:
            values: dict[str, Any] = {"lease_until": None}
            if result.sent:
                values.update(status="sent", wamid=result.wamid, sent_at=now, last_error=None)
            elif result.dead_reason is not None:
                values.update(status="dead", last_error=result.dead_reason)
            else:
                values["next_attempt_at"] = result.retry_at or now
                if result.new_payload is not None:
                    values.update(payload=result.new_payload, fallback=None)
            statement = update(outbox).where(outbox.c.id == result.id)
            if result.counted and not result.sent:
                statement = statement.values(attempts=outbox.c.attempts + 1)
            if result.sent:
                statement = statement.values(attempts=outbox.c.attempts + 1)
            connection.execute(statement.values(values))


def depth(engine: Engine, now: datetime) -> tuple[int, float]:
    """How many rows wait, and the age in seconds of the oldest."""
    from sqlalchemy import func

    with engine.connect() as connection:
        count, oldest = connection.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.status == "pending")
        ).one()
    age = (now - utc(oldest)).total_seconds() if oldest is not None else 0.0  # type: ignore[operator]
    return int(count), max(age, 0.0)
