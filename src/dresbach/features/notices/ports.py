"""What the notices read from the billing system (WHMCS), as a small port: the real adapter
speaks the WHMCS External API (`adapters/whmcs.py`)."""

from __future__ import annotations

from typing import Protocol

from dresbach.features.notices.model import (
    AnsweredTicket,
    Contact,
    OpenInvoice,
    RegisteredDomain,
    SuspendedService,
)


class Billing(Protocol):
    async def open_invoices(self) -> list[OpenInvoice]:
        """Every unpaid invoice (overdue ones too)."""
        ...

    async def suspended_services(self) -> list[SuspendedService]: ...

    async def domains(self) -> list[RegisteredDomain]: ...

    async def answered_tickets(self) -> list[AnsweredTicket]:
        """The tickets whose last word is the team's (WHMCS status `Answered`)."""
        ...

    async def contact(self, client_id: str) -> Contact | None:
        """The client's name and WhatsApp number; None when WHMCS does not know the client."""
        ...

    async def aclose(self) -> None: ...
