"""What the hand-off holds about a WhatsApp user (its hand-offs and their context), for the
LGPD copy and the erasure, and its part of the retention purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, select, update

from dresbach.features.handoff.records import OPEN
from dresbach.kernel.text import ERASED
from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import handoffs


def held(connection: Connection, key: str) -> dict[str, Any]:
    return {
        "atendimentos_humanos": [
            {
                "pedido_em": iso(row["requested_at"]),
                "situacao": row["status"],
                "motivo": row["reason"],
                "assumido_em": iso(row["taken_at"]),
                "encerrado_em": iso(row["ended_at"]),
                "nota": row["rating"],
                "comentario": row["rating_comment"],
            }
            for row in connection.execute(
                select(handoffs).where(handoffs.c.conversation_key == key).order_by(handoffs.c.id)
            ).mappings()
        ]
    }


def erase(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    changed = connection.execute(
        update(handoffs)
        .where(handoffs.c.conversation_key == key)
        .values(context=orjson.dumps({"erased": ERASED}).decode(), rating_comment=None)
    )
    return {"handoffs": int(changed.rowcount)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Closed hand-offs (and their context) ended longer ago than `handoffs`."""
    with engine.begin() as connection:
        removed = connection.execute(
            delete(handoffs).where(
                handoffs.c.status.not_in(OPEN),
                func.coalesce(handoffs.c.ended_at, handoffs.c.requested_at)
                < now - retention.handoffs,
            )
        )
    return {"handoffs": int(removed.rowcount)}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
