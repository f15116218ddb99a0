"""The conversation row a step works on: found and locked, created when absent, and moved when
the customer's WhatsApp identity changes (a BSUID arrives, a number changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from dresbach.kernel.events import Event, IdentityChanged, InboundEvent
from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.sql import insert_ignore, is_postgres

_LOAD = select(conversations).where(conversations.c.key == bindparam("conversation_key"))
_LOCK = _LOAD.with_for_update()


def lock(connection: Connection, key: str, address: str, event: Event, now: datetime) -> Any:
    """The conversation row, locked for this transaction; created when absent (one round trip
    when it exists, the common case)."""
    query = _LOCK if is_postgres(connection) else _LOAD
    found = connection.execute(query, {"conversation_key": key}).mappings().first()
    if found is not None:
        return found
    wa_id = user_id = None
    if isinstance(event, InboundEvent):
        wa_id, user_id = event.sender.wa_id, event.sender.user_id
        if user_id and wa_id and wa_id != key:
            _adopt_phone_keyed(connection, old_key=wa_id, new_key=key)
    insert_ignore(
        connection,
        conversations,
        {
            "key": key,
            "address": address,
            "wa_id": wa_id,
            "user_id": user_id,
            "flow": "menu",
            "state": "new",
            "slots": "{}",
            "trail": "[]",
            "outbox_seq": 0,
            "version": 0,
            "created_at": now,
            "updated_at": now,
        },
        ["key"],
    )
    return connection.execute(query, {"conversation_key": key}).mappings().one()


def locked(connection: Connection, key: str) -> Any:
    """The conversation row, locked for this transaction; None when there is none."""
    query = _LOCK if is_postgres(connection) else _LOAD
    return connection.execute(query, {"conversation_key": key}).mappings().first()


def _adopt_phone_keyed(connection: Connection, *, old_key: str, new_key: str) -> None:
    """A conversation begun before Meta sent BSUIDs is keyed by phone: move it to the BSUID."""
    exists = connection.execute(
        select(conversations.c.key).where(conversations.c.key == new_key)
    ).first()
    if exists is None:
        _rekey(connection, old_key, new_key)


def _rekey(connection: Connection, old_key: str, new_key: str) -> None:
    connection.execute(
        update(conversations).where(conversations.c.key == old_key).values(key=new_key)
    )
    connection.execute(
        update(outbox).where(outbox.c.conversation_key == old_key).values(conversation_key=new_key)
    )
    connection.execute(
        update(inbox).where(inbox.c.conversation_key == old_key).values(conversation_key=new_key)
    )


def move_identity(connection: Connection, event: IdentityChanged) -> str:
    """Handle `user_changed_user_id` / `customer_changed_number`: the conversation follows."""
    old_key = event.sender.key
    new_key = event.new_user_id or (event.new_wa_id if not event.sender.user_id else None)
    if new_key and new_key != old_key:
        taken = connection.execute(
            select(conversations.c.key).where(conversations.c.key == new_key)
        ).first()
        if taken is None:
            _rekey(connection, old_key, new_key)
    if event.new_wa_id:
        connection.execute(
            update(conversations)
            .where(conversations.c.key == (new_key or old_key))
            .values(wa_id=event.new_wa_id, address=event.new_wa_id)
        )
    return new_key or old_key
