"""The writes of one step: the inbox row (deduplicated by message id), the outbox rows and the
new state. On PostgreSQL they are one statement (one round trip); on SQLite, three prepared
statements on the single writer connection.

A message the webhook stored when it arrived already has its inbox row (`arrived`): the step
completes that row instead of inserting it, and only while it is still waiting to be stepped
(`to_step` set), which is what deduplicates it then."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, bindparam, exists, insert, select, union_all, update
from sqlalchemy.dialects import postgresql

from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.sql import insert_ignore, is_postgres

SAVE_COLUMNS = (
    "address",
    "profile_name",
    "flow",
    "state",
    "slots",
    "trail",
    "last_activity_at",
    "last_inbound_at",
    "outbox_seq",
    "version",
    "updated_at",
    "flood_window_at",
    "flood_count",
    "sensitive_until",
    "held",
)
_SAVE = (
    update(conversations)
    .where(conversations.c.key == bindparam("conversation_key"))
    .values({name: bindparam(name) for name in SAVE_COLUMNS})
)


_INBOX_COLUMNS = (
    "message_id",
    "conversation_key",
    "kind",
    "payload",
    "received_at",
    "place",
    "defects",
    "not_understood",
)
_OUTBOX_COLUMNS = (
    "conversation_key",
    "seq",
    "recipient",
    "kind",
    "payload",
    "fallback",
    "callback_data",
    "status",
    "attempts",
    "next_attempt_at",
    "delivery_rank",
    "created_at",
)


_ENQUEUE = outbox.insert()
"""Built once: a step's replies, written at every step."""

_COMPLETED_COLUMNS = ("conversation_key", "kind", "payload", "place", "defects", "not_understood")
"""What a step writes to the inbox row of a message stored when it arrived."""
_COMPLETE = (
    update(inbox)
    .where(inbox.c.message_id == bindparam("i_message_id"), inbox.c.to_step.is_not(None))
    .values({c: bindparam(f"i_{c}", type_=inbox.c[c].type) for c in _COMPLETED_COLUMNS})
    .values(to_step=None)
)


def keep_inbox_row(connection: Connection, row: dict[str, Any], arrived: bool) -> bool:
    """Insert the step's inbox row, or complete the one written when the message `arrived`;
    False (nothing written) when the message was taken in or stepped before."""
    if not arrived:
        return insert_ignore(connection, inbox, row, ["message_id"])
    params = {f"i_{c}": row[c] for c in (*_COMPLETED_COLUMNS, "message_id")}
    return connection.execute(_COMPLETE, params).rowcount == 1


@cache
def _pg_step_statement(replies: int, arrived: bool = False) -> Executable:
    """PostgreSQL: inbox, outbox and state in ONE statement (one round trip), built once per
    number of outbox rows. Data-modifying CTEs all run; the outbox rows and the new state are
    written only when the inbox insert (or the completion of the row stored on arrival) went
    through, so a duplicate writes nothing."""
    if arrived:
        fresh = _COMPLETE.returning(inbox.c.id).cte("fresh")
    else:
        fresh = (
            postgresql.insert(inbox)
            .values({c: bindparam(f"i_{c}", type_=inbox.c[c].type) for c in _INBOX_COLUMNS})
            .on_conflict_do_nothing(index_elements=["message_id"])
            .returning(inbox.c.id)
            .cte("fresh")
        )
    went_through = exists(select(fresh.c.id))
    save = (
        update(conversations)
        .where(conversations.c.key == bindparam("s_key"), went_through)
        .values({c: bindparam(f"s_{c}", type_=conversations.c[c].type) for c in SAVE_COLUMNS})
        .returning(conversations.c.key)
        .cte("save")
    )
    query = select(fresh.c.id).add_cte(save)
    if replies:
        selects = [
            select(
                *(bindparam(f"q{n}_{c}", type_=outbox.c[c].type).label(c) for c in _OUTBOX_COLUMNS)
            ).where(went_through)
            for n in range(replies)
        ]
        source = union_all(*selects) if replies > 1 else selects[0]
        enqueue = (
            insert(outbox)
            .from_select(list(_OUTBOX_COLUMNS), source)
            .returning(outbox.c.id)
            .cte("enqueue")
        )
        query = query.add_cte(enqueue)
    return query


def _write_pg(
    connection: Connection,
    key: str,
    inbox_row: dict[str, Any],
    rows: list[dict[str, Any]],
    values: dict[str, Any],
    arrived: bool,
) -> bool:
    """One round trip for the whole step's writes; True when the event was new."""
    columns = (*_COMPLETED_COLUMNS, "message_id") if arrived else _INBOX_COLUMNS
    params: dict[str, Any] = {f"i_{c}": inbox_row[c] for c in columns}
    params.update({f"s_{c}": values[c] for c in SAVE_COLUMNS})
    params["s_key"] = key
    for n, outbox_row in enumerate(rows):
        params.update({f"q{n}_{c}": outbox_row.get(c) for c in _OUTBOX_COLUMNS})
    statement = _pg_step_statement(len(rows), arrived)
    return connection.execute(statement, params).first() is not None


def write_step(
    connection: Connection,
    key: str,
    inbox_row: dict[str, Any],
    rows: list[dict[str, Any]],
    values: dict[str, Any],
    *,
    arrived: bool = False,
) -> bool:
    """Write the step; False (and nothing written) when the message id was seen before (or,
    when it `arrived` stored, was stepped before)."""
    if is_postgres(connection):
        return _write_pg(connection, key, inbox_row, rows, values, arrived)
    if not keep_inbox_row(connection, inbox_row, arrived):
        return False
    if rows:
        connection.execute(_ENQUEUE, rows)
    connection.execute(_SAVE, {**values, "conversation_key": key})
    return True


def write_held_step(
    connection: Connection,
    key: str,
    held: list[str],
    inbox_values: dict[str, Any],
    rows: list[dict[str, Any]],
    values: dict[str, Any],
) -> None:
    """Write the step of held texts: their inbox rows (written when each was held) get where the
    turn led, the outbox rows and the new state are written as for any step."""
    connection.execute(update(inbox).where(inbox.c.message_id.in_(held)).values(inbox_values))
    if rows:
        connection.execute(_ENQUEUE, rows)
    connection.execute(_SAVE, {**values, "conversation_key": key})
