"""Pix charges as the core and the payment adapters see them. Amounts are Decimal, never float."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

ChargeState = Literal["active", "paid", "expired", "cancelled"]


def txid_for(command_id: str) -> str:
    """Our own txid (BCB: 26 to 35 of [a-zA-Z0-9]), derived from the command id so that a retry
    creates no second charge."""
    return "DRB" + hashlib.sha256(command_id.encode()).hexdigest()[:29]


STATIC_TXID_LENGTH = 25
"""A static BR Code carries at most 25 characters of txid (field 62-05): the first 25 of ours."""


def bank_txid(txid: str, provider: str) -> str:
    """The txid the payer's bank shows: a static charge's BR Code carries only its first 25
    characters; a dynamic charge's bank reads the whole txid from the PSP."""
    return txid[:STATIC_TXID_LENGTH] if provider == "static" else txid


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeRequest:
    txid: str
    amount: Decimal
    description: str
    expires_in_seconds: int
    payer_name: str | None = None
    payer_email: str | None = None
    payer_document: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Charge:
    """A charge as created at the provider."""

    txid: str
    provider: str
    provider_id: str
    copia_e_cola: str
    amount: Decimal
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeStatus:
    """A charge as re-queried from the provider: the only thing a confirmation may trust."""

    txid: str
    provider_id: str
    state: ChargeState
    amount_paid: Decimal | None = None
    paid_at: datetime | None = None
    end_to_end_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentHint:
    """A provider's notification: only a hint that a charge changed; re-query before trusting."""

    txid: str | None = None
    provider_id: str | None = None


STATUS_PT = {
    "active": "aguardando pagamento",
    "paid": "paga",
    "expired": "expirada",
    "cancelled": "cancelada",
    "flagged": "sinalizada para conferência",
}
"""A charge's status in pt-BR, wherever operators read it (the console, the hand-off's
context, `dresbach payments`)."""


def is_money_pattern(text: str) -> bool:
    """Whether a text states an amount of money (R$, reais, a price-like number)."""
    return bool(_AMOUNT.search(text))


_AMOUNT = re.compile(
    r"(R\$\s*\d)|(\d[\d.]*,\d{2}\b)|(\b\d+(?:[.,]\d+)?\s*(?:reais|mil reais|BRL)\b)",
    re.IGNORECASE,
)
