"""The real MercadoPagoGateway against the fake Mercado Pago, and MP's webhook signature."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.features.payments.adapters.mercadopago import (
    DEFAULT_PAYER_EMAIL,
    MercadoPagoGateway,
    idempotency_key,
    parse_notification,
    signature_manifest,
    verify_signature,
)
from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeStatus,
    PaymentHint,
    txid_for,
)
from dresbach.features.payments.pix import parse_brcode
from dresbach.features.payments.ports import PaymentGateway
from dresbach.kernel.errors import PermanentError, TransientError
from tests.fakes.mercadopago import DEFAULT_ACCESS_TOKEN, FakeMercadoPago
from tests.support.servers import serve_in_thread

T = TypeVar("T")
SECRET = "webhook-secret-for-tests"

# The reference's vector (computed, and accepted by the official SDK's validator).
VECTOR_SECRET = "your-webhook-secret"
VECTOR_DATA_ID = "123456"
VECTOR_REQUEST_ID = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"
VECTOR_TS = "1742505638"
VECTOR_MANIFEST = "id:123456;request-id:bb56a2f1-6aae-46ac-982e-9dcd3581d08e;ts:1742505638;"
VECTOR_V1 = "67343c612ccc10ece962ed5857fae12f2b6473397c1c1b8b9db666727a4ad148"


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago(webhook_secret=SECRET) as running:
        yield running


def run(
    mp: FakeMercadoPago,
    scenario: Callable[[MercadoPagoGateway], Awaitable[T]],
    clock: Callable[[], datetime] | None = None,
    **changes: Any,
) -> T:
    async def main() -> T:
        options: dict[str, Any] = {
            "base_url": mp.base_url,
            "access_token": DEFAULT_ACCESS_TOKEN,
            "clock": clock or Clock(),
            "timeout": 5.0,
        }
        options.update(changes)
        gateway = MercadoPagoGateway(**options)
        try:
            return await scenario(gateway)
        finally:
            await gateway.aclose()

    return asyncio.run(main())


def create(mp: FakeMercadoPago, request: ChargeRequest, **changes: Any) -> Charge:
    return run(mp, lambda gateway: gateway.create_charge(request), **changes)


def fetch(
    mp: FakeMercadoPago, charge: Charge, clock: Callable[[], datetime] | None = None
) -> ChargeStatus:
    return run(mp, lambda g: g.fetch_charge(charge.txid, charge.provider_id), clock)


_counter = iter(range(1_000_000))


def new_request(
    amount: str = "1500.00",
    *,
    expires: int = 3600,
    email: str | None = None,
    name: str | None = None,
    document: str | None = None,
) -> ChargeRequest:
    return ChargeRequest(
        txid=txid_for(f"test-mp-{next(_counter)}-{datetime.now(UTC).isoformat()}"),
        amount=Decimal(amount),
        description="Diagnóstico técnico",
        expires_in_seconds=expires,
        payer_name=name,
        payer_email=email,
        payer_document=document,
    )


# ---- creating --------------------------------------------------------------------------------


def test_it_is_a_payment_gateway(mp: FakeMercadoPago) -> None:
    gateway: PaymentGateway = MercadoPagoGateway(
        base_url=mp.base_url, access_token="x", clock=Clock()
    )
    assert gateway.name == "mercadopago"


def test_create_charge_posts_a_pix_payment(mp: FakeMercadoPago) -> None:
    clock = Clock()
    request = new_request()

    charge = create(mp, request, clock=clock)

    assert charge.txid == request.txid
    assert charge.provider == "mercadopago"
    assert charge.provider_id.isdigit()
    assert charge.amount == Decimal("1500.00")
    payment = mp.state.payment(charge.provider_id)
    assert payment is not None
    assert payment["status"] == "pending"
    assert payment["external_reference"] == request.txid
    assert payment["payment_method_id"] == "pix"
    assert payment["description"] == "Diagnóstico técnico"
    assert payment["payer"] == {"email": DEFAULT_PAYER_EMAIL}
    assert charge.copia_e_cola == payment["point_of_interaction"]["transaction_data"]["qr_code"]
    assert parse_brcode(charge.copia_e_cola).amount == Decimal("1500.00")
    assert abs(charge.expires_at - (clock() + timedelta(seconds=3600))) < timedelta(seconds=5)
    assert charge.expires_at.utcoffset() == timedelta(hours=-4)  # MP writes -04:00


def test_the_amount_is_a_json_number_written_without_float(mp: FakeMercadoPago) -> None:
    for amount, token in [("1500", b"1500.00"), ("0.30", b"0.30"), ("1234567.89", b"1234567.89")]:
        create(mp, new_request(amount))
        raw = mp.state.raw_bodies[-1]
        assert b'"transaction_amount":' + token + b"," in raw
        assert orjson.loads(raw)["date_of_expiration"].endswith("+00:00")


def test_a_retry_uses_the_same_idempotency_key_and_gets_the_same_payment(
    mp: FakeMercadoPago,
) -> None:
    request = new_request()
    before = mp.state.payment_count

    first = create(mp, request)
    second = create(mp, request)

    assert first == second
    assert mp.state.payment_count == before + 1
    assert idempotency_key(request.txid) == idempotency_key(request.txid)
    assert idempotency_key(request.txid) != idempotency_key(new_request().txid)
    assert uuid.UUID(idempotency_key(request.txid)).version == 5


def test_the_payer_is_sent_when_known(mp: FakeMercadoPago) -> None:
    request = new_request(
        email="maria@example.com.br", name="Maria  da Silva", document="529.982.247-25"
    )
    charge = create(mp, request)
    payment = mp.state.payment(charge.provider_id)
    assert payment is not None
    assert payment["payer"] == {
        "email": "maria@example.com.br",
        "first_name": "Maria",
        "last_name": "da Silva",
        "identification": {"type": "CPF", "number": "52998224725"},
    }


def test_the_fallback_payer_email_is_configurable(mp: FakeMercadoPago) -> None:
    charge = create(mp, new_request(), fallback_payer_email="pix@dresbach.com.br")
    payment = mp.state.payment(charge.provider_id)
    assert payment is not None
    assert payment["payer"]["email"] == "pix@dresbach.com.br"


def test_bad_input_fails_before_any_call(mp: FakeMercadoPago) -> None:
    before = len(mp.state.calls)
    with pytest.raises(PermanentError, match="amount"):
        create(mp, new_request("10.001"))
    with pytest.raises(PermanentError, match="amount"):
        create(mp, new_request("0.00"))
    assert len(mp.state.calls) == before


def test_mp_validation_errors_are_permanent(mp: FakeMercadoPago) -> None:
    with pytest.raises(PermanentError, match="date_of_expiration") as caught:
        create(mp, new_request(expires=-60))
    assert caught.value.code == 400


# ---- fetching --------------------------------------------------------------------------------


def test_fetch_is_active_then_paid_after_approval(mp: FakeMercadoPago) -> None:
    charge = create(mp, new_request("37.00"))

    active = fetch(mp, charge)
    mp.approve(charge.provider_id)
    paid = fetch(mp, charge)

    assert active.state == "active"
    assert paid.state == "paid"
    assert paid.provider_id == charge.provider_id
    assert paid.amount_paid == Decimal("37.00")
    assert str(paid.amount_paid) == "37.00"
    assert paid.paid_at is not None
    assert paid.paid_at.tzinfo is not None


def test_a_pending_payment_past_its_expiration_is_expired(mp: FakeMercadoPago) -> None:
    clock = Clock()
    charge = create(mp, new_request(expires=1800))

    clock.offset = timedelta(seconds=1801)
    status = fetch(mp, charge, clock)

    assert status.state == "expired"
    payment = mp.state.payment(charge.provider_id)
    assert payment is not None
    assert payment["status"] == "pending"


def test_expired_and_cancelled_payments(mp: FakeMercadoPago) -> None:
    expired = create(mp, new_request())
    cancelled = create(mp, new_request())
    mp.state.expire(expired.provider_id)
    mp.state.cancel(cancelled.provider_id)

    assert fetch(mp, expired).state == "expired"
    assert fetch(mp, cancelled).state == "cancelled"


def test_a_payment_of_another_charge_is_refused(mp: FakeMercadoPago) -> None:
    charge = create(mp, new_request())
    with pytest.raises(PermanentError, match="belongs to"):
        run(mp, lambda g: g.fetch_charge(txid_for("another"), charge.provider_id))


def test_an_unknown_payment_is_a_permanent_error(mp: FakeMercadoPago) -> None:
    with pytest.raises(PermanentError, match="Payment not found") as caught:
        run(mp, lambda g: g.fetch_charge(txid_for("x"), "999"))
    assert caught.value.code == 404
    with pytest.raises(PermanentError, match="invalid payment id"):
        run(mp, lambda g: g.fetch_charge(txid_for("x"), "../v1/users/me"))


def test_a_wrong_token_is_permanent_and_server_errors_are_transient(mp: FakeMercadoPago) -> None:
    with pytest.raises(PermanentError, match="unauthorized") as caught:
        create(mp, new_request(), access_token="wrong")
    assert caught.value.code == 401

    mp.state.fail_next(500)
    with pytest.raises(TransientError, match="HTTP 500") as transient:
        create(mp, new_request())
    assert transient.value.code == 500


def test_an_unreachable_mp_is_transient() -> None:
    with serve_in_thread(Starlette()) as origin:
        closed = origin

    async def scenario() -> None:
        gateway = MercadoPagoGateway(base_url=closed, access_token="x", clock=Clock(), timeout=2)
        try:
            await gateway.create_charge(new_request())
        finally:
            await gateway.aclose()

    with pytest.raises(TransientError, match="unreachable"):
        asyncio.run(scenario())


# ---- webhook signature -----------------------------------------------------------------------


def test_the_signature_matches_the_reference_vector() -> None:
    header = f"ts={VECTOR_TS},v1={VECTOR_V1}"

    assert signature_manifest(VECTOR_DATA_ID, VECTOR_REQUEST_ID, VECTOR_TS) == VECTOR_MANIFEST
    assert verify_signature(VECTOR_SECRET, header, VECTOR_REQUEST_ID, VECTOR_DATA_ID)
    assert verify_signature(
        VECTOR_SECRET, f" v1={VECTOR_V1} , ts={VECTOR_TS} ", VECTOR_REQUEST_ID, VECTOR_DATA_ID
    )


@pytest.mark.parametrize(
    ("secret", "header", "request_id", "data_id"),
    [
        (VECTOR_SECRET, f"ts={VECTOR_TS},v1={VECTOR_V1}", VECTOR_REQUEST_ID, "123457"),
        ("another-secret", f"ts={VECTOR_TS},v1={VECTOR_V1}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts=1742505639,v1={VECTOR_V1}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts={VECTOR_TS},v1={VECTOR_V1}", "another-request", VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts={VECTOR_TS},v1={VECTOR_V1}", None, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts={VECTOR_TS},v1={VECTOR_V1[:-1]}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts={VECTOR_TS},v1={VECTOR_V1[:-1]}é", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"v1={VECTOR_V1}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, f"ts={VECTOR_TS}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, "", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        (VECTOR_SECRET, None, VECTOR_REQUEST_ID, VECTOR_DATA_ID),
        ("", f"ts={VECTOR_TS},v1={VECTOR_V1}", VECTOR_REQUEST_ID, VECTOR_DATA_ID),
    ],
)
def test_a_wrong_signature_is_rejected(
    secret: str, header: str | None, request_id: str | None, data_id: str
) -> None:
    assert not verify_signature(secret, header, request_id, data_id)


def test_absent_parts_are_left_out_of_the_manifest() -> None:
    assert signature_manifest(None, None, "1") == "ts:1;"
    assert signature_manifest("9", None, "1") == "id:9;ts:1;"
    assert signature_manifest(None, "r", "1") == "request-id:r;ts:1;"


def test_the_fake_webhook_is_signed_and_a_forged_one_is_not(mp: FakeMercadoPago) -> None:
    received: list[tuple[dict[str, str], dict[str, str], bytes]] = []

    async def webhook(request: Request) -> Response:
        received.append((dict(request.query_params), dict(request.headers), await request.body()))
        return Response(status_code=200)

    charge = create(mp, new_request())
    mp.approve(charge.provider_id)
    app = Starlette(routes=[Route("/webhooks/mercadopago", webhook, methods=["POST"])])
    with serve_in_thread(app) as origin:
        url = f"{origin}/webhooks/mercadopago"
        assert mp.notify(url, charge.provider_id) == 200
        assert mp.notify(url, charge.provider_id, secret="not-the-secret") == 200

    (query, headers, body), (forged_query, forged_headers, _) = received
    assert query == {"data.id": charge.provider_id, "type": "payment"}
    assert orjson.loads(body)["action"] == "payment.updated"
    assert verify_signature(
        SECRET, headers["x-signature"], headers["x-request-id"], query["data.id"]
    )
    assert not verify_signature(
        SECRET,
        forged_headers["x-signature"],
        forged_headers["x-request-id"],
        forged_query["data.id"],
    )
    hints = parse_notification(query, body)
    assert hints == [PaymentHint(provider_id=charge.provider_id)]
    status = run(mp, lambda g: g.fetch_charge(charge.txid, hints[0].provider_id or ""))
    assert status.state == "paid"


# ---- parse_notification ----------------------------------------------------------------------


def test_parse_notification_takes_the_id_from_the_query_string() -> None:
    body = orjson.dumps({"action": "payment.updated", "type": "payment", "data": {"id": "42"}})

    assert parse_notification({"data.id": "42", "type": "payment"}, body) == [
        PaymentHint(provider_id="42")
    ]
    assert parse_notification({"data.id": "42"}, body) == [PaymentHint(provider_id="42")]
    assert parse_notification({"id": "42", "topic": "payment"}, b"") == [
        PaymentHint(provider_id="42")
    ]


def test_parse_notification_ignores_other_topics() -> None:
    assert parse_notification({"id": "7", "topic": "merchant_order"}, b"") == []
    body = orjson.dumps({"type": "plan", "data": {"id": "7"}})
    assert parse_notification({"data.id": "7", "type": "plan"}, body) == []


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"data.id": "42", "type": "payment"}, b"not json"),
        ({"data.id": "42", "type": "payment"}, b"[1, 2]"),
        ({"type": "payment"}, b'{"type": "payment", "data": {"id": "42"}}'),
        ({"data.id": "4 2", "type": "payment"}, b""),
        ({"data.id": "42", "type": "payment"}, b'{"type": "payment", "data": {"id": "43"}}'),
    ],
)
def test_parse_notification_refuses_junk(query: dict[str, str], body: bytes) -> None:
    with pytest.raises(ValueError, match="Mercado Pago webhook"):
        parse_notification(query, body)


def test_the_fake_requires_an_idempotency_key(mp: FakeMercadoPago) -> None:
    response = httpx.post(
        f"{mp.base_url}/v1/payments",
        content=b'{"transaction_amount": 1.00, "payment_method_id": "pix"}',
        headers={"Authorization": f"Bearer {DEFAULT_ACCESS_TOKEN}"},
    )
    assert response.status_code == 400
    assert "X-Idempotency-Key" in response.json()["message"]
