"""What a notice is, as plain data: its kind, the WHMCS object and date that make it one event,
and the customer's two commands ("parar", "voltar a receber"). No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from dresbach.kernel.commands import Command

INVOICE_ISSUED: Final = "invoice_issued"
INVOICE_DUE: Final = "invoice_due"
INVOICE_OVERDUE: Final = "invoice_overdue"
SERVICE_SUSPENDED: Final = "service_suspended"
DOMAIN_EXPIRING: Final = "domain_expiring"
SSL_EXPIRING: Final = "ssl_expiring"
TICKET_ANSWERED: Final = "ticket_answered"

KINDS: Final = (
    INVOICE_ISSUED,
    INVOICE_DUE,
    INVOICE_OVERDUE,
    SERVICE_SUSPENDED,
    DOMAIN_EXPIRING,
    SSL_EXPIRING,
    TICKET_ANSWERED,
)


def reais(amount: Decimal) -> str:
    """`R$ 1.234,56`."""
    whole = f"{amount:,.2f}"
    return "R$ " + whole.replace(",", "_").replace(".", ",").replace("_", ".")


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One event worth telling a WHMCS client about. `object_id` and `on` make it unique with
    the kind: the same invoice due on the same date is one notice, sent once."""

    kind: str
    client_id: str
    object_id: str
    on: date
    subject: str
    """What it is about, as the customer knows it: an invoice number, a domain, a ticket."""
    amount: str = ""
    """An invoice's total, written `R$ 59,90` (empty for the other kinds)."""

    @property
    def event_key(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.on.isoformat()}"


@dataclass(frozen=True, slots=True, kw_only=True)
class StopNotices(Command):
    """The customer said "parar": no more notices to this number."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeNotices(Command):
    """The customer asked to receive the notices again."""


# ---- what WHMCS says, as read by the adapter --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenInvoice:
    invoice_id: int
    number: str
    """The invoice number the customer sees (`invoicenum`, else the id)."""
    client_id: str
    issued: date | None
    due: date | None
    total: str
    """Written `R$ 59,90`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SuspendedService:
    service_id: int
    client_id: str
    name: str
    """The product and its domain, `Hospedagem Plus (anasouza.com.br)`."""
    reason: str
    due: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisteredDomain:
    domain_id: int
    client_id: str
    name: str
    status: str
    expires: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnsweredTicket:
    ticket_id: int
    number: str
    client_id: str
    subject: str
    answered_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A WHMCS client as a notice needs them: the name it greets and the WhatsApp number
    (E.164 digits, no `+`), None when the client has no usable phone."""

    client_id: str
    name: str
    number: str | None
