"""Our WhatsApp Flows public key at Meta, per phone number.

`POST {base}/{phone_number_id}/whatsapp_business_encryption` with the form field
`business_public_key` (a 2048-bit RSA public key, PEM) registers it, and Meta signs it for the
number; `GET` on the same path returns it with `business_public_key_signature_status` (`VALID`
or `MISMATCH`), under `data[0]` (or flat, as some answers come). Both run from the command line
(`dresbach flows register-key`, `dresbach doctor`), hence blocking httpx.

Failures raise `TransientError` (timeouts, unreachable, 5xx, rate limits) or `PermanentError`
(the token, the number or the key refused), classified by the Graph error table.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.graph_http import call


@dataclass(frozen=True, slots=True)
class RegisteredKey:
    """What Meta holds for the number; both None when no key was registered."""

    public_key: str | None
    signature_status: str | None


def _url(base_url: str, phone_number_id: str) -> str:
    return f"{base_url.rstrip('/')}/{phone_number_id}/whatsapp_business_encryption"


def register_public_key(
    *,
    base_url: str,
    phone_number_id: str,
    access_token: str,
    public_pem: str,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Register `public_pem` as the number's business public key (form-encoded, as Meta's
    reference shows)."""
    body = call(
        "POST",
        _url(base_url, phone_number_id),
        access_token,
        timeout=timeout,
        transport=transport,
        data={"business_public_key": public_pem},
    )
    if body.get("success") is not True:
        raise PermanentError("Graph API did not confirm the key (no success: true)")


def registered_public_key(
    *,
    base_url: str,
    phone_number_id: str,
    access_token: str,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> RegisteredKey:
    """The key Meta holds for the number, and its signature status."""
    body = call(
        "GET", _url(base_url, phone_number_id), access_token, timeout=timeout, transport=transport
    )
    entries = body.get("data")
    if isinstance(entries, list):
        body = entries[0] if entries and isinstance(entries[0], dict) else {}
    key, status = body.get("business_public_key"), body.get("business_public_key_signature_status")
    return RegisteredKey(
        public_key=key if isinstance(key, str) and key.strip() else None,
        signature_status=status if isinstance(status, str) else None,
    )
