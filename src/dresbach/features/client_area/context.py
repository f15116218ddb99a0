"""What the Área do Cliente adds to an operator's hand-off context: who the logged-in client
is (the document masked, the billing system's client, the name) and the service, domain,
ticket or invoice the customer was looking at, read from the conversation's slots (never the
document in clear: it is forgotten once the password is sent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import Connection, select

from dresbach.features.client_area.flow import slots as s
from dresbach.platform.feature import ContextSection, Refs
from dresbach.platform.store.schema import conversations

SECTIONS_PT = {
    "invoices": "faturas",
    "invoice": "faturas",
    "services": "serviços",
    "access_service": "acessos",
    "domains": "domínios",
    "tickets": "chamados",
}


def _row_of(slots: Mapping[str, Any], source: str, wanted: object) -> Mapping[str, Any]:
    """The row with this id among the data the session fetched (`s.SOURCES`), or {}."""
    rows = slots.get(source)
    if wanted is None or not isinstance(rows, list):
        return {}
    return next((r for r in rows if isinstance(r, dict) and str(r.get("id")) == str(wanted)), {})


def gather_client(connection: Connection, key: str, _refs: Refs) -> dict[str, Any] | None:
    raw = connection.execute(
        select(conversations.c.slots).where(conversations.c.key == key)
    ).scalar()
    slots: dict[str, Any] = orjson.loads(raw) if raw else {}
    client_id = slots.get(s.CLIENT_ID)
    asked = slots.get(s.RESUME)
    if client_id is None and not asked:
        return None
    service = _row_of(slots, s.SERVICES, slots.get(s.SERVICE))
    invoice = slots.get(s.INVOICE) if isinstance(slots.get(s.INVOICE), dict) else None
    invoice = invoice or _row_of(slots, s.INVOICES, slots.get(s.INVOICE_ID))
    ticket = slots.get(s.TICKET) if isinstance(slots.get(s.TICKET), dict) else None
    ticket = ticket or _row_of(slots, s.TICKETS, slots.get(s.TICKET_ID))
    return {
        "logged_in": client_id is not None,
        "client_id": None if client_id is None else str(client_id),
        "name": slots.get(s.NAME),
        "document_masked": slots.get(s.DOCUMENT_MASKED) if client_id is not None else None,
        "asked_for": asked if isinstance(asked, str) else None,
        "service": {k: service.get(k) for k in ("product", "domain", "status")} or None,
        "domain": slots.get(s.DOMAIN),
        "invoice": {k: invoice.get(k) for k in ("number", "due", "total", "status")}
        if invoice
        else None,
        "ticket": {k: ticket.get(k) for k in ("number", "subject", "status")} if ticket else None,
    }


def _joined(data: Mapping[str, Any] | None) -> str:
    return ", ".join(str(v) for v in (data or {}).values() if v)


def client_lines(client: Mapping[str, Any]) -> list[str]:
    if not client.get("logged_in"):
        asked = SECTIONS_PT.get(str(client.get("asked_for")), client.get("asked_for"))
        return [f"Área do Cliente: sem login; queria ver {asked}"]
    lines = [
        f"Cliente: {client.get('name') or '-'}, documento {client.get('document_masked') or '-'}",
        f"Cliente no WHMCS: nº {client.get('client_id')}",
    ]
    if client.get("asked_for"):
        asked = SECTIONS_PT.get(str(client["asked_for"]), client["asked_for"])
        lines.append(f"Pediu: {asked}")
    if _joined(client.get("service")):
        lines.append(f"Serviço: {_joined(client.get('service'))}")
    if client.get("domain"):
        lines.append(f"Domínio: {client['domain']}")
    if client.get("invoice"):
        lines.append(f"Fatura: {_joined(client.get('invoice'))}")
    if client.get("ticket"):
        lines.append(f"Chamado: {_joined(client.get('ticket'))}")
    return lines


CLIENT = ContextSection(name="client", gather=gather_client, lines=client_lines)
