"""The hosting customer's world as the Área do Cliente sees it: the client, services, domains,
DNS, tickets and invoices. Plain data; the adapters (local, WHMCS, WHM) fill it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

AccessKind = Literal["cpanel", "webmail", "whm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientAccount:
    client_id: str
    name: str
    email: str
    document_masked: str
    totp_secret_enrolled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    service_id: str
    product: str
    domain: str
    status: str
    next_due: date | None
    username: str | None = None
    reseller: bool = False
    mailboxes: tuple[str, ...] = ()
    suspension_reason: str = ""
    server_ip: str | None = None
    """Its address (WHMCS ``serverip``, or the account's dedicated IP), when known."""
    server_id: str | None = None
    """The WHMCS id of the WHM server hosting the account (``GetClientsProducts`` ``serverid``);
    ``None`` when WHMCS names none (our embedded directory, a product with no server)."""
    server_hostname: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Domain:
    domain_id: str
    name: str
    status: str
    expires: date | None
    nameservers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsRecord:
    name: str
    kind: str
    value: str
    ttl: int | None = None
    priority: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketReply:
    author: str
    when: datetime | None
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    ticket_id: str
    number: str
    subject: str
    status: str
    department: str
    updated: datetime | None
    replies: tuple[TicketReply, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Department:
    department_id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceItem:
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice:
    invoice_id: str
    number: str
    issued: date | None
    due: date | None
    total: Decimal
    status: str
    items: tuple[InvoiceItem, ...] = field(default=())
    pdf_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessLink:
    """A one-time login link (WHM `create_user_session`)."""

    url: str
    expires_at: datetime
    demo: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSummary:
    """One cPanel account's usage and state (WHM `accountsummary`); a limit of ``None`` is
    unlimited."""

    username: str
    domain: str
    disk_used_mb: float
    disk_limit_mb: float | None
    inodes_used: int | None
    inodes_limit: int | None
    suspended: bool
    suspend_reason: str | None = None
    ip: str | None = None
    ipv6: tuple[str, ...] = ()
