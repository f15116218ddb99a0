"""Leads of the Tech Ops funnel, for operators (console and CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Engine, select

from dresbach.runtime.database import utc
from dresbach.runtime.schema import conversations, leads

STATUSES = ("qualified", "offered", "paid", "scheduled", "handed_off", "lost")


@dataclass(frozen=True, slots=True, kw_only=True)
class Lead:
    lead_id: str
    conversation_key: str
    customer: str
    status: str
    lost_reason: str | None
    answers: dict[str, str]
    created_at: datetime
    updated_at: datetime


def list_leads(engine: Engine, status: str | None = None, limit: int = 200) -> list[Lead]:
    """The most recently updated leads first, optionally of one status."""
    query = (
        select(leads, conversations.c.profile_name, conversations.c.address)
        .outerjoin(conversations, conversations.c.key == leads.c.conversation_key)
        .order_by(leads.c.updated_at.desc())
        .limit(limit)
    )
    if status:
        query = query.where(leads.c.status == status)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        Lead(
            lead_id=r["lead_id"],
            conversation_key=r["conversation_key"],
            customer=r["profile_name"] or r["address"] or r["conversation_key"],
            status=r["status"],
            lost_reason=r["lost_reason"],
            answers={str(k): str(v) for k, v in orjson.loads(r["answers"]).items()},
            created_at=utc(r["created_at"]) or r["created_at"],
            updated_at=utc(r["updated_at"]) or r["updated_at"],
        )
        for r in rows
    ]
