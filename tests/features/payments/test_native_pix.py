"""Native Pix over real HTTP (#12 item 6): with `DRESBACH_PIX_NATIVE=1` and a dynamic-code
provider (the Mercado Pago fake), the charge reaches the fake Graph API as an `order_details`
card and its confirmation (re-queried at the PSP, as always) as `order_status` "completed";
an account Meta has not enabled for payments gets today's QR and copia-e-cola instead; with
native Pix off, or a static provider, today's messages go as before."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.platform.store.schema import payments
from tests.fakes import mercadopago as mp_fake
from tests.fakes.mercadopago import FakeMercadoPago
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack

USER = "5511944445555"


@pytest.fixture
def mercado_pago() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as server:
        yield server


def mercado_pago_stack(stack_factory: Any, url: str, psp: FakeMercadoPago, **more: Any) -> Stack:
    stack: Stack = stack_factory(
        url,
        pix_provider="mercadopago",
        mp_base_url=psp.base_url,
        mp_access_token=Secret(mp_fake.DEFAULT_ACCESS_TOKEN),
        mp_webhook_secret=Secret(mp_fake.DEFAULT_WEBHOOK_SECRET),
        **more,
    )
    return stack


def is_charge(message: dict[str, Any]) -> bool:
    """The charge as the customer gets it: the order card, or today's copia-e-cola text."""
    if message["type"] == "interactive":
        return bool(message["interactive"]["type"] == "order_details")
    return text_of(message).startswith("000201")


def walk_to_the_pix(customer: Customer) -> list[dict[str, Any]]:
    """Every message from the offer's "Pagar e agendar" up to the charge."""
    customer.says("oi")
    customer.taps("Consultoria Tech Ops")
    customer.taps("Arquitetura de sistemas")
    customer.says("Nosso sistema não aguenta o pico de acessos da Black Friday.")
    customer.says("Loja Exemplo")
    customer.taps("De 10 a 49 pessoas")
    customer.taps("Sem pressa")
    customer.says("compras@lojaexemplo.com.br")
    customer.taps("Sim, pode ser")
    customer.taps("Pular")
    customer.taps("Está tudo certo")
    shown = customer.taps("Pagar e agendar")
    deadline = time.monotonic() + 20
    while not any(is_charge(m) for m in shown) and time.monotonic() < deadline:
        shown += customer.waits_for_reply(timeout=20)
    return shown


def todays_charge(shown: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Today's charge: the QR image, then the copia-e-cola text; no order card."""
    assert not [m for m in shown if m["type"] == "interactive" and is_charge(m)]
    at = [m["type"] for m in shown].index("image")
    qr, code = shown[at], shown[at + 1]
    assert qr["image"]["caption"].startswith("Pix do diagnóstico")
    return qr, code


def the_payment(stack: Stack) -> dict[str, Any]:
    with stack.container.db.engine.connect() as connection:
        return dict(connection.execute(select(payments)).mappings().one())


def test_the_charge_is_an_order_card_and_the_payment_its_completed_status(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, mercado_pago: FakeMercadoPago
) -> None:
    stack = mercado_pago_stack(stack_factory, sqlite_url, mercado_pago, pix_native=True)
    customer = stack.customer(USER)
    shown = walk_to_the_pix(customer)
    payment = the_payment(stack)
    kinds = [m["type"] for m in shown]
    assert "image" not in kinds  # no QR: the card carries the code
    assert not any(text_of(m).startswith("000201") for m in shown)
    card = next(m for m in shown if is_charge(m))["interactive"]
    action = card["action"]
    assert action["name"] == "review_and_pay"
    parameters = action["parameters"]
    two_thousand = {"value": 200000, "offset": 100}
    assert parameters["reference_id"] == payment["txid"]
    assert parameters["type"] == "digital-goods"
    assert (parameters["payment_type"], parameters["currency"]) == ("br", "BRL")
    assert parameters["total_amount"] == two_thousand
    order = parameters["order"]
    assert order["status"] == "pending"
    assert order["subtotal"] == two_thousand
    assert order["items"] == [
        {
            "retailer_id": "diagnostico",
            "name": "Diagnóstico técnico",
            "amount": two_thousand,
            "quantity": 1,
        }
    ]
    assert parameters["payment_settings"] == [
        {
            "type": "pix_dynamic_code",
            "pix_dynamic_code": {
                "code": payment["copia_e_cola"],
                "merchant_name": "DRESBACH HOSTING",
                "key": "pix@dresbach.com.br",
                "key_type": "EMAIL",
            },
        }
    ]
    mercado_pago.approve(payment["provider_id"])
    assert (
        mercado_pago.notify(f"{stack.origin}/webhooks/mercadopago", payment["provider_id"]) == 200
    )
    paid = customer.waits_for_reply(timeout=20)
    news = paid[0]["interactive"]
    assert news["type"] == "order_status"
    assert news["action"] == {
        "name": "review_order",
        "parameters": {
            "reference_id": payment["txid"],
            "order": {"status": "completed", "description": "Pagamento confirmado"},
        },
    }
    assert "Pagamento confirmado" in news["body"]["text"]
    assert "R$ 2.000,00" in news["body"]["text"]
    assert the_payment(stack)["status"] == "paid"


def test_an_account_not_enabled_for_payments_gets_todays_qr_and_code(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, mercado_pago: FakeMercadoPago
) -> None:
    stack = mercado_pago_stack(stack_factory, sqlite_url, mercado_pago, pix_native=True)
    stack.graph.payments_enabled = False
    customer = stack.customer(USER)
    shown = walk_to_the_pix(customer)
    payment = the_payment(stack)
    refused = [f for f in stack.graph.failures if f.kind == "payments_not_enabled"]
    assert [f.code for f in refused] == [10]
    _qr, code = todays_charge(shown)
    assert text_of(code) == payment["copia_e_cola"]
    # the payment's news is refused too (the card never went): today's receipt goes instead
    mercado_pago.approve(payment["provider_id"])
    assert (
        mercado_pago.notify(f"{stack.origin}/webhooks/mercadopago", payment["provider_id"]) == 200
    )
    paid = customer.waits_for_reply(timeout=20)
    assert [m["type"] for m in paid][:1] == ["text"]
    assert "Pagamento confirmado" in text_of(paid[0])


def test_native_pix_off_sends_todays_messages(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, mercado_pago: FakeMercadoPago
) -> None:
    stack = mercado_pago_stack(stack_factory, sqlite_url, mercado_pago)
    shown = walk_to_the_pix(stack.customer(USER))
    _qr, code = todays_charge(shown)
    assert text_of(code) == the_payment(stack)["copia_e_cola"]


def test_a_static_pix_keeps_todays_messages_with_native_on(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str
) -> None:
    stack: Stack = stack_factory(sqlite_url, pix_native=True)
    shown = walk_to_the_pix(stack.customer(USER))
    _qr, code = todays_charge(shown)
    assert text_of(code) == the_payment(stack)["copia_e_cola"]
