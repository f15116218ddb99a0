"""The Mercado Pago adapter: Pix through ``/v1/payments``, and its webhook's signature.

* ``create_charge``: ``POST {base}/v1/payments`` with ``payment_method_id: "pix"``. The mandatory
  ``X-Idempotency-Key`` is a UUID derived from our txid (``uuid5``), so a retry of the same
  command returns the payment already made instead of creating a second one. MP only asks the key
  to be unique; the docs suggest a v4 because most callers have nothing stable to derive it from.
* ``transaction_amount`` is a JSON *number*. It is written from the ``Decimal`` as the text
  ``1500.00`` (``orjson.Fragment``), never through float. Answers are read with the standard
  ``json`` module and ``parse_float=Decimal``, so amounts come back as the exact decimal text MP
  sent. (orjson has no such hook; ``Decimal(str(float))`` would also round-trip any amount of up
  to 15 significant digits, but only by that argument, while ``parse_float`` never makes a
  float at all.)
* The payer's e-mail is required by MP. When the customer gave none, ``fallback_payer_email``
  (default ``cliente@dresbach.com.br``, a mailbox of ours) is sent: MP's receipts then reach us,
  never a stranger at a made-up address, and we never invent a customer's address.
* ``fetch_charge``: ``GET {base}/v1/payments/{id}``; the payment must carry our txid as
  ``external_reference``. approved → "paid"; pending / in_process / authorized / in_mediation
  → "active" (or "expired" past ``date_of_expiration``); cancelled with ``status_detail``
  "expired" → "expired"; cancelled / rejected / refunded / charged_back → "cancelled".
* Errors: timeouts, transport failures, 408, 429 and 5xx → ``TransientError``; other 4xx →
  ``PermanentError`` with MP's ``message``.

The webhook is verified with :func:`verify_signature` (manifest ``id:{data.id};request-id:
{x-request-id};ts:{ts};``, HMAC-SHA256, hex) and read with :func:`parse_notification`; it is
still only a hint, confirmed by ``fetch_charge``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, NoReturn

import httpx
import orjson

from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeState,
    ChargeStatus,
    PaymentHint,
)
from dresbach.kernel.documents import DocumentError, parse_document
from dresbach.kernel.errors import DresbachError, PermanentError, TransientError
from dresbach.kernel.money import money

JsonObject = dict[str, Any]

DEFAULT_PAYER_EMAIL: Final = "cliente@dresbach.com.br"
IDEMPOTENCY_NAMESPACE: Final = uuid.UUID("6f1d8a52-3c1e-5b7a-9d0e-2a4b6c8d0e1f")
"""Fixed forever: changing it would let a retry after a deploy create a second payment."""
PAYMENT_ID: Final = re.compile(r"[0-9A-Za-z_-]{1,64}")
_AMOUNT: Final = re.compile(r"[0-9]{1,10}\.[0-9]{2}")
_CENT: Final = Decimal("0.01")
_RETRYABLE: Final = frozenset({408, 425, 429})
_PAID: Final = frozenset({"approved"})
_OPEN: Final = frozenset({"pending", "in_process", "authorized", "in_mediation"})
_CLOSED: Final = frozenset({"cancelled", "rejected", "refunded", "charged_back"})


class MercadoPagoGateway:
    """Mercado Pago at ``base_url`` (``https://api.mercadopago.com``) with an access token.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests). Call ``aclose()`` at
    shutdown.
    """

    name = "mercadopago"

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str,
        clock: Callable[[], datetime],
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        fallback_payer_email: str = DEFAULT_PAYER_EMAIL,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._clock = clock
        self._fallback_email = fallback_payer_email
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    # ---- the port ------------------------------------------------------------------------------

    async def create_charge(self, request: ChargeRequest) -> Charge:
        if not request.txid:
            raise PermanentError("Mercado Pago: a charge needs a txid")
        now = self._clock()
        expires_at = now + timedelta(seconds=request.expires_in_seconds)
        body = {
            "transaction_amount": orjson.Fragment(amount_token(request.amount)),
            "payment_method_id": "pix",
            "description": " ".join(request.description.split()) or request.txid,
            "external_reference": request.txid,
            "date_of_expiration": mp_timestamp(expires_at),
            "payer": self._payer(request),
        }
        response = await _transmit(
            self._client.post(
                f"{self._base}/v1/payments",
                content=orjson.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "X-Idempotency-Key": idempotency_key(request.txid),
                },
            )
        )
        if not response.is_success:
            raise _error(response, "POST /v1/payments")
        payment = _payment(response)
        _check_reference(payment, request.txid)
        payment_id = payment.get("id")
        if payment_id is None or isinstance(payment_id, bool):
            raise PermanentError("Mercado Pago: the payment came without an id")
        qr_code = _transaction_data(payment).get("qr_code")
        if not isinstance(qr_code, str) or not qr_code:
            raise PermanentError("Mercado Pago: the payment came without a Pix qr_code")
        return Charge(
            txid=request.txid,
            provider=self.name,
            provider_id=str(payment_id),
            copia_e_cola=qr_code,
            amount=_amount(payment.get("transaction_amount")),
            created_at=_timestamp(payment.get("date_created")) or now,
            expires_at=_timestamp(payment.get("date_of_expiration")) or expires_at,
        )

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        if not PAYMENT_ID.fullmatch(provider_id):
            raise PermanentError(f"Mercado Pago: invalid payment id {provider_id!r}")
        response = await _transmit(self._client.get(f"{self._base}/v1/payments/{provider_id}"))
        if not response.is_success:
            raise _error(response, f"GET /v1/payments/{provider_id}")
        payment = _payment(response)
        _check_reference(payment, txid)
        status = payment.get("status")
        if status in _PAID:
            e2e = _transaction_data(payment).get("e2e_id")
            return ChargeStatus(
                txid=txid,
                provider_id=provider_id,
                state="paid",
                amount_paid=_amount(payment.get("transaction_amount")),
                paid_at=_timestamp(payment.get("date_approved")),
                end_to_end_id=e2e if isinstance(e2e, str) and e2e else None,
            )
        state: ChargeState
        if status in _OPEN:
            expires_at = _timestamp(payment.get("date_of_expiration"))
            past = expires_at is not None and self._clock() >= expires_at
            state = "expired" if past else "active"
        elif status == "cancelled" and payment.get("status_detail") == "expired":
            state = "expired"
        elif status in _CLOSED:
            state = "cancelled"
        else:
            raise PermanentError(f"Mercado Pago: unknown payment status {status!r}")
        return ChargeStatus(txid=txid, provider_id=provider_id, state=state)

    def _payer(self, request: ChargeRequest) -> JsonObject:
        payer: JsonObject = {"email": request.payer_email or self._fallback_email}
        first, _, last = " ".join((request.payer_name or "").split()).partition(" ")
        if first:
            payer["first_name"] = first
        if last:
            payer["last_name"] = last
        if request.payer_document:
            try:
                document = parse_document(request.payer_document)
            except DocumentError:
                pass  # optional: an invalid document is left out, not sent to be refused
            else:
                payer["identification"] = {
                    "type": document.kind.upper(),
                    "number": document.value,
                }
        return payer


# ---- webhook -----------------------------------------------------------------------------------


def signature_manifest(data_id: str | None, request_id: str | None, ts: str) -> str:
    """``id:{data.id};request-id:{x-request-id};ts:{ts};``; absent parts are left out, as the
    official SDK does. ``data.id`` is used exactly as received (payment ids are numeric)."""
    manifest = f"id:{data_id};" if data_id else ""
    manifest += f"request-id:{request_id};" if request_id else ""
    return manifest + f"ts:{ts};"


def verify_signature(
    secret: str, x_signature: str | None, x_request_id: str | None, data_id: str | None
) -> bool:
    """Whether ``x-signature: ts=<ts>,v1=<hex>`` is HMAC-SHA256(secret, manifest) in hex.

    ``data_id`` is ``data.id`` from the URL's query string, not from the body. The comparison is
    constant-time. There is no age check on ``ts``: a replayed notification only triggers another
    re-query, which is harmless.
    """
    if not secret or not x_signature:
        return False
    fields: dict[str, str] = {}
    for part in x_signature.split(","):
        key, sep, value = part.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    ts, v1 = fields.get("ts"), fields.get("v1")
    if not ts or not v1:
        return False
    manifest = signature_manifest(data_id, x_request_id, ts)
    expected = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), v1.lower().encode())


def parse_notification(query: Mapping[str, str], body: bytes) -> list[PaymentHint]:
    """The payment a webhook is about, as a hint (``provider_id`` = the payment id).

    The id comes from the query string (``?data.id=<id>&type=payment``; the legacy
    ``?id=<id>&topic=payment`` too), the one the signature covers. Other topics give ``[]``.
    Raises ``ValueError`` for a body that is not a JSON object, a payment notification without
    a valid id, or a body whose ``data.id`` contradicts the query string.
    """
    payload: object = {}
    if body.strip():
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise ValueError(f"Mercado Pago webhook: body is not JSON ({error})") from error
    if not isinstance(payload, dict):
        raise ValueError("Mercado Pago webhook: body is not a JSON object")
    kind = query.get("type") or query.get("topic") or payload.get("type")
    if kind != "payment":
        return []
    data_id = query.get("data.id") or (query.get("id") if "topic" in query else None)
    if not data_id or not PAYMENT_ID.fullmatch(data_id):
        raise ValueError(f"Mercado Pago webhook: no valid data.id in the query ({data_id!r})")
    data = payload.get("data")
    body_id = data.get("id") if isinstance(data, dict) else None
    if body_id is not None and str(body_id) != data_id:
        raise ValueError("Mercado Pago webhook: data.id differs between query and body")
    return [PaymentHint(provider_id=data_id)]


# ---- helpers -----------------------------------------------------------------------------------


def idempotency_key(txid: str) -> str:
    """The ``X-Idempotency-Key`` of the payment for ``txid``: the same txid, the same key."""
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"mercadopago-payment:{txid}"))


def amount_token(amount: Decimal) -> bytes:
    """The JSON number for ``amount`` with two decimals (``b"1500.00"``), made without float."""
    try:
        text = format(money(amount), "f")
    except (ValueError, ArithmeticError) as error:
        raise PermanentError(f"Mercado Pago: invalid amount {amount!r}") from error
    if not _AMOUNT.fullmatch(text):
        raise PermanentError(f"Mercado Pago: amount out of range {text}")
    return text.encode("ascii")


def mp_timestamp(moment: datetime) -> str:
    """ISO 8601 with milliseconds and offset, as MP writes it: ``2026-11-25T15:00:00.000+00:00``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.isoformat(timespec="milliseconds")


async def _transmit(sending: Awaitable[httpx.Response]) -> httpx.Response:
    try:
        return await sending
    except httpx.TimeoutException as error:
        raise TransientError(f"Mercado Pago timeout: {type(error).__name__}") from error
    except httpx.TransportError as error:
        raise TransientError(f"Mercado Pago unreachable: {type(error).__name__}") from error


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def _decode(content: bytes) -> object:
    """JSON with every fraction as ``Decimal`` (no float is ever made)."""
    return json.loads(content, parse_float=Decimal, parse_constant=_no_constants)


def _payment(response: httpx.Response) -> JsonObject:
    try:
        decoded = _decode(response.content)
    except ValueError as error:
        raise PermanentError("Mercado Pago: the answer is not JSON") from error
    if not isinstance(decoded, dict):
        raise PermanentError("Mercado Pago: the answer is not a JSON object")
    return decoded


def _check_reference(payment: JsonObject, txid: str) -> None:
    reference = payment.get("external_reference")
    if reference != txid:
        raise PermanentError(
            f"Mercado Pago: payment {payment.get('id')} belongs to {reference!r}, not {txid!r}"
        )


def _transaction_data(payment: JsonObject) -> JsonObject:
    point = payment.get("point_of_interaction")
    data = point.get("transaction_data") if isinstance(point, dict) else None
    return data if isinstance(data, dict) else {}


def _amount(value: object) -> Decimal:
    """``transaction_amount`` (decoded as Decimal or int) as a Decimal, in cents when exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise PermanentError(f"Mercado Pago: transaction_amount is not a number: {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise PermanentError(f"Mercado Pago: transaction_amount is not finite: {value!r}")
    cents = amount.quantize(_CENT)
    return cents if cents == amount else amount


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().upper())
    except ValueError as error:
        raise PermanentError(f"Mercado Pago: not an ISO 8601 timestamp: {value!r}") from error
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _error(response: httpx.Response, what: str) -> DresbachError:
    status = response.status_code
    try:
        decoded = _decode(response.content) if response.content else {}
    except ValueError:
        decoded = {}
    detail = decoded if isinstance(decoded, dict) else {}
    parts = [f"Mercado Pago {what}: HTTP {status}"]
    for key in ("error", "message"):
        if isinstance(detail.get(key), str):
            parts.append(detail[key])
    for cause in detail.get("cause") or ():
        if isinstance(cause, dict) and isinstance(cause.get("description"), str):
            parts.append(cause["description"])
    message = " - ".join(parts)
    if status >= 500 or status in _RETRYABLE:
        return TransientError(message, code=status)
    return PermanentError(message, code=status)
