"""The payments' port: the Pix provider. Its adapters are in `adapters/`."""

from __future__ import annotations

from typing import Protocol

from dresbach.features.payments.model import Charge, ChargeRequest, ChargeStatus


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
