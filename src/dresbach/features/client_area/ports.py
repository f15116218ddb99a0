"""The Área do Cliente's ports: the client directory (WHMCS or our database) and the hosting
panel (WHM or the demo's links). Their adapters are in `adapters/`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from dresbach.features.client_area.hosting import (
    AccessKind,
    AccessLink,
    ClientAccount,
    Department,
    DnsRecord,
    Domain,
    Invoice,
    Service,
    Ticket,
)
from dresbach.kernel.ports import Attachment


class ClientDirectory(Protocol):
    """Clients, their services, domains, tickets and invoices: `local` (our database) or
    `whmcs`. Raises TransientError when the backend is slow or down, PermanentError otherwise.
    Never returns a payment link."""

    async def find_by_document(self, document: str) -> ClientAccount | None:
        """The client whose CPF/CNPJ (normalized, digits and letters) this is."""
        ...

    async def check_password(self, client_id: str, email: str, password: str) -> bool: ...

    async def contact(self, client_id: str) -> tuple[str, str] | None:
        """(e-mail, name) of a client."""
        ...

    async def services(self, client_id: str) -> list[Service]: ...

    async def domains(self, client_id: str) -> list[Domain]: ...

    async def tickets(self, client_id: str) -> list[Ticket]: ...

    async def ticket(self, client_id: str, ticket_id: str) -> Ticket | None: ...

    async def departments(self) -> list[Department]: ...

    async def open_ticket(
        self,
        client_id: str,
        department_id: str,
        subject: str,
        message: str,
        attachments: Sequence[Attachment] = (),
    ) -> Ticket: ...

    async def reply_ticket(
        self, client_id: str, ticket_id: str, message: str, attachments: Sequence[Attachment] = ()
    ) -> None: ...

    async def invoices(self, client_id: str) -> list[Invoice]: ...

    async def invoice(self, client_id: str, invoice_id: str) -> Invoice | None: ...


class HostingPanel(Protocol):
    """WHM/cPanel: `whm` (WHM API 1 on the server of each service) or `local` (demo links,
    clearly marked). `server` and `hostname` are where WHMCS says the account lives (its
    `serverid` and `serverhostname`); a panel of one server ignores them."""

    async def access_link(
        self,
        username: str,
        kind: AccessKind,
        *,
        mailbox: str | None = None,
        server: str | None = None,
        hostname: str | None = None,
    ) -> AccessLink: ...

    async def dns_records(
        self, domain: str, *, server: str | None = None, hostname: str | None = None
    ) -> list[DnsRecord]: ...

    async def edit_record(
        self,
        domain: str,
        before: DnsRecord | None,
        after: DnsRecord | None,
        *,
        server: str | None = None,
        hostname: str | None = None,
    ) -> None:
        """Add ``after`` (no ``before``), replace ``before`` by it, or remove ``before``."""
        ...


class DomainRegistrar(Protocol):
    """Changes to a registered domain, through the billing system's registrar functions
    (WHMCS). The caller has checked that the domain is the client's. Raises TransientError when
    the registrar is slow or down, PermanentError when it refuses (a domain not active, a
    function the registrar lacks)."""

    async def lock_status(self, domain_id: str) -> bool | None:
        """True when locked, False when not, None when the registrar does not say."""
        ...

    async def update_nameservers(self, domain_id: str, nameservers: tuple[str, ...]) -> None: ...

    async def set_lock(self, domain_id: str, locked: bool) -> None: ...

    async def request_epp(self, domain_id: str) -> str | None:
        """The transfer (EPP) code when the registrar answers it; None when the registrar
        e-mails it to the registrant itself. Never shown in the chat."""
        ...
