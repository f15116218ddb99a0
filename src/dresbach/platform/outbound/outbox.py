"""The outbox: claim the next message of each conversation, and record what sending did.

Only the head of a conversation's queue (its lowest pending `seq`) can be claimed, so one user's
messages leave in the order the core produced them, whatever the number of workers. A claim is a
lease: a worker that dies mid-send leaves a row that another worker takes once the lease ends,
after waiting a few seconds for a status webhook that says Meta had accepted it (then it is not
sent again: see `_wait_for_status` and `unit_of_work/statuses.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Integer, and_, bindparam, exists, or_, select, update
from sqlalchemy.orm import aliased

from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import outbox
from dresbach.platform.store.sql import is_postgres

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


def _claimed(r: Any) -> Claimed:
    return Claimed(
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


def _claim_statements() -> tuple[Any, Any]:
    """The heads' and the followers' queries, built once with their parameters bound at each
    claim (`now`, `limit`, `keys`): a claim runs after every send and at every wake-up, and
    building these (an aliased table, a correlated EXISTS) cost more than running them."""
    now = bindparam("now", type_=outbox.c.next_attempt_at.type)
    earlier = aliased(outbox)
    head = ~exists().where(
        and_(
            earlier.c.conversation_key == outbox.c.conversation_key,
            earlier.c.seq < outbox.c.seq,
            earlier.c.status == "pending",
        )
    )
    free = or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)
    heads = (
        select(outbox)
        .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now, free, head)
        .order_by(outbox.c.id)
        .limit(bindparam("limit", type_=Integer))
    )
    followers = (
        select(outbox)
        .where(
            outbox.c.conversation_key.in_(bindparam("keys", expanding=True)),
            outbox.c.status == "pending",
            free,
        )
        .order_by(outbox.c.conversation_key, outbox.c.seq)
    )
    return heads, followers


_HEADS, _FOLLOWERS = _claim_statements()
_HEADS_PG = _HEADS.with_for_update(skip_locked=True, of=outbox)
_FOLLOWERS_PG = _FOLLOWERS.with_for_update(skip_locked=True, of=outbox)
_LEASE = (
    update(outbox)
    .where(outbox.c.id.in_(bindparam("ids", expanding=True)))
    .values(lease_until=bindparam("until", type_=outbox.c.lease_until.type))
)


def _heads(connection: Connection, now: datetime, limit: int) -> list[Any]:
    query = _HEADS_PG if is_postgres(connection) else _HEADS
    return list(connection.execute(query, {"now": now, "limit": limit}).mappings().all())


def _followers(connection: Connection, heads: list[Any], now: datetime) -> dict[str, list[Any]]:
    """The due rows queued behind each head, in order, stopping at the first one not due."""
    keys = [h["conversation_key"] for h in heads]
    query = _FOLLOWERS_PG if is_postgres(connection) else _FOLLOWERS
    runs: dict[str, list[Any]] = {}
    heads_by_key = {h["conversation_key"]: h for h in heads}
    for row in connection.execute(query, {"now": now, "keys": keys}).mappings():
        key = row["conversation_key"]
        run = runs.setdefault(key, [])
        if row["seq"] <= heads_by_key[key]["seq"] or (run and run[-1] is None):
            continue
        if utc(row["next_attempt_at"]) > now:  # type: ignore[operator]
            run.append(None)  # stop here: keep the order
            continue
        run.append(row)
    return {k: [r for r in v if r is not None] for k, v in runs.items()}


def _in_doubt(head: Any, now: datetime) -> bool:
    """A head whose lease ended without a record of what its send did: its worker died (or
    stalled) after claiming it and the rows behind it, perhaps after the Graph API had accepted
    some of them."""
    return head["lease_until"] is not None and utc(head["lease_until"]) < now  # type: ignore[operator]


def _wait_for_status(
    connection: Connection, heads: list[Any], now: datetime, doubt: timedelta
) -> list[Any]:
    """Hold back the conversations whose head is in doubt: their rows with an ended lease wait
    `doubt` for a status webhook naming them (`record_statuses` then records the send), and
    only go again if none came. Released from the lease, they are claimed normally after the
    wait. The heads not in doubt, to claim now."""
    if doubt <= timedelta(0):
        return heads
    doubtful = [h["conversation_key"] for h in heads if _in_doubt(h, now)]
    if not doubtful:
        return heads
    connection.execute(
        update(outbox)
        .where(
            outbox.c.conversation_key.in_(doubtful),
            outbox.c.status == "pending",
            outbox.c.lease_until.is_not(None),
            outbox.c.lease_until < now,
        )
        .values(lease_until=None, next_attempt_at=now + doubt)
    )
    held = set(doubtful)
    return [h for h in heads if h["conversation_key"] not in held]


def _claim_runs(
    connection: Connection,
    now: datetime,
    limit: int,
    lease: timedelta,
    doubt: timedelta = timedelta(0),
) -> list[list[Claimed]]:
    heads = _wait_for_status(connection, _heads(connection, now, limit), now, doubt)
    if not heads:
        return []
    followers = _followers(connection, heads, now)
    runs = [[h, *followers.get(h["conversation_key"], [])] for h in heads]
    ids = [r["id"] for run in runs for r in run]
    connection.execute(_LEASE, {"ids": ids, "until": now + lease})
    return [[_claimed(r) for r in run] for run in runs]


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta = LEASE) -> list[Claimed]:
    """Lease up to `limit` due rows, each the head of its conversation's queue."""
    with engine.begin() as connection:
        rows = _heads(connection, now, limit)
        if rows:
            connection.execute(_LEASE, {"ids": [r["id"] for r in rows], "until": now + lease})
    return [_claimed(r) for r in rows]


