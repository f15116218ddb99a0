"""`X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret, compared as bytes in
constant time, before anything is parsed. Any header (a non-ASCII one too) is an answer, never
an exception."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | bytes | None) -> bool:
    if not secret or not header:
        return False
    # HTTP headers arrive as latin-1 text: their bytes are compared, whatever they hold
    given = header if isinstance(header, bytes) else header.encode("latin-1", "replace")
    return hmac.compare_digest(sign(secret, body).encode(), given.strip())
