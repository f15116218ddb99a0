"""What an operator needs to know about a hand-off: the lead's answers, the latest payment,
the booking and the flow, gathered from our records as JSON, and the same as pt-BR text (the
private note a desk such as Chatwoot shows its agents).

The records are the one source: the console gathers the context again each time it shows a
hand-off (`current`), so a meeting rescheduled or cancelled after the hand-off opened shows as
it is now, as on the bookings page; the copy kept with the hand-off is what it opened with."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from sqlalchemy import Connection, select

from dresbach.features.payments.model import is_money_pattern
from dresbach.features.scheduling.model import long_label
from dresbach.features.scheduling.records import STATUS_PT as BOOKING_STATUS_PT
from dresbach.features.techops.flow.labels import AREA_NAMES, FIELDS, SIZES, URGENCIES
from dresbach.kernel.documents import DocumentError, is_masked, parse_document
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.money import format_brl
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.observe.audit import mask_key
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import bookings, conversations, leads, payments

REASONS_PT = {
    "customer": "pediu para falar com um atendente",
    "consultant": "diagnóstico pago e reunião agendada",
}
PAYMENT_STATUS_PT = {
    "active": "aguardando pagamento",
    "paid": "pago",
    "expired": "expirado",
    "cancelled": "cancelado",
    "flagged": "em análise",
}
VALUES_PT = {"area": AREA_NAMES, "size": SIZES, "urgency": URGENCIES}
SECRET_ANSWERS = frozenset({"cnpj", "cpf", "document"})
"""Answers that are a CPF/CNPJ: the hand-off keeps them masked, never in clear."""


def _flow_title(name: str) -> str:
    """The flow's own title (`Flow.title`), or its name when there is no such flow."""
    flow = installed().machine.flows.get(name)
    return flow.title if flow is not None else name


def reason_pt(reason: str) -> str:
    return REASONS_PT.get(reason, reason)


def customer_label(profile_name: str | None, address: str) -> str:
    """How operators see the customer before opening the conversation: the WhatsApp profile
    name, or the number masked (a notification may land on a personal phone)."""
    name = (profile_name or "").strip()
    return name[:60] if name else mask_key(address)


def _moment(value: Any) -> str | None:
    moment = utc(value)
    return moment.isoformat() if moment is not None else None


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


def _payment(connection: Connection, key: str, lead_id: str | None) -> Any:
    query = select(payments)
    if lead_id:
        query = query.where(payments.c.lead_id == lead_id)
    else:
        query = query.where(payments.c.conversation_key == key)
    query = query.order_by(payments.c.created_at.desc()).limit(1)
    return connection.execute(query).mappings().first()


