"""The conversation row a step works on: found and locked, created when absent, and moved when
the customer's WhatsApp identity changes (a BSUID arrives, a number changes)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, or_, select, update

from dresbach.kernel.events import Event, IdentityChanged, InboundEvent, Sender, is_bsuid
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


def known(row: Any, event: InboundEvent) -> Any:
    """The row with both of the sender's identities kept: a phone number Meta now gives for a
    customer known by BSUID only (or a new one), a BSUID for one known by phone. Replies go to
    the phone number whenever one is known (Meta recommends it; `to`), else to the BSUID
    (`recipient`). And the ad the customer came from (`referral`), the first one only: the ad
    that began the conversation."""
    sender = event.sender
    values = {
        "wa_id": sender.wa_id or row["wa_id"],
        "user_id": sender.user_id or row["user_id"],
        "address": sender.wa_id or row["wa_id"] or row["address"],
        "referral": row["referral"],
    }
    if event.referral is not None and row["referral"] is None:
        values["referral"] = orjson.dumps(
            {k: v for k, v in asdict(event.referral).items() if v is not None}
        ).decode()
    if all(values[name] == row[name] for name in values):
        return row
    return {**row, **values}


def keep_known(connection: Connection, row: Any, event: InboundEvent) -> Any:
    """`known`, written to the conversation when it changed (rarely: one UPDATE then)."""
    found = known(row, event)
    if found is not row:
        connection.execute(
            update(conversations)
            .where(conversations.c.key == row["key"])
            .values({name: found[name] for name in ("wa_id", "user_id", "address", "referral")})
        )
    return found


def _conversation_of(connection: Connection, sender: Sender) -> Any:
    """The conversation of whoever sent a `system` change: by its key (the BSUID, or the phone
    number for one begun before BSUIDs), else by the identity it keeps (a conversation keyed by
    BSUID whose customer's `system` webhook names only the old phone number, as Meta's
    reference shows it)."""
    ids = [i for i in (sender.user_id, sender.wa_id) if i]
    by_key = connection.execute(select(conversations).where(conversations.c.key.in_(ids)))
    found = by_key.mappings().first()
    if found is not None:
        return found
    kept = []
    if sender.user_id:
        kept.append(conversations.c.user_id == sender.user_id)
    if sender.wa_id:
        kept.append(conversations.c.wa_id == sender.wa_id)
    query = select(conversations).where(or_(*kept)).order_by(conversations.c.updated_at.desc())
    return connection.execute(query.limit(1)).mappings().first()


def move_identity(connection: Connection, event: IdentityChanged) -> str:
    """Handle `user_changed_number` / `user_changed_user_id` (Meta's "System messages webhook
    reference" and "Business-scoped user IDs" pages): the conversation, its inbox and its outbox
    follow the customer to the new key, with both new identities kept on it. A conversation
    keyed by phone number moves to the new BSUID when Meta gives one, else to the new number;
    one keyed by BSUID moves to the new BSUID (a BSUID changes with the number)."""
    row = _conversation_of(connection, event.sender)
    if row is None:
        return event.new_user_id or event.new_wa_id or event.sender.key
    old_key = row["key"]
    new_key = event.new_user_id or (
        event.new_wa_id if event.new_wa_id and not is_bsuid(old_key) else old_key
    )
    if new_key != old_key:
        taken = connection.execute(
            select(conversations.c.key).where(conversations.c.key == new_key)
        ).first()
        if taken is None:
            _rekey(connection, old_key, new_key)
    wa_id = event.new_wa_id or row["wa_id"]
    user_id = event.new_user_id or row["user_id"]
    connection.execute(
        update(conversations)
        .where(conversations.c.key == new_key)
        .values(wa_id=wa_id, user_id=user_id, address=wa_id or user_id or new_key)
    )
    return new_key
