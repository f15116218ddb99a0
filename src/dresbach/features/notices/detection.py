"""Which notices what WHMCS says makes due today. Pure: the records, the day and the cursors
come in; the notices (each an event with its key) and the cursors to keep go out.

- issued: an unpaid invoice past the cursor (the highest invoice id already looked at), and
  issued lately (on the first poll, with no cursor, only what was issued since yesterday);
- due: an unpaid invoice due within `due_days` (today excluded: overdue tomorrow), unless it
  was issued that close to its due date (the issued notice already said when it is due);
- overdue: an unpaid invoice whose due date has passed;
- suspended: a service WHMCS suspended for non-payment (`Overdue on Payment`, its automatic
  reason, or a reason that speaks of payment); abuse and the like are a person's matter;
- domain expiring: an active domain expiring within `expiry_days`;
- ticket answered: a ticket the team answered after the cursor (the latest answer looked at;
  on the first poll, the last day)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from dresbach.features.notices.model import (
    DOMAIN_EXPIRING,
    INVOICE_DUE,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    SERVICE_SUSPENDED,
    TICKET_ANSWERED,
    AnsweredTicket,
    Notice,
    OpenInvoice,
    RegisteredDomain,
    SuspendedService,
)

ISSUED_LATELY: Final = timedelta(days=7)
FIRST_LOOK: Final = timedelta(days=1)
NON_PAYMENT: Final = re.compile(r"overdue|payment|pagamento|inadimpl|fatura", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Cursors:
    """Where the last poll left off (None: never polled)."""

    invoice_id: int | None = None
    answered_at: datetime | None = None


def invoice_notices(
    invoices: list[OpenInvoice], today: date, due_days: int, cursor: int | None
) -> list[Notice]:
    found: list[Notice] = []
    for invoice in invoices:
        subject = f"nº {invoice.number}"
        common = {"client_id": invoice.client_id, "object_id": str(invoice.invoice_id)}
        lately = today - (FIRST_LOOK if cursor is None else ISSUED_LATELY)
        fresh = cursor is None or invoice.invoice_id > cursor
        if fresh and invoice.issued is not None and invoice.issued >= lately and invoice.due:
            found.append(
                Notice(
                    kind=INVOICE_ISSUED,
                    on=invoice.issued,
                    subject=subject,
                    amount=invoice.total,
                    **common,
                )
            )
        if invoice.due is None:
            continue
        window = timedelta(days=due_days)
        told = invoice.issued is not None and invoice.issued >= invoice.due - window
        if today < invoice.due <= today + window and not told:
            found.append(
                Notice(
                    kind=INVOICE_DUE,
                    on=invoice.due,
                    subject=subject,
                    amount=invoice.total,
                    **common,
                )
            )
        elif invoice.due < today:
            found.append(
                Notice(
                    kind=INVOICE_OVERDUE,
                    on=invoice.due,
                    subject=subject,
                    amount=invoice.total,
                    **common,
                )
            )
    return found


def suspension_notices(services: list[SuspendedService], today: date) -> list[Notice]:
    return [
        Notice(
            kind=SERVICE_SUSPENDED,
            client_id=s.client_id,
            object_id=str(s.service_id),
            on=s.due or today,
            subject=s.name,
        )
        for s in services
        if NON_PAYMENT.search(s.reason)
    ]


def domain_notices(domains: list[RegisteredDomain], today: date, days: int) -> list[Notice]:
    return [
        Notice(
            kind=DOMAIN_EXPIRING,
            client_id=d.client_id,
            object_id=str(d.domain_id),
            on=d.expires,
            subject=d.name,
        )
        for d in domains
        if d.status == "Active"
        and d.expires is not None
        and today <= d.expires <= today + timedelta(days=days)
    ]


def ticket_notices(
    tickets: list[AnsweredTicket], now: datetime, cursor: datetime | None
) -> list[Notice]:
    since = cursor if cursor is not None else now - FIRST_LOOK
    return [
        Notice(
            kind=TICKET_ANSWERED,
            client_id=t.client_id,
            object_id=f"{t.ticket_id}@{t.answered_at.strftime('%H%M%S')}",
            on=t.answered_at.date(),
            subject=f"#{t.number} ({t.subject})",
        )
        for t in tickets
        if t.answered_at > since
    ]


def moved(cursors: Cursors, invoices: list[OpenInvoice], tickets: list[AnsweredTicket]) -> Cursors:
    """The cursors after a poll that saw these records (never moving back)."""
    ids = [i.invoice_id for i in invoices]
    if cursors.invoice_id is not None:
        ids.append(cursors.invoice_id)
    answers = [t.answered_at for t in tickets]
    if cursors.answered_at is not None:
        answers.append(cursors.answered_at)
    return Cursors(
        invoice_id=max(ids) if ids else None,
        answered_at=max(answers) if answers else None,
    )
