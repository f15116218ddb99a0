"""What the hand-off holds about a WhatsApp user (its hand-offs and their context), for the
LGPD copy and the erasure, and its part of the retention purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, false, func, or_, select, update

from dresbach.features.handoff.files import PREFIX, file_prefix
from dresbach.features.handoff.records import OPEN
from dresbach.kernel.text import ERASED
from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import handoffs, media_blobs


def held(connection: Connection, key: str) -> dict[str, Any]:
    return {
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
        ]
    }


def _files_of(key: str, connection: Connection) -> Any:
    """The files operators sent in this conversation's hand-offs (`files.py`)."""
    ids = select(handoffs.c.id).where(handoffs.c.conversation_key == key)
    return or_(
        false(),
        *(
            media_blobs.c.ref.like(f"{file_prefix(handoff_id)}%")
            for handoff_id in connection.execute(ids).scalars()
        ),
    )


def erase(connection: Connection, key: str, _now: datetime) -> dict[str, int]:
    removed = connection.execute(delete(media_blobs).where(_files_of(key, connection)))
    changed = connection.execute(
        update(handoffs)
        .where(handoffs.c.conversation_key == key)
        .values(context=orjson.dumps({"erased": ERASED}).decode())
    )
    return {"handoffs": int(changed.rowcount), "operator_files": int(removed.rowcount)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Closed hand-offs (and their context) ended longer ago than `handoffs`; the files
    operators sent, once their messages are past the outbox's retention."""
    with engine.begin() as connection:
        files = connection.execute(
            delete(media_blobs).where(
                media_blobs.c.ref.like(f"{PREFIX}%"),
                media_blobs.c.created_at < now - retention.outbox,
            )
        )
        removed = connection.execute(
            delete(handoffs).where(
                handoffs.c.status.not_in(OPEN),
                func.coalesce(handoffs.c.ended_at, handoffs.c.requested_at)
                < now - retention.handoffs,
            )
        )
    return {"handoffs": int(removed.rowcount), "operator_files": int(files.rowcount)}


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