_SENT = (
    update(outbox)
    .where(outbox.c.id == bindparam("row_id"))
    .values(
        status="sent",
        wamid=bindparam("row_wamid"),
        sent_at=bindparam("row_now"),
        last_error=None,
        lease_until=None,
        attempts=outbox.c.attempts + 1,
    )
)
_DEAD = (
    update(outbox)
    .where(outbox.c.id == bindparam("row_id"))
    .values(
        status="dead",
        last_error=bindparam("row_error"),
        lease_until=None,
        attempts=outbox.c.attempts + 1,
    )
)
_AGAIN = (
    update(outbox)
    .where(outbox.c.id == bindparam("row_id"))
    .values(
        next_attempt_at=bindparam("row_at"),
        lease_until=None,
        attempts=outbox.c.attempts + bindparam("row_counted"),
    )
)


def _settle(connection: Connection, results: list[Result], now: datetime) -> None:
    """One prepared statement per outcome, executed for many rows (executemany)."""
    sent = [{"row_id": r.id, "row_wamid": r.wamid, "row_now": now} for r in results if r.sent]
    dead = [
        {"row_id": r.id, "row_error": r.dead_reason}
        for r in results
        if not r.sent and r.dead_reason is not None
    ]
    again = [
        {"row_id": r.id, "row_at": r.retry_at or now, "row_counted": int(r.counted)}
        for r in results
        if not r.sent and r.dead_reason is None
    ]
    for statement, rows in ((_SENT, sent), (_DEAD, dead), (_AGAIN, again)):
        if rows:
            connection.execute(statement, rows)
    for r in results:  # rare: 131047 switched the message to its fallback template
        if r.new_payload is not None:
            connection.execute(
                update(outbox)
                .where(outbox.c.id == r.id)
                .values(payload=r.new_payload, fallback=None)
            )


def settle(engine: Engine, results: list[Result], now: datetime) -> None:
    """Record the outcome of each claimed row and release its lease."""
    if not results:
        return
    with engine.begin() as connection:
        _settle(connection, results, now)


def cycle(
    engine: Engine,
    results: list[Result],
    now: datetime,
    limit: int,
    lease: timedelta = LEASE,
    doubt: timedelta = timedelta(0),
) -> list[list[Claimed]]:
    """Settle the last batch and claim the next one in ONE transaction (one commit, one fsync
    on SQLite): up to `limit` conversations, each with its queue of due rows, in order. A
    conversation whose head is in doubt waits `doubt` first (`_wait_for_status`)."""
    with engine.begin() as connection:
        _settle(connection, results, now)
        return _claim_runs(connection, now, limit, lease, doubt)


def depth(engine: Engine, now: datetime) -> tuple[int, float]:
    """How many rows wait, and the age in seconds of the oldest."""
    from sqlalchemy import func

    with engine.connect() as connection:
        count, oldest = connection.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.status == "pending")
        ).one()
    age = (now - utc(oldest)).total_seconds() if oldest is not None else 0.0  # type: ignore[operator]
    return int(count), max(age, 0.0)
