"""Commands and events of the Área do Cliente. Secrets (a document, a password, a code) travel
in commands only in memory: the runtime seals them before anything is written, and the flow keeps
a document between messages only in a slot named `secret.*`, which the runtime stores sealed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

from dresbach.kernel.commands import Command
from dresbach.kernel.events import InternalEvent

SESSION_SLOT = "client_area.client_id"
"""Present while a client is logged in; its disappearance ends the session (audited)."""

LoginResult = Literal["ok", "failed", "locked", "unavailable"]
SecondFactor = Literal["totp", "email"]
FactorResult = Literal["ok", "failed", "expired", "locked", "unavailable"]
DataKind = Literal[
    "services", "domains", "dns", "tickets", "ticket", "departments", "invoices", "invoice"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckLogin(Command):
    """Check a CPF/CNPJ and password. Never stored in clear: sealed by the runtime."""

    document: str
    password: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSecondFactor(Command):
    client_id: str
    method: SecondFactor
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishFlowLogin(Command):
    """The login Flow was completed (its `nfm_reply`): use its token up and, if the Flow
    verified the password and the second factor, log the conversation in. The token is sealed
    by the runtime like the other secrets."""

    flow_token: str = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResendEmailCode(Command):
    client_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchClientData(Command):
    """Ask the billing/hosting systems for one kind of data; `key` names the domain, the ticket
    or the invoice when the kind needs one."""

    client_id: str
    what: DataKind
    key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAccessLink(Command):
    client_id: str
    service_id: str
    kind: Literal["cpanel", "webmail", "whm"]
    mailbox: str | None = None


DomainChange = Literal["epp", "lock", "unlock", "nameservers", "record_add", "record_remove"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewDomainChange(Command):
    """Show the client the before/after of a change to one of their domains (`nameservers`:
    as typed, checked by the job)."""

    client_id: str
    domain_id: str
    change: DomainChange
    nameservers: tuple[str, ...] = ()
    record: str = ""
    """A DNS record on one line (``www CNAME exemplo.com.br``): to create, or to remove."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyDomainChange(Command):
    """The change the client confirmed (audited; an EPP code goes only to the e-mail)."""

    client_id: str
    domain_id: str
    change: DomainChange
    nameservers: tuple[str, ...] = ()
    record: str = ""
    """A DNS record on one line (``www CNAME exemplo.com.br``): to create, or to remove."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishFlowTicket(Command):
    """The ticket Flow was completed (its `nfm_reply`): use its token up and, if the Flow opened
    a ticket for `client_id` (the session's client), tell the conversation. The token is sealed
    by the runtime like the other secrets."""

    client_id: str
    flow_token: str = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenTicket(Command):
    client_id: str
    department_id: str
    subject: str
    message: str
    attachments: tuple[str, ...] = ()
    """Media ids of the files the customer sent with it (`platform/inbound/media.py`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyTicket(Command):
    client_id: str
    ticket_id: str
    message: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSession(Command):
    """The customer left the client area (sair, timeout): recorded in the audit log."""

    client_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginChecked(InternalEvent):
    result: LoginResult
    client_id: str | None = None
    name: str | None = None
    document_masked: str | None = None
    second_factor: SecondFactor | None = None
    email_masked: str | None = None
    locked_until: datetime | None = None

    @property
    def kind(self) -> str:
        return "login_checked"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginVerdict:
    """What a document and a password came to (the fields of a `LoginChecked`)."""

    result: LoginResult
    client_id: str | None = None
    name: str | None = None
    document_masked: str | None = None
    second_factor: SecondFactor | None = None
    email_masked: str | None = None
    locked_until: datetime | None = None

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True, kw_only=True)
class SecondFactorChecked(InternalEvent):
    result: FactorResult
    client_id: str
    email_masked: str | None = None

    @property
    def kind(self) -> str:
        return "second_factor_checked"


FlowLoginResult = Literal["ok", "locked", "expired"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowLoginFinished(InternalEvent):
    """What the login Flow came to once its token was used up: "ok" (logged in as `client_id`),
    "locked" (the Flow closed on a lock; `email_masked` when the owner was told), "expired"
    (the token was unknown, expired, already used, or its Flow did not finish the login)."""

    result: FlowLoginResult
    client_id: str | None = None
    name: str | None = None
    document_kind: str | None = None
    email_masked: str | None = None

    @property
    def kind(self) -> str:
        return "flow_login_finished"


Row = tuple[tuple[str, str], ...]
"""One item as ordered (field, value) pairs, already formatted for display (pt-BR dates, R$)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientDataFetched(InternalEvent):
    """Fields per kind (all strings; absent ones are omitted):
    services: id, product, domain, status, next_due, username, reseller ("sim"/"não"),
        mailboxes (comma separated)
    domains: id, name, status, expires, nameservers (comma separated)
    dns: name, type, value, ttl, priority
    tickets / ticket: id, number, subject, status, department, updated; a `ticket` also has one
        row per reply: author, when, message (kind "reply")
    departments: id, name
    invoices / invoice: id, number, issued, due, total, status; an `invoice` also has rows of
        kind "item": description, amount, and may have pdf (a link to the PDF)."""

    what: DataKind
    key: str | None = None
    items: tuple[Row, ...] = field(default=())

    @property
    def kind(self) -> str:
        return "client_data"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientDataUnavailable(InternalEvent):
    """The backend was slow or down: the customer is told to try again shortly."""

    what: str
    reason: str

    @property
    def kind(self) -> str:
        return "client_data_unavailable"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessLinkReady(InternalEvent):
    url: str
    expires_at: datetime
    kind_of_access: str
    demo: bool = False

    @property
    def kind(self) -> str:
        return "access_link"


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketOpened(InternalEvent):
    number: str

    @property
    def kind(self) -> str:
        return "ticket_opened"


FlowTicketResult = Literal["opened", "expired"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowTicketFinished(InternalEvent):
    """What the ticket Flow came to once its token was used up: "opened" (the ticket `number`
    in `department`), "expired" (the token was unknown, expired, already used, for another
    client, or its Flow opened no ticket)."""

    result: FlowTicketResult
    number: str = ""
    department: str = ""

    @property
    def kind(self) -> str:
        return "flow_ticket_finished"


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketReplied(InternalEvent):
    ticket_id: str

    @property
    def kind(self) -> str:
        return "ticket_replied"


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainChangePreviewed(InternalEvent):
    text: str

    @property
    def kind(self) -> str:
        return "domain_previewed"


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainChanged(InternalEvent):
    text: str

    @property
    def kind(self) -> str:
        return "domain_changed"


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainChangeRefused(InternalEvent):
    """What the client typed cannot be used; ``text`` says why and what would."""

    text: str

    @property
    def kind(self) -> str:
        return "domain_refused"
