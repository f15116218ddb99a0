"""Billing and hosting records as rows the Área do Cliente shows: pt-BR dates, statuses, R$."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dresbach.features.client_area.hosting import Invoice, Service, Ticket
from dresbach.features.client_area.model import Row
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.money import format_brl

STATUS_PT = {
    "active": "Ativo",
    "suspended": "Suspenso",
    "pending": "Pendente",
    "terminated": "Encerrado",
    "cancelled": "Cancelado",
    "expired": "Expirado",
    "unpaid": "Em aberto",
    "paid": "Paga",
    "overdue": "Vencida",
    "refunded": "Reembolsada",
    "open": "Aberto",
    "answered": "Respondido",
    "customer-reply": "Aguardando a equipe",
    "in progress": "Em andamento",
    "on hold": "Em espera",
    "closed": "Fechado",
}


def pt_status(status: str) -> str:
    return STATUS_PT.get(status.strip().lower(), status)


def mask_email(email: str) -> str:
    user, _, domain = email.partition("@")
    return f"{user[:2]}{'*' * max(len(user) - 2, 3)}@{domain}" if domain else "***"


def day(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else "-"


def moment(value: datetime | None) -> str:
    """ "24/11/2026, às 18h02" (Brasília), as people write it; "-" when unknown."""
    if not value:
        return "-"
    local = value.astimezone(SAO_PAULO)
    return f"{local:%d/%m/%Y}, {at_clock(local)}"


def service_row(s: Service) -> Row:
    pairs = [
        ("id", s.service_id),
        ("product", s.product),
        ("domain", s.domain),
        ("status", pt_status(s.status)),
        ("next_due", day(s.next_due)),
        ("username", s.username or ""),
        ("reseller", "sim" if s.reseller else "não"),
        ("mailboxes", ", ".join(s.mailboxes)),
    ]
    return tuple((k, v) for k, v in pairs if v)


def ticket_row(t: Ticket) -> Row:
    return (
        ("id", t.ticket_id),
        ("number", t.number),
        ("subject", t.subject),
        ("status", pt_status(t.status)),
        ("department", t.department),
        ("updated", moment(t.updated)),
    )


def invoice_row(i: Invoice, *, with_pdf: bool = False) -> Row:
    pairs = [
        ("id", i.invoice_id),
        ("number", i.number),
        ("issued", day(i.issued)),
        ("due", day(i.due)),
        ("total", format_brl(i.total)),
        ("status", pt_status(i.status)),
    ]
    if with_pdf and i.pdf_url:
        pairs.append(("pdf", i.pdf_url))
    return tuple(pairs)
