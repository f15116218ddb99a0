"""The notices' rows: each event sent once (its key unique in `notices_sent`, the outbox row
written in the same transaction), the numbers that said "parar", and the poll's cursors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, or_, select, update

from dresbach.features.notices.compose import in_window, message_of
from dresbach.features.notices.detection import Cursors
from dresbach.features.notices.model import Contact, Notice
from dresbach.kernel import codec
from dresbach.kernel.messages import Template
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import (
    conversations,
    notice_cursors,
    notice_optouts,
    notices_sent,
    outbox,
)
from dresbach.platform.store.sql import insert_ignore

INVOICE_CURSOR = "invoice_id"
ANSWER_CURSOR = "answered_at"
POLLED_AT = "polled_at"
"""When a process last claimed the poll (UTC, ISO 8601: compared as text)."""


def hashed(address: str) -> str:
    """What an erased opt-out keeps of the number: enough to honour it, not to read it."""
    return "sha256:" + hashlib.sha256(address.encode()).hexdigest()


# ---- the cursors -----------------------------------------------------------------------------


def cursors(connection: Connection) -> Cursors:
    kept = dict(connection.execute(select(notice_cursors.c.name, notice_cursors.c.value)).all())
    invoice = kept.get(INVOICE_CURSOR)
    answered = kept.get(ANSWER_CURSOR)
    return Cursors(
        invoice_id=int(invoice) if invoice and invoice.isdigit() else None,
        answered_at=datetime.fromisoformat(answered) if answered else None,
    )


def keep_cursors(engine: Engine, moved: Cursors, now: datetime) -> None:
    values = {
        INVOICE_CURSOR: str(moved.invoice_id) if moved.invoice_id is not None else None,
        ANSWER_CURSOR: moved.answered_at.isoformat() if moved.answered_at else None,
    }
    with engine.begin() as connection:
        for name, value in values.items():
            if value is not None:
                _keep(connection, name, value, now)


def _keep(connection: Connection, name: str, value: str, now: datetime) -> None:
    """Set a cursor (two processes at once: the last one wins, neither fails)."""
    row = {"name": name, "value": value, "updated_at": now}
    if not insert_ignore(connection, notice_cursors, row, ["name"]):
        connection.execute(
            update(notice_cursors)
            .where(notice_cursors.c.name == name)
            .values(value=value, updated_at=now)
        )


def claim_poll(engine: Engine, now: datetime, every: timedelta) -> bool:
    """Whether this process polls now: one process per period, however many run the timer
    (the claim is one conditional UPDATE on the `polled_at` row)."""
    with engine.begin() as connection:
        row = {"name": POLLED_AT, "value": "", "updated_at": now}
        insert_ignore(connection, notice_cursors, row, ["name"])
        claimed = connection.execute(
            update(notice_cursors)
            .where(
                notice_cursors.c.name == POLLED_AT,
                or_(
                    notice_cursors.c.value == "",
                    notice_cursors.c.value <= (now - every).isoformat(),
                ),
            )
            .values(value=now.isoformat(), updated_at=now)
        )
        return int(claimed.rowcount) == 1


def read_cursors(engine: Engine) -> Cursors:
    with engine.connect() as connection:
        return cursors(connection)


# ---- who said "parar" ------------------------------------------------------------------------


def _address_of(connection: Connection, key: str) -> str:
    """The WhatsApp number of a conversation (its key when the number is not known)."""
    wa_id = connection.execute(
        select(conversations.c.wa_id).where(conversations.c.key == key)
    ).scalar_one_or_none()
    return str(wa_id or key)


def stop(connection: Connection, key: str, now: datetime) -> None:
    """ "parar": no more notices to this conversation's number (saying it twice changes nothing)."""
    address = _address_of(connection, key)
    insert_ignore(
        connection,
        notice_optouts,
        {"address": address, "conversation_key": key, "opted_out_at": now},
        ["address"],
    )


def resume(connection: Connection, key: str) -> None:
    """ "voltar a receber": the opt-out of this number is gone, erased or not."""
    addresses = {_address_of(connection, key), key}
    every = addresses | {hashed(a) for a in addresses}
    connection.execute(delete(notice_optouts).where(notice_optouts.c.address.in_(every)))


def opted_out(connection: Connection, number: str) -> bool:
    found = connection.execute(
        select(notice_optouts.c.address).where(
            notice_optouts.c.address.in_((number, hashed(number)))
        )
    ).first()
    return found is not None


# ---- sending, once ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Sent:
    event_key: str
    via: str
    """`text` or `template`; `opted_out` or `already` when nothing went."""


def _conversation_of(connection: Connection, number: str) -> tuple[str, datetime | None]:
    """The conversation with this number (its key and when the customer last wrote), or the
    number itself when they never wrote."""
    row = connection.execute(
        select(conversations.c.key, conversations.c.last_inbound_at)
        .where(or_(conversations.c.wa_id == number, conversations.c.key == number))
        .order_by(conversations.c.last_inbound_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return number, None
    return str(row[0]), utc(row[1])


def send_once(engine: Engine, notice: Notice, contact: Contact, site: str, now: datetime) -> Sent:
    """Record the event and queue its message in one transaction: a second poll, a hook and a
    poll, or two workers at once, send it once."""
    assert contact.number is not None
    number = contact.number
    with engine.begin() as connection:
        if opted_out(connection, number):
            return Sent(event_key=notice.event_key, via="opted_out")
        key, last_inbound = _conversation_of(connection, number)
        message = message_of(notice, contact.name, site, last_inbound, now)
        via = "text" if in_window(last_inbound, now) else "template"
        inserted = insert_ignore(
            connection,
            notices_sent,
            {
                "event_key": notice.event_key,
                "kind": notice.kind,
                "client_id": notice.client_id,
                "recipient": number,
                "conversation_key": key,
                "via": via,
                "sent_at": now,
            },
            ["event_key"],
        )
        if not inserted:
            return Sent(event_key=notice.event_key, via="already")
        connection.execute(outbox.insert().values(**_outbox_row(notice, number, message, now)))
    return Sent(event_key=notice.event_key, via=via)


def _outbox_row(notice: Notice, number: str, message: Any, now: datetime) -> dict[str, Any]:
    fallback = getattr(message, "fallback", None)
    kept = codec.encode(fallback) if isinstance(fallback, Template) else None
    return {
        "conversation_key": f"notice:{notice.event_key}",
        "seq": 1,
        "recipient": number,
        "kind": "message",
        "payload": orjson.dumps(codec.encode(message)).decode(),
        "fallback": orjson.dumps(kept).decode() if kept is not None else None,
        "callback_data": f"notice:{notice.event_key}"[:200],
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "delivery_rank": 0,
        "created_at": now,
    }


def sent_keys(engine: Engine, keys: list[str]) -> set[str]:
    """Which of these events were already sent (the poll skips their WHMCS look-ups)."""
    if not keys:
        return set()
    with engine.connect() as connection:
        rows = connection.execute(
            select(notices_sent.c.event_key).where(notices_sent.c.event_key.in_(keys))
        ).scalars()
        return set(rows)
