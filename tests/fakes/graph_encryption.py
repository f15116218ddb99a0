"""The fake Graph API's ``whatsapp_business_encryption``: the number's WhatsApp Flows key.

``POST /{version}/{phone_number_id}/whatsapp_business_encryption`` takes
``business_public_key`` (form-encoded as Meta documents it, or JSON) and keeps it when it is a
2048-bit RSA public key in PEM; anything else gets 400, code 100, and the key held is unchanged.
``GET`` on the same path answers ``{"data": [{"business_public_key",
"business_public_key_signature_status"}]}`` (``VALID`` unless a test sets
``business_public_key_status``; ``{"data": []}`` before any key).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import orjson
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.graph_refusals import JsonObject, Refusal

__all__ = ["public_key_of", "signed_key"]


def signed_key(key: str, status: str) -> JsonObject:
    return {"business_public_key": key, "business_public_key_signature_status": status}


def public_key_of(content_type: str, raw: bytes) -> str:
    """The PEM of a key registration, refused as Meta does unless it is RSA of 2048 bits."""
    value: object
    if content_type.startswith("application/json"):
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            parsed = None
        value = parsed.get("business_public_key") if isinstance(parsed, dict) else None
    else:
        found = parse_qs(raw.decode("utf-8", "replace")).get("business_public_key")
        value = found[0] if found else None
    if not isinstance(value, str) or not value.strip():
        raise Refusal(
            400,
            100,
            "(#100) The parameter business_public_key is required.",
            details="business_public_key is required.",
        )
    try:
        key = serialization.load_pem_public_key(value.strip().encode())
    except (ValueError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != 2048:
        raise Refusal(
            400,
            100,
            "(#100) Invalid parameter",
            details="business_public_key must be a 2048-bit RSA public key in PEM format.",
        )
    return value.strip()
