"""What Tech Ops adds to an operator's hand-off context: the lead's answers (a CPF/CNPJ kept
masked), and the company's price rule for an operator's reply (no project price before the
diagnosis)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from dresbach.features.payments.model import is_money_pattern
from dresbach.features.techops.flow.labels import AREA_NAMES, FIELDS, SIZES, URGENCIES
from dresbach.kernel.documents import DocumentError, is_masked, parse_document
from dresbach.kernel.money import format_brl
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import ContextSection, Refs
from dresbach.platform.store.schema import bookings, leads

VALUES_PT = {"area": AREA_NAMES, "size": SIZES, "urgency": URGENCIES}
SECRET_ANSWERS = frozenset({"cnpj", "cpf", "document"})
"""Answers that are a CPF/CNPJ: the hand-off keeps them masked, never in clear."""


def _masked_answers(answers: dict[str, Any]) -> dict[str, str]:
    masked = {}
    for field, value in answers.items():
        if field in SECRET_ANSWERS and is_masked(str(value)):
            masked[field] = str(value)  # as leads keep it
        elif field in SECRET_ANSWERS:
            try:
                masked[field] = parse_document(str(value)).masked
            except DocumentError:
                masked[field] = "***"
        else:
            masked[field] = str(value)
    return masked


def _lead(connection: Connection, key: str, lead_id: str | None) -> Any:
    query = select(leads)
    if lead_id:
        query = query.where(leads.c.lead_id == lead_id)
    else:  # "atendente" in the middle of a funnel: the conversation's latest lead
        query = query.where(leads.c.conversation_key == key).order_by(leads.c.updated_at.desc())
    return connection.execute(query.limit(1)).mappings().first()


def gather_lead(connection: Connection, key: str, refs: Refs) -> dict[str, Any] | None:
    """The hand-off's lead (or the conversation's latest); names it for the next sections."""
    lead = _lead(connection, key, refs.get("lead_id"))
    if lead is None:
        return None
    refs["lead_id"] = lead["lead_id"]
    return {
        "lead_id": lead["lead_id"],
        "status": lead["status"],
        "answers": _masked_answers(orjson.loads(lead["answers"] or "{}")),
    }


def lead_lines(lead: Mapping[str, Any]) -> list[str]:
    answers = lead.get("answers") or {}
    lines = []
    for field, value in answers.items():
        shown = VALUES_PT.get(field, {}).get(str(value), str(value))
        lines.append(f"{FIELDS.get(field, field)}: {shown}")
    return lines


LEAD = ContextSection(name="lead", gather=gather_lead, lines=lead_lines)

ACTIVE_LEAD = frozenset({"qualified", "offered", "paid", "scheduled", "handed_off"})
_MORE_AMOUNTS = re.compile(r"R\$|\b\d+(?:[.,]\d+)?\s*(?:mil|k)\b", re.IGNORECASE)


def states_amount(text: str) -> bool:
    """Whether an operator's text states an amount of money ("R$ 15.000", "15 mil", "20k")."""
    return is_money_pattern(text) or bool(_MORE_AMOUNTS.search(text))


def price_before_diagnosis(
    connection: Connection, handoff: Mapping[str, Any], text: str, now: datetime, policy: Policy
) -> bool:
    """The company's rule, for an operator's reply: no project price before the diagnosis.
    True when `text` states an amount in a Tech Ops conversation (the hand-off came from the
    funnel, or its lead is still open) whose diagnosis meeting has not happened yet. The
    diagnosis fee of the lead's area, once the offer was shown, is not a project price."""
    lead = _lead(connection, handoff["conversation_key"], handoff["lead_id"])
    techops = handoff["flow"] == "techops" or (lead is not None and lead["status"] in ACTIVE_LEAD)
    if not techops or not states_amount(text):
        return False
    if lead is not None:
        area = orjson.loads(lead["answers"] or "{}").get("area")
        fee = policy.diagnosis_fees.get(str(area)) if area else None
        if fee is not None and lead["status"] != "qualified":
            text = text.replace(format_brl(fee), " ")
            if not states_amount(text):
                return False
        held = connection.execute(
            select(bookings.c.booking_id).where(
                bookings.c.lead_id == lead["lead_id"],
                bookings.c.status == "booked",
                bookings.c.end_at <= now,
            )
        ).first()
        if held is not None:  # the diagnosis meeting took place
            return False
    return True
