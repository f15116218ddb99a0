"""What Tech Ops holds about a WhatsApp user (its leads), for the LGPD copy and the erasure,
its part of the retention purge, and its answers' words for the readable copy."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, or_, select, update

from dresbach.features.techops.flow.labels import AREA_TITLES, FIELDS, SIZES, URGENCIES
from dresbach.platform.feature import PersonalData
from dresbach.platform.store.database import iso
from dresbach.platform.store.schema import leads, payments

ANSWER_VALUES: dict[str, Mapping[str, str]] = {
    "area": AREA_TITLES,
    "size": SIZES,
    "urgency": URGENCIES,
}


def held(connection: Connection, key: str) -> dict[str, Any]:
    return {
        "cadastros_de_consultoria": [
            {
                "id": row["lead_id"],
                "situacao": row["status"],
                "motivo_da_perda": row["lost_reason"],
                "respostas": orjson.loads(row["answers"]),
                "criado_em": iso(row["created_at"]),
                "atualizado_em": iso(row["updated_at"]),
            }
            for row in connection.execute(
                select(leads).where(leads.c.conversation_key == key).order_by(leads.c.created_at)
            ).mappings()
        ]
    }


def erase(connection: Connection, key: str, now: datetime) -> dict[str, int]:
    changed = connection.execute(
        update(leads)
        .where(leads.c.conversation_key == key)
        .values(answers="{}", cnpj_sealed=None, updated_at=now)
    )
    return {"leads": int(changed.rowcount)}


def purge(engine: Engine, now: datetime, retention: Any) -> dict[str, int]:
    """Leads without news for `leads`: deleted, or answers emptied when a payment points to
    the lead."""
    cutoff = now - retention.leads
    paid = select(payments.c.lead_id)
    with engine.begin() as connection:
        emptied = connection.execute(
            update(leads)
            .where(
                leads.c.updated_at < cutoff,
                leads.c.lead_id.in_(paid),
                or_(leads.c.answers != "{}", leads.c.cnpj_sealed.is_not(None)),
            )
            .values(answers="{}", cnpj_sealed=None)
        ).rowcount
        deleted = connection.execute(
            delete(leads).where(leads.c.updated_at < cutoff, leads.c.lead_id.not_in(paid))
        ).rowcount
    return {"leads": deleted, "leads_anonymized": emptied}


def answer(field: str, value: str) -> str | None:
    """One answer of a Tech Ops form as `Label: value`, codes turned into their words."""
    if field not in FIELDS and field not in ANSWER_VALUES:
        return None
    shown = ANSWER_VALUES.get(field, {}).get(value, value)
    return f"{FIELDS.get(field, field)}: {shown}"


PERSONAL_DATA = PersonalData(held=held, erase=erase, purge=purge, answer=answer)
