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
from dresbach.platform.store.schema import handoff_transfers, handoffs


def _transfers_of(key: str) -> Any:
    return handoff_transfers.c.handoff_id.in_(
        select(handoffs.c.id).where(handoffs.c.conversation_key == key)
    )


def held(connection: Connection, key: str) -> dict[str, Any]:
    moves = connection.execute(
        select(handoff_transfers).where(_transfers_of(key)).order_by(handoff_transfers.c.id)
    ).mappings()
    return {
        "transferencias_de_atendimento": [
            {
                "em": iso(row["at"]),
                "para_equipe": row["to_team"],
                "com_nota_interna": bool(row["note"]),
            }
            for row in moves
        ],
        "atendimentos_humanos": [
            {
                "pedido_em": iso(row["requested_at"]),
                "situacao": row["status"],
                "motivo": row["reason"],
                "assumido_em": iso(row["taken_at"]),
                "encerrado_em": iso(row["ended_at"]),
            }
            for row in connection.execute(
                select(handoffs).where(handoffs.c.conversation_key == key).order_by(handoffs.c.id)
            ).mappings()
        ],
    }


def erase(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    changed = connection.execute(
        update(handoffs)
        .where(handoffs.c.conversation_key == key)
        .values(context=orjson.dumps({"erased": ERASED}).decode())
    )
    notes = connection.execute(
        update(handoff_transfers).where(_transfers_of(key)).values(note=None)
    )
    return {"handoffs": int(changed.rowcount), "handoff_notes": int(notes.rowcount)}


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
        connection.execute(
            delete(handoff_transfers).where(
                handoff_transfers.c.handoff_id.not_in(select(handoffs.c.id))
            )
        )
    return {"handoffs": int(removed.rowcount)}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
