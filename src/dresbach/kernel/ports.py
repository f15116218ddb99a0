"""Ports: the small interfaces the runtime needs from the outside world. One adapter each in
`dresbach.integrations`, an embedded one and a real one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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
from dresbach.features.payments.model import Charge, ChargeRequest, ChargeStatus
from dresbach.features.scheduling.model import Booking, Interval
from dresbach.kernel.messages import Message


class MessageSender(Protocol):
    """Sends to WhatsApp. Raises TransientError, PermanentError or OutsideWindowError."""

    async def send(self, recipient: str, message: Message, *, callback_data: str | None) -> str:
        """Send one message; return the WhatsApp message id (wamid)."""
        ...

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        """Mark an inbound message read, optionally showing the typing indicator."""
        ...

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """Upload media; return its id."""
        ...

    async def aclose(self) -> None: ...


class MediaUploader(Protocol):
    """Uploads media to WhatsApp so a message can refer to it by id."""

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """Return the media id."""
        ...


class PaymentGateway(Protocol):
    """A Pix provider: `static` (embedded), `bcb` (API Pix v2), `mercadopago`.

    Raises TransientError (retry later) or PermanentError (dead-letter)."""

    @property
    def name(self) -> str: ...

    async def create_charge(self, request: ChargeRequest) -> Charge:
        """Create (idempotently, by txid) a charge and return its copia-e-cola."""
        ...

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        """Re-query a charge; the only source a confirmation may trust."""
        ...


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
        self, client_id: str, department_id: str, subject: str, message: str
    ) -> Ticket: ...

    async def reply_ticket(self, client_id: str, ticket_id: str, message: str) -> None: ...

    async def invoices(self, client_id: str) -> list[Invoice]: ...

    async def invoice(self, client_id: str, invoice_id: str) -> Invoice | None: ...


class HostingPanel(Protocol):
    """WHM/cPanel: `whm` (WHM API 1) or `local` (demo links, clearly marked)."""

    async def access_link(
        self, username: str, kind: AccessKind, *, mailbox: str | None = None
    ) -> AccessLink: ...

    async def dns_records(self, domain: str) -> list[DnsRecord]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file sent with an e-mail. A `text/calendar` one with a `method` (REQUEST, CANCEL) is
    an iTIP message: mail apps show it as an invitation to accept, or a cancellation."""

    filename: str
    mime_type: str
    data: bytes
    method: str | None = None


class Mailer(Protocol):
    """Sends an e-mail (a 2FA code, a lockout notice, a receipt, a meeting invitation).
    Raises TransientError or PermanentError."""

    async def send(
        self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None: ...


class Calendar(Protocol):
    """The consultants' calendar: `internal` (our bookings table only) or `caldav`.

    Our bookings table is always the first word (a unique constraint settles races); a real
    calendar adds the busy time people put there by hand, and receives each booking as an
    event whose UID is the meeting's (`Booking.event_uid`, kept across reschedules). Raises
    TransientError or PermanentError."""

    @property
    def name(self) -> str: ...

    async def busy(self, start: datetime, end: datetime) -> list[Interval]:
        """Busy intervals (UTC) overlapping [start, end), besides our own bookings."""
        ...

    async def save(self, booking: Booking) -> str | None:
        """Create or replace the event whose UID is `booking.event_uid` (idempotent). Returns
        the meeting link the server attached to the event (a video conference it created),
        when it attached one that the booking did not carry; else None."""
        ...

    async def remove(self, uid: str) -> None:
        """Delete the event with that UID; nothing happens when it is not there."""
        ...


class HelpDesk(Protocol):
    """Where operators work a hand-off besides our console: `chatwoot` (an API-channel inbox).

    Agents' replies come back through the desk's webhook as `OperatorSaid`/`HumanLeft`."""

    async def open(self, handoff_id: str, contact_name: str, address: str, context: str) -> str:
        """Open (or find) the desk's conversation for this hand-off; return its id."""
        ...

    async def forward(self, desk_conversation_id: str, text: str) -> None:
        """Mirror one customer message into the desk's conversation."""
        ...

    async def close(self, desk_conversation_id: str) -> None:
        """Resolve the desk's conversation (the customer left, or the bot took over)."""
        ...
