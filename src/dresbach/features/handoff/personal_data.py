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
from dresbach.platform.store.schema import handoff_notes, handoff_transfers, handoffs, media_blobs


def _ids(key: str) -> Any:
    """The ids of this user's hand-offs, as a subquery."""
    return select(handoffs.c.id).where(handoffs.c.conversation_key == key)


def held(connection: Connection, key: str) -> dict[str, Any]:
    notes = connection.execute(
        select(handoff_notes.c.handoff_id, handoff_notes.c.body, handoff_notes.c.created_at)
        .where(handoff_notes.c.handoff_id.in_(_ids(key)))
        .order_by(handoff_notes.c.id)
    ).all()
    moves = connection.execute(
        select(handoff_transfers)
        .where(handoff_transfers.c.handoff_id.in_(_ids(key)))
        .order_by(handoff_transfers.c.id)
    ).mappings()
    return {
        "anotacoes_da_equipe": [
            {"atendimento": str(n.handoff_id), "em": iso(n.created_at), "texto": n.body}
            for n in notes
        ],
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
                "avaliacao": row["rating"],
                "comentario_da_avaliacao": row["rating_comment"],
            }
            for row in connection.execute(
                select(handoffs).where(handoffs.c.conversation_key == key).order_by(handoffs.c.id)
            ).mappings()
        ],
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
        .values(context=orjson.dumps({"erased": ERASED}).decode(), rating_comment=None)
    )
    noted = connection.execute(
        update(handoff_notes).where(handoff_notes.c.handoff_id.in_(_ids(key))).values(body=ERASED)
    )
    moved = connection.execute(
        update(handoff_transfers)
        .where(handoff_transfers.c.handoff_id.in_(_ids(key)))
        .values(note=None)
    )
    return {
        "handoffs": int(changed.rowcount),
        "handoff_notes": int(noted.rowcount),
        "handoff_transfer_notes": int(moved.rowcount),
        "operator_files": int(removed.rowcount),
    }


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Closed hand-offs (and their context) ended longer ago than `handoffs`; the files
    operators sent, once their messages are past the outbox's retention."""
    old = select(handoffs.c.id).where(
        handoffs.c.status.not_in(OPEN),
        func.coalesce(handoffs.c.ended_at, handoffs.c.requested_at) < now - retention.handoffs,
    )
    with engine.begin() as connection:
        files = connection.execute(
            delete(media_blobs).where(
                media_blobs.c.ref.like(f"{PREFIX}%"),
                media_blobs.c.created_at < now - retention.outbox,
            )
        )
        notes = connection.execute(delete(handoff_notes).where(handoff_notes.c.handoff_id.in_(old)))
        connection.execute(delete(handoff_transfers).where(handoff_transfers.c.handoff_id.in_(old)))
        removed = connection.execute(delete(handoffs).where(handoffs.c.id.in_(old)))
    return {
        "handoffs": int(removed.rowcount),
        "handoff_notes": int(notes.rowcount),
        "operator_files": int(files.rowcount),
    }


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge)
