"""Billing and hosting records as rows the Área do Cliente shows (pt-BR dates, statuses, R$), and
the rows of each look-up, read through the directory and the panel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dresbach.features.client_area.hosting import Invoice, Service, Ticket
from dresbach.features.client_area.model import Row
from dresbach.features.client_area.ports import ClientDirectory, HostingPanel
from dresbach.kernel.errors import PermanentError
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
        ("server", s.server_hostname or ""),
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


async def client_rows(
    directory: ClientDirectory, panel: HostingPanel, client_id: str, what: str, key: str | None
) -> list[Row]:
    """The rows one look-up of the Área do Cliente shows (`what`: services, domains, dns,
    tickets, ticket, departments, invoices, invoice), only ever the client's own."""
    d = directory
    if what == "services":
        return [service_row(s) for s in await d.services(client_id)]
    if what == "domains":
        return [
            (
                ("id", x.domain_id),
                ("name", x.name),
                ("status", pt_status(x.status)),
                ("expires", day(x.expires)),
                ("nameservers", ", ".join(x.nameservers)),
            )
            for x in await d.domains(client_id)
        ]
    if what == "dns":
        services = await d.services(client_id)
        owned = {x.name for x in await d.domains(client_id)} | {s.domain for s in services}
        if key not in owned:
            raise PermanentError("that domain is not this client's")
        host = next((s for s in services if s.domain == key and s.server_id), None)
        where = {"server": host.server_id, "hostname": host.server_hostname} if host else {}
        return [
            tuple(
                (k, v)
                for k, v in (
                    ("name", r.name),
                    ("type", r.kind),
                    ("value", r.value),
                    ("ttl", str(r.ttl) if r.ttl is not None else ""),
                    ("priority", str(r.priority) if r.priority is not None else ""),
                )
                if v
            )
            for r in await panel.dns_records(key, **where)
        ]
    if what == "tickets":
        return [ticket_row(t) for t in await d.tickets(client_id)]
    if what == "ticket":
        ticket = await d.ticket(client_id, key or "")
        if ticket is None:
            raise PermanentError("no such ticket for this client")
        replies: list[Row] = [
            (
                ("kind", "reply"),
                ("author", r.author),
                ("when", moment(r.when)),
                ("message", r.message),
            )
            for r in ticket.replies
        ]
        return [ticket_row(ticket), *replies]
    if what == "departments":
        return [(("id", x.department_id), ("name", x.name)) for x in await d.departments()]
    if what == "invoices":
        return [invoice_row(i) for i in await d.invoices(client_id)]
    if what == "invoice":
        invoice = await d.invoice(client_id, key or "")
        if invoice is None:
            raise PermanentError("no such invoice for this client")
        items: list[Row] = [
            (("kind", "item"), ("description", i.description), ("amount", format_brl(i.amount)))
            for i in invoice.items
        ]
        return [invoice_row(invoice, with_pdf=True), *items]
    raise PermanentError(f"unknown data kind {what}")
