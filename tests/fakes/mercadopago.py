"""A faithful fake of Mercado Pago's Pix payments (``/v1/payments``) and its signed webhook.

* ``POST /v1/payments``: ``Authorization: Bearer <token>`` and ``X-Idempotency-Key`` are
  required; the same key answers the payment it created the first time, never a second one.
  The body needs ``payment_method_id: "pix"``, a positive ``transaction_amount`` with at most two
  decimals (read as ``Decimal`` from the raw JSON, so a float artefact such as
  ``1500.0000000001`` is refused), ``payer.email`` and, if given, a future
  ``date_of_expiration``. The answer is the payment: ``status: "pending"``,
  ``point_of_interaction.transaction_data`` with ``qr_code`` (a dynamic BR Code built with

  :mod:`dresbach.features.payments.pix`), ``qr_code_base64`` (a PNG) and ``ticket_url``. Dates are
  written in ``-04:00``, as MP does.
* ``GET /v1/payments/{id}``: the payment, or 404.
* ``GET /users/me``: the seller's account (``id``, ``nickname``, ``site_id`` ``MLB``), the
  cheapest authenticated call.
* Errors look like MP's: ``{"message", "error", "status", "cause": [...]}``.

Test helpers on the state: ``approve``, ``cancel``, ``expire``, ``fail_next`` and ``notify``,
which POSTs MP's webhook to ``{url}?data.id=<id>&type=payment`` with ``x-signature:
ts=<ts>,v1=<HMAC-SHA256 hex of "id:<id>;request-id:<x-request-id>;ts:<ts>;">`` and
``x-request-id``; a wrong ``secret`` forges the signature. The raw body of every accepted POST
is kept in ``raw_bodies``.

:class:`FakeMercadoPago` serves it over plain HTTP on 127.0.0.1 from a background thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, NoReturn

import httpx
import orjson
import segno
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from dresbach.features.payments.pix import BrCode, build_brcode
from tests.fakes.serving import BackgroundServer

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_WEBHOOK_SECRET",
    "FakeMercadoPago",
    "MercadoPagoState",
    "build_app",
]

JsonObject = dict[str, Any]

DEFAULT_ACCESS_TOKEN: Final = "TEST-0000000000000000-000000-fake"
DEFAULT_WEBHOOK_SECRET: Final = "fake-mercadopago-webhook-secret"
MP_TIME: Final = timezone(timedelta(hours=-4))
_CENT: Final = Decimal("0.01")
_FIRST_ID: Final = 1_325_140_001
_SELLER_ID: Final = 1_987_654_321


def mp_time(moment: datetime) -> str:
    """``2026-11-25T11:00:00.000-04:00``: how MP writes a date."""
    return moment.astimezone(MP_TIME).isoformat(timespec="milliseconds")


class _MpError(Exception):
    def __init__(self, status: int, error: str, message: str, *, code: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.body: JsonObject = {
            "message": message,
            "error": error,
            "status": status,
            "cause": [{"code": code, "description": message}] if code else [],
        }


class MercadoPagoState:
    """The fake's configuration and its thread-safe record of payments.

    Payments are kept with ``transaction_amount`` as ``Decimal``; answers write it as the exact
    JSON number.
    """

    def __init__(
        self,
        *,
        access_token: str = DEFAULT_ACCESS_TOKEN,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        merchant_name: str = "DRESBACH HOSTING",
        merchant_city: str = "SAO PAULO",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.access_token = access_token
        self.webhook_secret = webhook_secret
        self.merchant_name = merchant_name
        self.merchant_city = merchant_city
        self.clock = clock
        self._lock = threading.RLock()
        self._payments: dict[int, JsonObject] = {}
        self._by_key: dict[str, int] = {}
        self._ids = itertools.count(_FIRST_ID)
        self._fail_next: list[int] = []
        self.raw_bodies: list[bytes] = []
        """The raw body of every accepted ``POST /v1/payments`` (retries included)."""
        self.calls: list[tuple[str, str, int]] = []
        """``(method, path, status)`` of every call."""
        self.webhooks: list[tuple[str, dict[str, str], bytes]] = []
        """``(url, headers, body)`` of every webhook sent by :meth:`notify`."""

    # ---- test helpers ----------------------------------------------------------------------

    def payment(self, payment_id: int | str) -> JsonObject | None:
        """The payment as ``GET /v1/payments/{id}`` answers it (amount as ``Decimal``)."""
        with self._lock:
            found = self._payments.get(int(payment_id))
            return _copy(found) if found is not None else None

    @property
    def payment_count(self) -> int:
        with self._lock:
            return len(self._payments)

    def approve(self, payment_id: int | str) -> None:
        """The payer paid: ``approved`` / ``accredited`` with ``date_approved``."""
        self._settle(payment_id, "approved", "accredited", approved=True)

    def cancel(self, payment_id: int | str) -> None:
        self._settle(payment_id, "cancelled", "by_collector")

    def expire(self, payment_id: int | str) -> None:
        """What MP does when ``date_of_expiration`` passes unpaid."""
        self._settle(payment_id, "cancelled", "expired")

    def fail_next(self, *statuses: int) -> None:
        """The next calls answer these statuses (e.g. 500), one each, in order."""
        with self._lock:
            self._fail_next.extend(statuses)

    def notify(
        self,
        url: str,
        payment_id: int | str,
        *,
        secret: str | None = None,
        request_id: str | None = None,
        timeout: float = 5.0,
    ) -> int:
        """POST MP's webhook for ``payment_id`` to ``{url}?data.id=<id>&type=payment``, signed
        with ``secret`` (default: the configured webhook secret; another one forges it).
        Returns the HTTP status of the answer."""
        data_id = str(payment_id)
        ts = str(int(time.time()))
        request_id = request_id or str(uuid.uuid4())
        manifest = f"id:{data_id};request-id:{request_id};ts:{ts};"
        key = (secret if secret is not None else self.webhook_secret).encode()
        signature = hmac.new(key, manifest.encode(), hashlib.sha256).hexdigest()
        body = orjson.dumps(
            {
                "action": "payment.updated",
                "api_version": "v1",
                "type": "payment",
                "data": {"id": data_id},
                "date_created": mp_time(self.clock()),
                "live_mode": False,
            }
        )
        target = f"{url}{'&' if '?' in url else '?'}data.id={data_id}&type=payment"
        headers = {
            "Content-Type": "application/json",
            "x-signature": f"ts={ts},v1={signature}",
            "x-request-id": request_id,
        }
        with self._lock:
            self.webhooks.append((target, headers, body))
        return httpx.post(target, content=body, headers=headers, timeout=timeout).status_code

    # ---- used by the app -------------------------------------------------------------------

    def _settle(
        self, payment_id: int | str, status: str, detail: str, *, approved: bool = False
    ) -> None:
        with self._lock:
            payment = self._payments[int(payment_id)]
            if payment["status"] != "pending":
                raise ValueError(f"payment {payment_id} is {payment['status']}, not pending")
            now = mp_time(self.clock())
            payment.update(status=status, status_detail=detail, date_last_updated=now)
            if approved:
                payment["date_approved"] = now

    def _check_token(self, header: str | None) -> None:
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            token.strip().encode(), self.access_token.encode()
        ):
            raise _MpError(401, "unauthorized", "invalid access token")

    def _injected_failure(self) -> None:
        with self._lock:
            status = self._fail_next.pop(0) if self._fail_next else None
        if status is not None:
            raise _MpError(status, "internal_error", "injected failure")

    def _create(self, key: str, raw: bytes) -> tuple[int, JsonObject]:
        with self._lock:
            known = self._by_key.get(key)
            if known is not None:
                self.raw_bodies.append(raw)
                return 201, _copy(self._payments[known])
            payment = self._new_payment(_check_payment(raw, self.clock()))
            self._payments[payment["id"]] = payment
            self._by_key[key] = payment["id"]
            self.raw_bodies.append(raw)
            return 201, _copy(payment)

    def _new_payment(self, body: JsonObject) -> JsonObject:
        payment_id = next(self._ids)
        amount: Decimal = body["transaction_amount"]
        qr_code = build_brcode(
            BrCode(
                key="",
                merchant_name=self.merchant_name,
                merchant_city=self.merchant_city,
                amount=amount,
                url=f"pix.fake-mercadopago.local/qr/v2/{uuid.uuid4().hex}",
                point_of_initiation_unique=True,
            )
        )
        now = self.clock()
        expiration = body.get("date_of_expiration") or mp_time(now + timedelta(hours=24))
        return {
            "id": payment_id,
            "status": "pending",
            "status_detail": "pending_waiting_transfer",
            "date_created": mp_time(now),
            "date_last_updated": mp_time(now),
            "date_approved": None,
            "date_of_expiration": expiration,
            "transaction_amount": amount,
            "currency_id": "BRL",
            "description": body.get("description"),
            "external_reference": body.get("external_reference"),
            "payment_method_id": "pix",
            "payment_type_id": "bank_transfer",
            "payer": body["payer"],
            "point_of_interaction": {
                "type": "PIX",
                "transaction_data": {
                    "qr_code": qr_code,
                    "qr_code_base64": _png_base64(qr_code),
                    "ticket_url": f"https://fake-mercadopago.local/payments/{payment_id}/ticket",
                },
            },
        }

    def _get(self, payment_id: str) -> JsonObject:
        found = self.payment(payment_id) if payment_id.isdigit() else None
        if found is None:
            raise _MpError(404, "not_found", "Payment not found", code=2000)
        return found

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.calls.append((method, path, status))


# ---- the app -----------------------------------------------------------------------------------


def build_app(state: MercadoPagoState) -> Starlette:
    """The Starlette app of the fake, answering from and recording into ``state``."""

    async def create(request: Request) -> Response:
        try:
            state._check_token(request.headers.get("authorization"))
            state._injected_failure()
            key = request.headers.get("x-idempotency-key", "").strip()
            if not key:
                raise _MpError(400, "bad_request", "Header X-Idempotency-Key can't be null")
            status, body = state._create(key, await request.body())
        except _MpError as error:
            state._record("POST", "/v1/payments", error.status)
            return _json(error.body, error.status)
        state._record("POST", "/v1/payments", status)
        return _json(body, status)

    async def read(request: Request) -> Response:
        payment_id = str(request.path_params["payment_id"])
        try:
            state._check_token(request.headers.get("authorization"))
            state._injected_failure()
            body = state._get(payment_id)
        except _MpError as error:
            state._record("GET", f"/v1/payments/{payment_id}", error.status)
            return _json(error.body, error.status)
        state._record("GET", f"/v1/payments/{payment_id}", 200)
        return _json(body, 200)

    async def me(request: Request) -> Response:
        try:
            state._check_token(request.headers.get("authorization"))
            state._injected_failure()
        except _MpError as error:
            state._record("GET", "/users/me", error.status)
            return _json(error.body, error.status)
        state._record("GET", "/users/me", 200)
        return _json(
            {"id": _SELLER_ID, "nickname": "DRESBACHHOSTING", "site_id": "MLB", "country_id": "BR"},
            200,
        )

    return Starlette(
        routes=[
            Route("/users/me", me, methods=["GET"]),
            Route("/v1/payments", create, methods=["POST"]),
            Route("/v1/payments/{payment_id}", read, methods=["GET"]),
        ]
    )


def _json(body: JsonObject, status: int) -> Response:
    return Response(_dumps(body), status_code=status, media_type="application/json")


def _dumps(body: JsonObject) -> bytes:
    """JSON with every Decimal written as its exact number text (never through float)."""

    def default(value: object) -> orjson.Fragment:
        if isinstance(value, Decimal):
            return orjson.Fragment(f"{value:f}".encode())
        raise TypeError(type(value).__name__)

    return orjson.dumps(body, default=default)


def _copy(payment: JsonObject) -> JsonObject:
    copied: JsonObject = json.loads(_dumps(payment), parse_float=Decimal)
    return copied


def _no_constants(name: str) -> NoReturn:
    raise ValueError(name)


def _check_payment(raw: bytes, now: datetime) -> JsonObject:
    """The body of a Pix payment, or a 400 like MP's."""
    try:
        body = json.loads(raw, parse_float=Decimal, parse_constant=_no_constants)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _MpError(400, "bad_request", "The request body is not valid JSON")
    amount = body.get("transaction_amount")
    if isinstance(amount, int) and not isinstance(amount, bool):
        amount = Decimal(amount)
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(_CENT):
        raise _MpError(400, "bad_request", "Invalid transaction_amount", code=4037)
    body["transaction_amount"] = amount.quantize(_CENT)
    if body.get("payment_method_id") != "pix":
        raise _MpError(400, "bad_request", "Invalid payment_method_id", code=4020)
    payer = body.get("payer")
    email = payer.get("email") if isinstance(payer, dict) else None
    if not isinstance(email, str) or "@" not in email:
        raise _MpError(400, "bad_request", "payer.email must be a valid email", code=4050)
    for key in ("description", "external_reference"):
        if key in body and not isinstance(body[key], str):
            raise _MpError(400, "bad_request", f"{key} must be a string")
    expiration = body.get("date_of_expiration")
    if expiration is not None:
        try:
            moment = datetime.fromisoformat(str(expiration))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise _MpError(400, "bad_request", "Invalid date_of_expiration", code=4322)
        if moment <= now:
            raise _MpError(400, "bad_request", "date_of_expiration must be in the future")
        body["date_of_expiration"] = mp_time(moment)
    return body


def _png_base64(payload: str) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=4, border=4)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# ---- the server --------------------------------------------------------------------------------


class FakeMercadoPago(BackgroundServer):
    """Serve the fake on 127.0.0.1 from a background thread:
    ``with FakeMercadoPago(webhook_secret="...") as mp: ...`` (or ``start()`` / ``stop()``).

    ``state`` holds the payments and the helpers, also reachable as ``mp.approve(id)`` and
    ``mp.notify(url, id, secret=...)``.
    """

    label = "the fake Mercado Pago"

    def __init__(
        self,
        *,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        access_token: str = DEFAULT_ACCESS_TOKEN,
        state: MercadoPagoState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        super().__init__(host=host, port=port, startup_timeout=startup_timeout)
        if state is None:
            state = MercadoPagoState(access_token=access_token, webhook_secret=webhook_secret)
        self.state = state

    def app(self) -> ASGIApp:
        return build_app(self.state)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: what goes before ``/v1/payments``."""
        return f"http://{self._host}:{self.port}"

    def approve(self, payment_id: int | str) -> None:
        self.state.approve(payment_id)

    def notify(self, url: str, payment_id: int | str, *, secret: str | None = None) -> int:
        return self.state.notify(url, payment_id, secret=secret)
