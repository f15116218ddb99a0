"""What an operator needs to know about a hand-off: the reason, the flow and the sections the
features register (`Feature.context`: the lead's answers, the latest payment, the booking),
gathered from our records as JSON, and the same as pt-BR text (the private note a desk such as
Chatwoot shows its agents).

The records are the one source: the console gathers the context again each time it shows a
hand-off (`current`), so a meeting rescheduled or cancelled after the hand-off opened shows as
it is now, as on the bookings page; the copy kept with the hand-off is what it opened with."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, select

from dresbach.features.handoff.flow.topics import TOPICS_PT
from dresbach.platform.feature import installed
from dresbach.platform.observe.audit import mask_key
from dresbach.platform.store.schema import conversations

REASONS_PT = {
    "customer": "pediu para falar com um atendente",
    "consultant": "diagnóstico pago e reunião agendada",
}


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


def gather(
    connection: Connection,
    key: str,
    *,
    reason: str,
    flow: str,
    lead_id: str | None,
    booking_id: str | None,
) -> dict[str, Any]:
    """The context of a new hand-off, as JSON-able data: each registered section under its
    name (None when it has nothing), in the features' order."""
    conversation = (
        connection.execute(
            select(conversations.c.profile_name, conversations.c.address).where(
                conversations.c.key == key
            )
        )
        .mappings()
        .first()
    )
    sections = installed().context
    context: dict[str, Any] = {
        "reason": reason,
        "flow": flow,
        "customer": {
            "name": conversation["profile_name"] if conversation else None,
            "address": conversation["address"] if conversation else key,
        },
        **{section.name: None for section in sections},
    }
    refs: dict[str, str | None] = {"lead_id": lead_id, "booking_id": booking_id}
    for section in sections:
        context[section.name] = section.gather(connection, key, refs)
    return context


def current(connection: Connection, handoff: Any) -> dict[str, Any]:
    """The context of an open hand-off as the records say now (see the module docstring); why
    the person was asked for is what it opened with."""
    context = gather(
        connection,
        handoff["conversation_key"],
        reason=handoff["reason"],
        flow=handoff["flow"],
        lead_id=handoff["lead_id"],
        booking_id=handoff["booking_id"],
    )
    kept = orjson.loads(handoff["context"] or "{}")
    if isinstance(kept, dict) and kept.get("topic"):
        context["topic"] = kept["topic"]
    return context


def summary_lines(context: dict[str, Any]) -> list[str]:
    """The context in pt-BR, one fact a line (the console's summary, the desk's private note)."""
    lines = [
        f"Motivo: {reason_pt(str(context.get('reason', '')))}",
        f"Fluxo: {_flow_title(str(context.get('flow')))}",
    ]
    if context.get("topic"):
        topic = str(context["topic"])
        lines.append(f"Assunto: {TOPICS_PT.get(topic, topic)}")
    for section in installed().context:
        data = context.get(section.name)
        if data:
            lines.extend(section.lines(data))
    return lines


def note_text(handoff_id: int, context: dict[str, Any]) -> str:
    """The private note that opens a desk conversation."""
    customer = context.get("customer") or {}
    who = customer_label(customer.get("name"), str(customer.get("address") or ""))
    header = f"Atendimento #{handoff_id} vindo do WhatsApp — {who}"
    return "\n".join([header, *summary_lines(context)])
