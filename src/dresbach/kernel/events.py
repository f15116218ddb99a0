"""Events are facts in the past tense. The edge parses every webhook into these; the core sees
nothing else. Internal events (results of side effects, timers) come through the same door."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from dresbach.kernel.messages import PixPayee

MediaKind = Literal["image", "document", "audio", "video", "sticker"]

_BSUID = re.compile(r"[A-Z]{2}\.[A-Za-z0-9.]+")
"""A business-scoped user id, or a parent one (`BR.ENT.…`): an ISO 3166 country code, a dot,
then up to 128 alphanumerics. A phone number (`wa_id`) is digits."""


def is_bsuid(address: str) -> bool:
    """Whether `address` is a business-scoped user id (BSUID) rather than a phone number."""
    return _BSUID.fullmatch(address) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Sender:
    """Who wrote: the business-scoped user id (BSUID) when Meta sends one, and the phone wa_id."""

    user_id: str | None
    wa_id: str | None
    profile_name: str | None = None

    @property
    def key(self) -> str:
        """The conversation key: the BSUID when present, else the wa_id."""
        key = self.user_id or self.wa_id
        if not key:
            raise ValueError("a sender needs a user_id or a wa_id")
        return key

    @property
    def address(self) -> str:
        """Where replies go: the phone number when known, else the BSUID (allowed since 2026)."""
        return self.wa_id or self.key


@dataclass(frozen=True, slots=True, kw_only=True)
class Referral:
    """The Click-to-WhatsApp ad (or Facebook/Instagram post) the customer came from: Meta's
    `messages[].referral`, on the first message a customer sends from the ad."""

    source_id: str | None = None
    """The ad's (or post's) id."""
    source_type: str | None = None
    """`ad` or `post`."""
    source_url: str | None = None
    headline: str | None = None
    body: str | None = None
    ctwa_clid: str | None = None
    """The click's id, for the ads' conversions report."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundEvent:
    """Base of everything a user sent us."""

    message_id: str
    sender: Sender
    timestamp: datetime
    context_id: str | None = None
    referral: Referral | None = None

    @property
    def kind(self) -> str:
        return "inbound"


@dataclass(frozen=True, slots=True, kw_only=True)
class TextReceived(InboundEvent):
    body: str

    @property
    def kind(self) -> str:
        return "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonChosen(InboundEvent):
    """A reply button was tapped (interactive button_reply or a template quick reply)."""

    choice_id: str
    title: str
    from_template: bool = False

    @property
    def kind(self) -> str:
        return "choice"


@dataclass(frozen=True, slots=True, kw_only=True)
class ListRowChosen(InboundEvent):
    choice_id: str
    title: str
    description: str | None = None

    @property
    def kind(self) -> str:
        return "choice"


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowCompleted(InboundEvent):
    """A WhatsApp Flow was submitted (interactive nfm_reply)."""

    name: str
    response_json: str

    @property
    def kind(self) -> str:
        return "flow_reply"


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaReceived(InboundEvent):
    media_kind: MediaKind
    media_id: str
    mime_type: str
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None

    @property
    def kind(self) -> str:
        return "media"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationReceived(InboundEvent):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None

    @property
    def kind(self) -> str:
        return "location"


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactsReceived(InboundEvent):
    names: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "contacts"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionReceived(InboundEvent):
    """A reaction to one of our messages; an empty emoji means the reaction was removed."""

    reacted_to: str
    emoji: str

    @property
    def kind(self) -> str:
        return "reaction"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnsupportedReceived(InboundEvent):
    """Anything we do not handle: a message type Meta marks unsupported, or one we do not know."""

    original_type: str
    error_code: int | None = None

    @property
    def kind(self) -> str:
        return "unsupported"


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityChanged(InboundEvent):
    """A `system` message: the user changed number or business-scoped id."""

    system_type: str
    new_user_id: str | None
    new_wa_id: str | None
    body: str = ""

    @property
    def kind(self) -> str:
        return "identity_changed"


DELIVERY_RANK: dict[str, int] = {"sent": 1, "delivered": 2, "read": 3, "played": 3, "failed": 9}


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReported:
    """A delivery status for one of our outbound messages; never reaches the core."""

    wamid: str
    status: str
    timestamp: datetime
    recipient: str | None
    error_code: int | None = None
    error_title: str | None = None
    callback_data: str | None = None

    @property
    def rank(self) -> int:
        return DELIVERY_RANK.get(self.status, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class InternalEvent:
    """A result of a side effect or a timer, addressed to one conversation."""

    event_id: str
    conversation_key: str
    timestamp: datetime
    data: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "internal"


Event = InboundEvent | InternalEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class PixChargeCreated(InternalEvent):
    txid: str
    amount: str
    copia_e_cola: str
    expires_at: datetime
    qr_media_ref: str | None = None
    payee: PixPayee | None = None
    """Set when the charge goes as a native Pix order card (`DRESBACH_PIX_NATIVE`)."""

    @property
    def kind(self) -> str:
        return "charge_created"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeFailed(InternalEvent):
    """The provider could not create the charge (after retries)."""

    reason: str

    @property
    def kind(self) -> str:
        return "charge_failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentConfirmed(InternalEvent):
    txid: str
    amount: str
    paid_at: datetime
    confirmed_by: str
    lead_id: str = ""
    """The lead the charge was for (so scheduling can go on after the customer left the flow)."""

    @property
    def kind(self) -> str:
        return "payment_confirmed"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentRejected(InternalEvent):
    """An operator rejected a receipt, or a payment did not match (amount, expired charge)."""

    txid: str
    reason: str

    @property
    def kind(self) -> str:
        return "payment_rejected"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeExpiring(InternalEvent):
    txid: str
    expires_at: datetime

    @property
    def kind(self) -> str:
        return "charge_expiring"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeExpired(InternalEvent):
    txid: str

    @property
    def kind(self) -> str:
        return "charge_expired"
