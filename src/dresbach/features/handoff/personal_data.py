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
from dresbach.platform.store.schema import handoff_notes, handoffs


def _ids(key: str) -> Any:
    """The ids of this user's hand-offs, as a subquery."""
    return select(handoffs.c.id).where(handoffs.c.conversation_key == key)


def held(connection: Connection, key: str) -> dict[str, Any]:
    notes = connection.execute(
        select(handoff_notes.c.handoff_id, handoff_notes.c.body, handoff_notes.c.created_at)
        .where(handoff_notes.c.handoff_id.in_(_ids(key)))
        .order_by(handoff_notes.c.id)
    ).all()
    return {
        "anotacoes_da_equipe": [
            {"atendimento": str(n.handoff_id), "em": iso(n.created_at), "texto": n.body}
            for n in notes
        ],
        "atendimentos_humanos": [
            {
                "pedido_em": iso(row["requested_at"]),
                "situacao": row["status"],
                "motivo": row["reason"],
                "assumido_em": iso(row["taken_at"]),
                "encerrado_em": iso(row["ended_at"]),
                "avaliacao": row["rating"],
                "comentario_da_avaliacao": row["rating_comment"],
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
        .values(context=orjson.dumps({"erased": ERASED}).decode(), rating_comment=None)
    )
    noted = connection.execute(
        update(handoff_notes).where(handoff_notes.c.handoff_id.in_(_ids(key))).values(body=ERASED)
    )
    return {"handoffs": int(changed.rowcount), "handoff_notes": int(noted.rowcount)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Closed hand-offs (and their context) ended longer ago than `handoffs`."""
    old = select(handoffs.c.id).where(
        handoffs.c.status.not_in(OPEN),
        func.coalesce(handoffs.c.ended_at, handoffs.c.requested_at) < now - retention.handoffs,
    )
    with engine.begin() as connection:
        notes = connection.execute(delete(handoff_notes).where(handoff_notes.c.handoff_id.in_(old)))
        removed = connection.execute(delete(handoffs).where(handoffs.c.id.in_(old)))
    return {"handoffs": int(removed.rowcount), "handoff_notes": int(notes.rowcount)}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