def _booking(connection: Connection, booking_id: str | None, lead_id: str | None) -> Any:
    """The meeting as it is now: from the booking the hand-off named, its reschedules followed
    to the newest; a booking of the same lead that holds a slot wins over a cancelled one."""
    row = None
    if booking_id:
        row = (
            connection.execute(select(bookings).where(bookings.c.booking_id == booking_id))
            .mappings()
            .first()
        )
        seen = {booking_id}
        while row is not None and row["status"] == "replaced":
            newer = (
                connection.execute(
                    select(bookings).where(
                        bookings.c.replaces == row["booking_id"],
                        bookings.c.conversation_key == row["conversation_key"],
                        bookings.c.ics_ref.is_not(None),
                    )
                )
                .mappings()
                .first()
            )
            if newer is None or newer["booking_id"] in seen:
                break
            seen.add(newer["booking_id"])
            row = newer
        lead_id = lead_id or (row["lead_id"] if row is not None else None)
    if (row is None or row["status"] != "booked") and lead_id:
        held = (
            connection.execute(
                select(bookings)
                .where(bookings.c.lead_id == lead_id, bookings.c.status == "booked")
                .order_by(bookings.c.created_at.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        row = held or row
    return row


def gather(
    connection: Connection,
    key: str,
    *,
    reason: str,
    flow: str,
    lead_id: str | None,
    booking_id: str | None,
) -> dict[str, Any]:
    """The context of a new hand-off, as JSON-able data."""
    conversation = (
        connection.execute(
            select(conversations.c.profile_name, conversations.c.address).where(
                conversations.c.key == key
            )
        )
        .mappings()
        .first()
    )
    context: dict[str, Any] = {
        "reason": reason,
        "flow": flow,
        "customer": {
            "name": conversation["profile_name"] if conversation else None,
            "address": conversation["address"] if conversation else key,
        },
        "lead": None,
        "payment": None,
        "booking": None,
    }
    lead = _lead(connection, key, lead_id)
    if lead is not None:
        lead_id = lead["lead_id"]
        context["lead"] = {
            "lead_id": lead["lead_id"],
            "status": lead["status"],
            "answers": _masked_answers(orjson.loads(lead["answers"] or "{}")),
        }
    payment = _payment(connection, key, lead_id)
    if payment is not None:
        context["payment"] = {
            "txid": payment["txid"],
            "amount": payment["amount"],
            "status": payment["status"],
            "paid_at": _moment(payment["paid_at"]),
        }
    booking = _booking(connection, booking_id, lead_id)
    if booking is not None:
        start = utc(booking["start_at"])
        assert start is not None
        context["booking"] = {
            "booking_id": booking["booking_id"],
            "start": start.astimezone(SAO_PAULO).isoformat(),
            "start_text": long_label(start),
            "status": booking["status"],
        }
    return context


def current(connection: Connection, handoff: Any) -> dict[str, Any]:
    """The context of an open hand-off as the records say now (see the module docstring)."""
    return gather(
        connection,
        handoff["conversation_key"],
        reason=handoff["reason"],
        flow=handoff["flow"],
        lead_id=handoff["lead_id"],
        booking_id=handoff["booking_id"],
    )


ACTIVE_LEAD = frozenset({"qualified", "offered", "paid", "scheduled", "handed_off"})
_MORE_AMOUNTS = re.compile(r"R\$|\b\d+(?:[.,]\d+)?\s*(?:mil|k)\b", re.IGNORECASE)


def states_amount(text: str) -> bool:
    """Whether an operator's text states an amount of money ("R$ 15.000", "15 mil", "20k")."""
    return is_money_pattern(text) or bool(_MORE_AMOUNTS.search(text))


def price_before_diagnosis(
    connection: Connection, handoff: Any, text: str, now: datetime, policy: Policy
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


def _amount(text: str) -> str:
    try:
        return format_brl(Decimal(text))
    except InvalidOperation:
        return text


def summary_lines(context: dict[str, Any]) -> list[str]:
    """The context in pt-BR, one fact a line (the console's summary, the desk's private note)."""
    lines = [
        f"Motivo: {reason_pt(str(context.get('reason', '')))}",
        f"Fluxo: {_flow_title(str(context.get('flow')))}",
    ]
    lead = context.get("lead")
    if lead:
        answers = lead.get("answers") or {}
        for field, value in answers.items():
            shown = VALUES_PT.get(field, {}).get(str(value), str(value))
            lines.append(f"{FIELDS.get(field, field)}: {shown}")
    payment = context.get("payment")
    if payment:
        status = PAYMENT_STATUS_PT.get(payment["status"], payment["status"])
        line = f"Pagamento: {_amount(payment['amount'])}, {status} (txid {payment['txid']})"
        if payment.get("paid_at"):
            paid_at = datetime.fromisoformat(payment["paid_at"]).astimezone(SAO_PAULO)
            line += f", pago em {paid_at:%d/%m/%Y}, {at_clock(paid_at)}"
        lines.append(line)
    booking = context.get("booking")
    if booking:
        status = BOOKING_STATUS_PT.get(booking["status"], booking["status"])
        lines.append(f"Reunião: {booking['start_text']} ({status})")
    return lines


def note_text(handoff_id: int, context: dict[str, Any]) -> str:
    """The private note that opens a desk conversation."""
    customer = context.get("customer") or {}
    who = customer_label(customer.get("name"), str(customer.get("address") or ""))
    header = f"Atendimento #{handoff_id} vindo do WhatsApp — {who}"
    return "\n".join([header, *summary_lines(context)])
