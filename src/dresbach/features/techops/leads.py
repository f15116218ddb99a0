"""Leads of the Tech Ops funnel, for operators (console and CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection, Engine, select, update

from dresbach.kernel.commands import RecordLead
from dresbach.kernel.documents import DocumentError, parse_document
from dresbach.platform.observe import audit
from dresbach.platform.observe.redaction import mask_documents
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import conversations, leads
from dresbach.platform.store.sealing import Sealer, is_sealed
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import as_json

STATUSES = ("qualified", "offered", "paid", "scheduled", "handed_off", "lost")


def _sealed_document(sealer: Sealer | None, document: str | None) -> str | None:
    """The lead's CNPJ as it is kept: sealed (already sealed when the step ran without the
    sealer, which `records` then leaves as it is)."""
    if not document or is_sealed(document):
        return document or None
    if sealer is None:
        raise ValueError("a lead's CNPJ needs the sealer")
    return sealer.seal(document)


def record_lead(
    connection: Connection, key: str, command: RecordLead, now: datetime, sealer: Sealer | None
) -> None:
    """The effect of `RecordLead`, in the step's transaction: the lead saved or updated."""
    # a document typed into an answer (the description, the company) is not kept in clear
    answers = (
        as_json({field: mask_documents(str(v)) for field, v in command.answers.items()})
        if command.answers is not None
        else None
    )
    cnpj_sealed = _sealed_document(sealer, command.document)
    created = insert_ignore(
        connection,
        leads,
        {
            "lead_id": command.lead_id,
            "conversation_key": key,
            "status": command.status,
            "answers": answers or "{}",
            "lost_reason": command.lost_reason,
            "created_at": now,
            "updated_at": now,
            "cnpj_sealed": cnpj_sealed,
        },
        ["lead_id"],
    )
    if not created:
        changes: dict[str, object] = {
            "status": command.status,
            "lost_reason": command.lost_reason,
            "updated_at": now,
        }
        if answers is not None:  # None: the answers (and the CNPJ) saved before stay as they are
            changes["answers"] = answers
            changes["cnpj_sealed"] = cnpj_sealed
        connection.execute(update(leads).where(leads.c.lead_id == command.lead_id).values(changes))


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
    has_cnpj: bool = False
    """The lead gave a CNPJ, kept sealed: an operator may reveal it (`reveal_cnpj`)."""
    referral: dict[str, str] | None = None
    """The Click-to-WhatsApp ad the conversation began from (source_id, source_type, headline,
    ctwa_clid…), as the conversation keeps it; None when it did not come from an ad."""


def _referral(kept: str | None) -> dict[str, str] | None:
    if not kept:
        return None
    found = orjson.loads(kept)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None


def list_leads(engine: Engine, status: str | None = None, limit: int = 200) -> list[Lead]:
    """The most recently updated leads first, optionally of one status."""
    query = (
        select(
            leads,
            conversations.c.profile_name,
            conversations.c.address,
            conversations.c.referral,
        )
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
            has_cnpj=r["cnpj_sealed"] is not None,
            referral=_referral(r["referral"]),
        )
        for r in rows
    ]


def reveal_cnpj(
    engine: Engine, sealer: Sealer, lead_id: str, operator: str, now: datetime
) -> str | None:
    """The CNPJ a lead gave, formatted (`12.ABC.345/01DE-35`), for the operator who issues the
    receipt in the company's name; None when the lead has none. Every reveal is in the audit
    log with the operator's username, in the same transaction."""
    with engine.begin() as connection:
        sealed = connection.execute(
            select(leads.c.cnpj_sealed).where(leads.c.lead_id == lead_id)
        ).scalar()
        if not sealed:
            return None
        try:
            document = parse_document(sealer.open(str(sealed)))
        except DocumentError:  # pragma: no cover - only valid numbers are sealed
            return None
        audit.record(
            connection,
            who=operator,
            action="cnpj_revealed",
            now=now,
            document_masked=document.masked,
            detail=f"lead {lead_id}",
            mask=False,
        )
    return document.formatted
