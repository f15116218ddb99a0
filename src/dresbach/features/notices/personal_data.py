"""What the notices hold about a WhatsApp user (the notices sent to their number, and whether
they said "parar"), for the LGPD copy and the erasure, and its part of the retention purge.

The erasure anonymizes the sent notices and their messages (the event keys stay, so none is
sent again; a message not sent yet still goes) and keeps
an opt-out only as the number's SHA-256: the objection goes on being honoured without the number
being kept readable."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Engine, delete, or_, select, update

from dresbach.features.notices.records import hashed
from dresbach.features.notices.texts import KIND_NAMES, VIA_NAMES
from dresbach.kernel.text import ERASED
from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import conversations, notice_optouts, notices_sent, outbox

KEEP_SENT: Final = timedelta(days=400)
"""A sent notice is kept 13 months (what was told, when: a customer's complaint), then purged."""

ERASED_RECIPIENT: Final = "removido"
ERASED_MESSAGE: Final = orjson.dumps({"t": "text", "body": ERASED, "preview_url": False}).decode()


def _addresses(connection: Connection, key: str) -> set[str]:
    wa_id = connection.execute(
        select(conversations.c.wa_id).where(conversations.c.key == key)
    ).scalar_one_or_none()
    return {key, str(wa_id)} if wa_id else {key}


def held(connection: Connection, key: str) -> dict[str, Any]:
    addresses = _addresses(connection, key)
    sent = connection.execute(
        select(notices_sent)
        .where(
            or_(
                notices_sent.c.conversation_key == key,
                notices_sent.c.recipient.in_(addresses),
            )
        )
        .order_by(notices_sent.c.id)
    ).mappings()
    stopped = connection.execute(
        select(notice_optouts.c.opted_out_at).where(notice_optouts.c.address.in_(addresses))
    ).scalar_one_or_none()
    return {
        "avisos_enviados": [
            {
                "aviso": KIND_NAMES.get(row["kind"], row["kind"]),
                "enviado_em": iso(row["sent_at"]),
                "como": VIA_NAMES.get(row["via"], row["via"]),
            }
            for row in sent
        ],
        "avisos_recusados_em": iso(stopped),
    }


def erase(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    addresses = _addresses(connection, key)
    changed = connection.execute(
        update(notices_sent)
        .where(
            or_(
                notices_sent.c.conversation_key == key,
                notices_sent.c.recipient.in_(addresses),
            )
        )
        .values(recipient=ERASED_RECIPIENT, conversation_key=ERASED, client_id="")
    )
    said = connection.execute(
        update(outbox)
        .where(
            outbox.c.conversation_key.like("notice:%"),
            outbox.c.recipient.in_(addresses),
            outbox.c.status != "pending",  # what is not sent yet still goes
        )
        .values(payload=ERASED_MESSAGE, fallback=None)
    )
    rows = connection.execute(
        select(notice_optouts).where(notice_optouts.c.address.in_(addresses))
    ).mappings()
    kept = [dict(row) for row in rows]
    for row in kept:
        connection.execute(delete(notice_optouts).where(notice_optouts.c.address == row["address"]))
        connection.execute(
            notice_optouts.insert().values(
                address=hashed(row["address"]),
                conversation_key=None,
                opted_out_at=row["opted_out_at"],
            )
        )
    return {
        "notices_sent": int(changed.rowcount),
        "notice_messages": int(said.rowcount),
        "notice_optouts": len(kept),
    }


def purge(engine: Engine, now: datetime, _retention: Any) -> dict[str, int]:
    with engine.begin() as connection:
        removed = connection.execute(
            delete(notices_sent).where(notices_sent.c.sent_at < now - KEEP_SENT)
        )
    return {"notices_sent": int(removed.rowcount)}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
