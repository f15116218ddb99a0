"""The embedded Pix gateway: a static BR Code with the fee and a txid, built by us.

A static Pix goes straight from the payer's bank to our key; no provider tells us it was paid,
so it can only be confirmed by an operator (who sees the credit in the bank statement and records
it in our database). ``fetch_charge`` therefore reads our own records through ``lookup``.

Limits of a static code (reference notes §1.5): it can be paid more than once, the bank does not
enforce its amount and it never expires at the bank; ``expires_at`` is our own deadline.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import segno

from dresbach.features.payments.model import STATIC_TXID_LENGTH, Charge, ChargeRequest, ChargeStatus
from dresbach.features.payments.pix import BrCode, BrCodeError, build_brcode
from dresbach.kernel.errors import PermanentError

StatusLookup = Callable[[str], Awaitable[ChargeStatus]]
"""``await lookup(txid)``: the charge's status as our database knows it (operator confirmations)."""

STATIC_TXID_MAX = STATIC_TXID_LENGTH


class StaticPixGateway:
    """Builds static copia-e-cola codes for ``key``; confirmations come from ``lookup``.

    The BR Code carries the first 25 characters of the request's txid (a static txid is at most
    25 letters or digits), while ``Charge.txid`` and ``provider_id`` keep the full txid.
    """

    name = "static"

    def __init__(
        self,
        *,
        key: str,
        merchant_name: str,
        merchant_city: str,
        lookup: StatusLookup,
        clock: Callable[[], datetime],
    ) -> None:
        self._key = key
        self._merchant_name = merchant_name
        self._merchant_city = merchant_city
        self._lookup = lookup
        self._clock = clock

    async def create_charge(self, request: ChargeRequest) -> Charge:
        """Build the BR Code; raises PermanentError when the key, names or amount are invalid."""
        try:
            payload = build_brcode(
                BrCode(
                    key=self._key,
                    merchant_name=self._merchant_name,
                    merchant_city=self._merchant_city,
                    amount=request.amount,
                    txid=request.txid[:STATIC_TXID_MAX],
                )
            )
        except BrCodeError as error:
            raise PermanentError(f"static Pix: {error.message}") from error
        now = self._clock()
        return Charge(
            txid=request.txid,
            provider=self.name,
            provider_id=request.txid,
            copia_e_cola=payload,
            amount=request.amount,
            created_at=now,
            expires_at=now + timedelta(seconds=request.expires_in_seconds),
        )

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        """What our database says: "paid" only after an operator confirmed the credit."""
        return await self._lookup(txid)


def qr_png(payload: str) -> bytes:
    """The QR Code of a copia-e-cola as a PNG (scale 8, border 4, error correction M)."""
    qr = segno.make(payload, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
