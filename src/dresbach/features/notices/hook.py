"""What a WHMCS hook tells us, signed: one event as JSON, `POST /hooks/whmcs` with
`X-Dresbach-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body under
`DRESBACH_NOTICES_HOOK_SECRET`, checked in constant time before the body is read as JSON.

The body (a small PHP hook in WHMCS sends it: `InvoiceCreated`, `AfterModuleSuspend`,
`TicketAdminReply`, or a certificate check of one's own for `ssl_expiring`)::

    {"kind": "ssl_expiring", "client_id": "1", "object_id": "anasouza.com.br",
     "date": "2026-12-20", "subject": "anasouza.com.br"}

`amount` (`"59.90"`) goes with the invoice kinds. The notice it becomes is the same event a
poll would find (`kind:object:date`), so the two together still send it once."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from dresbach.features.notices.model import KINDS, Notice, reais

HEADER: Final = "x-dresbach-signature"
PREFIX: Final = "sha256="
SUBJECT_MAX: Final = 200
OBJECT_MAX: Final = 80
"""An object id this long at most: the event key stays within the outbox's queue name."""


class HookRefused(ValueError):
    """The body is not an event we take (the message says why, for the log)."""


def sign(secret: str, body: bytes) -> str:
    """The header's value for `body` (what the WHMCS hook computes)."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(secret: str, body: bytes, given: str) -> bool:
    """Whether `given` is the body's signature under `secret` (never with an empty secret)."""
    if not secret:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), given.strip().lower().encode())


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise HookRefused(f"{key} is missing")
    text = str(value).strip()
    if not text or len(text) > SUBJECT_MAX:
        raise HookRefused(f"{key} is empty or too long")
    return text


def _reais(raw: object) -> str:
    if raw in (None, ""):
        return ""
    try:
        amount = Decimal(str(raw))
    except InvalidOperation as error:
        raise HookRefused("amount is not a number") from error
    if not amount.is_finite() or amount < 0:
        raise HookRefused("amount is not a number")
    return reais(amount)


def notice_of(body: bytes) -> Notice:
    """The notice a hook's body reports, or HookRefused."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise HookRefused("the body is not JSON") from error
    if not isinstance(data, dict):
        raise HookRefused("the body is not a JSON object")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise HookRefused(f"unknown kind {kind!r}")
    client_id = _text(data, "client_id")
    if not client_id.isdigit():
        raise HookRefused("client_id is not a WHMCS client id")
    try:
        on = date.fromisoformat(_text(data, "date"))
    except ValueError as error:
        raise HookRefused("date is not YYYY-MM-DD") from error
    object_id = _text(data, "object_id")
    if len(object_id) > OBJECT_MAX:
        raise HookRefused("object_id is too long")
    return Notice(
        kind=kind,
        client_id=client_id,
        object_id=object_id,
        on=on,
        subject=" ".join(_text(data, "subject").split()),
        amount=_reais(data.get("amount")),
    )
