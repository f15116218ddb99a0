"""Commands are intents in the imperative, produced by the core and carried out by workers.
Each carries an id that is also its idempotency key outside."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    command_id: str = ""

    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestHandOff(Command):
    """Ask for a human operator to take the conversation.

    `reason` is "customer" (asked for a person: the conversation waits) or "consultant" (a
    paid diagnosis was booked: the consultant's queue gets the case, the bot stays). The
    context (lead, payment, booking) is gathered from our records by the worker. `topic` is why
    the person was asked for (billing, support, meeting, sales, privacy): it picks the team."""

    reason: str
    flow: str
    lead_id: str | None = None
    booking_id: str | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatePixCharge(Command):
    """Create a Pix charge for the diagnosis fee. Only `flows.techops` may produce this."""

    lead_id: str
    amount: Decimal
    description: str
    payer_name: str | None = None
    payer_email: str | None = None
    payer_document: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordLead(Command):
    """Save the lead's answers and status (applied in the same transaction as the step).
    `answers` None keeps the answers saved before (once paid, they no longer change)."""

    lead_id: str
    status: str
    answers: Mapping[str, str] | None = field(default_factory=lambda: MappingProxyType({}))
    lost_reason: str | None = None
    document: str | None = field(default=None, repr=False)
    """The CNPJ the customer gave, in clear, in memory only: the runtime seals it before it is
    written (`answers` carries it masked). Staff reveal it to issue the receipt."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueReceiptReview(Command):
    """A customer sent a payment receipt: keep it for an operator to review."""

    txid: str
    media_id: str
    mime_type: str
    filename: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailReceipt(Command):
    """E-mail the receipt of a confirmed diagnosis payment to the lead's address (the address,
    name and amount are read from our records by the worker)."""

    txid: str
    lead_id: str | None = None
