"""The webhook stores, then answers; a worker steps. Two transactions per message instead of one:

1. `store_arrivals`, on the request path: each message's inbox row, deduplicated by its id, with
   the event sealed in `to_step`; what the inbox shows of it meanwhile is Meta's fields only
   (the text is kept by the step, masked or not at all, once it knows where the customer is).
   One commit for a whole batch (the pipeline's group commit); on PostgreSQL the commit also
   notifies the workers (`NOTIFY dresbach_inbox`).
2. `step_arrivals`, in a worker: the oldest waiting rows of conversations no other worker holds,
   each stepped under its own savepoint by the unit of work (`take_in_tx`, `arrived`), which
   completes the row and clears `to_step` in the same commit as the state and the outbox. A
   conversation is held for the transaction: by the single writer on SQLite (every pass takes
   the oldest rows of all), by a transaction-scoped advisory lock on PostgreSQL (so a worker
   killed mid-pass holds nothing once its connection is gone).

A crash after (1) loses nothing: the row waits. A crash in (2) rolls back: the row still waits,
and no step is written twice, since completing the row is the step's deduplication.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Select, bindparam, select, text, update

from dresbach.kernel.events import InboundEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound import arrival
from dresbach.platform.observe.correlation import bound, correlation_id_for
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import inbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore, is_postgres
from dresbach.platform.store.unit_of_work.at_rest import meta_only
from dresbach.platform.store.unit_of_work.batch import log_step
from dresbach.platform.store.unit_of_work.take import Duplicate, Taken, take_in_tx
from dresbach.platform.work.effects import took_jobs

log = logging.getLogger(__name__)

CHANNEL = "dresbach_inbox"
"""The PostgreSQL channel a commit of new arrivals notifies."""
LOCKS = 17017
"""The advisory lock space of the conversations being stepped (`pg_try_advisory_xact_lock`)."""
MAX_FAILURES = 5
"""Steps of one message that may fail before it is given up (with a defect), so that its
conversation goes on."""
CONVERSATIONS = 16
"""Conversations one PostgreSQL pass holds at most: other workers take the next ones."""


def store_arrivals(
    engine: Engine, items: list[tuple[InboundEvent, dict[str, Any]]], now: datetime, sealer: Sealer
) -> list[bool]:
    """Store each message's inbox row in one commit; True for each one new (False: a duplicate,
    by its id)."""
    fresh: list[bool] = []
    with engine.begin() as connection:
        for event, payload in items:
            row = {
                "message_id": event.message_id,
                "conversation_key": event.sender.key,
                "kind": event.kind,
                # Meta's fields only, until the step keeps what it may
                "payload": orjson.dumps(meta_only(payload)).decode(),
                "received_at": now,
                "not_understood": 0,
                "to_step": sealer.seal(arrival.encode(event, payload)),
                "step_failures": 0,
            }
            fresh.append(insert_ignore(connection, inbox, row, ["message_id"]))
        if any(fresh) and is_postgres(connection):
            connection.execute(text(f"NOTIFY {CHANNEL}"))
    return fresh


@dataclass(frozen=True, slots=True)
class Pass:
    """What one stepping pass did."""

    stepped: int = 0
    """Rows stepped (or given up)."""
    more: bool = False
    """Rows it saw waiting but left for the next pass (its time was up)."""
    jobs: bool = False
    """Whether its steps enqueued a job (for the job worker to wake)."""


_WAITING = (
    select(inbox.c.id, inbox.c.message_id, inbox.c.conversation_key, inbox.c.to_step)
    .where(inbox.c.to_step.is_not(None))
    .order_by(inbox.c.id)
)


@cache
def _waiting(limit: int, of_keys: bool = False) -> Select[Any]:
    """The oldest waiting rows (of the conversations named in `keys`), built once per limit: a
    pass runs it every time."""
    query = _WAITING
    if of_keys:
        query = query.where(inbox.c.conversation_key.in_(bindparam("keys", expanding=True)))
    return query.limit(limit)


def _claim(connection: Connection, limit: int) -> tuple[list[Any], bool]:
    """The waiting rows this pass may step, oldest first, and whether more wait than it took: on
    SQLite the oldest of all (the single writer holds every conversation); on PostgreSQL those
    of the conversations it could lock, read again once locked."""
    rows = list(connection.execute(_waiting(limit)).all())
    if not is_postgres(connection) or not rows:
        return rows, len(rows) == limit
    keys = list(dict.fromkeys(r.conversation_key for r in rows))
    held: list[str] = []
    for key in keys:
        if len(held) >= CONVERSATIONS:
            break
        locked = connection.execute(
            text("SELECT pg_try_advisory_xact_lock(:space, hashtext(:key))"),
            {"space": LOCKS, "key": key},
        ).scalar()
        if locked:
            held.append(key)
    if not held:
        return [], False
    claimed = list(connection.execute(_waiting(limit, of_keys=True), {"keys": held}).all())
    return claimed, len(claimed) == limit or len(held) < len(keys)


def step_arrivals(
    engine: Engine,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    observe_step: Callable[[float], None] | None = None,
    *,
    budget: float = 0.005,
    limit: int = 64,
    yield_to: Callable[[], bool] | None = None,
) -> Pass:
    """One pass: claim waiting rows and step them in arrival order, in one commit, each under a
    savepoint, until `budget` seconds are spent or `yield_to` says something else waits for the
    writer (acknowledgements: the webhooks' inserts); at least one is stepped."""
    started, stepped, more = time.perf_counter(), 0, False
    stuck: set[str] = set()
    with engine.begin() as connection:
        took_jobs(connection)  # what an earlier user of this connection left
        rows, more = _claim(connection, limit)
        for row in rows:
            if stepped and (
                time.perf_counter() - started > budget or (yield_to is not None and yield_to())
            ):
                more = True
                break
            if row.conversation_key in stuck:  # an earlier message of it failed: order first
                continue
            if _step_one(connection, row, now, policy, sealer, hooks, observe_step):
                stepped += 1
            else:
                stuck.add(row.conversation_key)
        jobs = took_jobs(connection)
    # a conversation stuck on a failed step waits for the next wake-up or poll, not a busy loop
    return Pass(stepped=stepped, more=more, jobs=jobs)


def _step_one(
    connection: Connection,
    row: Any,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    observe_step: Callable[[float], None] | None,
) -> bool:
    """Step one waiting row; False when the step failed and the row still waits."""
    with bound(correlation_id_for(row.message_id)):
        started = time.perf_counter()
        try:
            event, payload = arrival.decode(sealer.open(row.to_step))
            with connection.begin_nested():
                taken = take_in_tx(
                    connection, event, payload, now, policy, sealer, hooks, arrived=True
                )
        except Duplicate:  # stepped meanwhile by someone else: nothing written
            log.info("duplicate ignored")
            return True
        except Exception as error:
            log.exception("could not step a message")
            return _failed(connection, row.id, error)
        elapsed = time.perf_counter() - started
        if observe_step is not None:
            observe_step(elapsed)
        log_step(event, taken, elapsed)
        _log_defects(taken)
        return True


def _failed(connection: Connection, row_id: int, error: Exception) -> bool:
    """Count the failure; past `MAX_FAILURES` the message is given up with the reason as its
    defect (True: its conversation goes on). False while it is to be tried again."""
    count = connection.execute(
        update(inbox)
        .where(inbox.c.id == row_id)
        .values(step_failures=inbox.c.step_failures + 1)
        .returning(inbox.c.step_failures)
    ).scalar_one()
    if count < MAX_FAILURES:
        return False
    log.error("a message was given up after %d failed steps", count)
    defects = orjson.dumps([f"not stepped: {type(error).__name__}"]).decode()
    connection.execute(
        update(inbox).where(inbox.c.id == row_id).values(to_step=None, defects=defects)
    )
    return True


def _log_defects(taken: Taken) -> None:
    for defect in taken.defects:
        log.error("conversation defect: %s", defect)
