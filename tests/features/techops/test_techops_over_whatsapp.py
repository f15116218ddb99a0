"""The Tech Ops funnel over real HTTP, with each Pix provider: the customer taps their way to a
Pix, pays at the PSP, the PSP notifies us, the receipt reaches the fake Graph API; when the 24 h
window has closed meanwhile, the receipt goes out as the approved template."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.platform.store.schema import leads, payments
from tests.fakes import mercadopago as mp_fake
from tests.fakes.bcb_pix import BcbPspState, FakeBcbPsp
from tests.fakes.mercadopago import FakeMercadoPago
from tests.support.bcb import bcb_overrides
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack

USER = "5511944443333"


def walk_to_the_pix(customer: Customer) -> str:
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
    offer = customer.taps("Está tudo certo")
    assert "R$ 2.000,00" in "\n".join(text_of(m) for m in offer)
    replies = customer.taps("Pagar e agendar")
    shown = [text_of(m) for m in replies]
    deadline = time.monotonic() + 20
    while not any(s.startswith("000201") for s in shown) and time.monotonic() < deadline:
        shown += [text_of(m) for m in customer.waits_for_reply(timeout=20)]
    code = next(s for s in shown if s.startswith("000201"))
    return code


def the_payment(stack: Stack) -> dict:  # type: ignore[type-arg]
    with stack.container.db.engine.connect() as connection:
        return dict(connection.execute(select(payments)).mappings().one())


def lead_status(stack: Stack) -> str:
    with stack.container.db.engine.connect() as connection:
        return str(connection.execute(select(leads.c.status)).scalar_one())


@pytest.fixture
def mercado_pago() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as server:
        yield server


def test_the_funnel_with_mercado_pago(stack_factory, sqlite_url: str, mercado_pago) -> None:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(
        sqlite_url,
        pix_provider="mercadopago",
        mp_base_url=mercado_pago.base_url,
        mp_access_token=Secret(mp_fake.DEFAULT_ACCESS_TOKEN),
        mp_webhook_secret=Secret(mp_fake.DEFAULT_WEBHOOK_SECRET),
    )
    customer = stack.customer(USER)
    code = walk_to_the_pix(customer)
    payment = the_payment(stack)
    assert payment["copia_e_cola"] == code
    assert lead_status(stack) == "offered"
    mercado_pago.approve(payment["provider_id"])
    stack.graph.outside_window.add(USER)  # the customer took more than 24 h to pay
    hook = f"{stack.origin}/webhooks/mercadopago"
    assert mercado_pago.notify(hook, payment["provider_id"]) == 200
    receipt = customer.waits_for_reply(timeout=20)
    assert [m["type"] for m in receipt] == ["template"]
    assert receipt[0]["template"]["name"] == "pagamento_confirmado"
    params = [p["text"] for p in receipt[0]["template"]["components"][0]["parameters"]]
    assert params == ["R$ 2.000,00", payment["txid"]]
    assert lead_status(stack) == "paid"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def test_the_funnel_with_a_bcb_api_pix_psp(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, ca: trustme.CA, tmp_path: Path
) -> None:
    with FakeBcbPsp(ca, BcbPspState()) as psp:
        stack: Stack = stack_factory(sqlite_url, **bcb_overrides(psp, ca, tmp_path))
        customer = stack.customer(USER)
        code = walk_to_the_pix(customer)
        payment = the_payment(stack)
        assert payment["copia_e_cola"] == code
        psp.pay(payment["txid"])
        assert psp.notify(stack.origin, [payment["txid"]], bare_array=True) == 200
        receipt = customer.waits_for_reply(timeout=20)
        text = "\n".join(text_of(m) for m in receipt)
        assert "Pagamento confirmado" in text
        assert "R$ 2.000,00" in text
        assert lead_status(stack) == "paid"


def test_the_optional_cnpj_of_a_lead_is_never_written_down_in_clear(stack: Stack) -> None:
    from dresbach.platform.store.schema import metadata

    customer = stack.customer("5511944442222")
    customer.says("oi")
    customer.taps("Consultoria Tech Ops")
    customer.taps("Arquitetura de sistemas")
    customer.says("Nosso sistema não aguenta o pico de acessos da Black Friday.")
    customer.says("Loja Exemplo")
    customer.taps("De 10 a 49 pessoas")
    customer.taps("Sem pressa")
    customer.says("compras@lojaexemplo.com.br")
    customer.taps("Sim, pode ser")
    customer.taps("Informar CNPJ")
    summary = "\n".join(text_of(m) for m in customer.says("12.ABC.345/01DE-35"))
    assert "12.ABC.345/01DE-35" in summary  # shown to the customer for checking, kept masked
    customer.taps("Está tudo certo")
    customer.taps("Pagar e agendar")
    time.sleep(1.0)  # the charge job ran (the payer's CNPJ went to the gateway sealed)
    with stack.container.db.engine.connect() as connection:
        dump = "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        ).upper()
    for form in ("12ABC34501DE35", "12.ABC.345/01DE-35", "12.ABC.345"):
        assert form not in dump


def test_a_leads_masked_cnpj_survives_the_confirmation_of_its_pix(stack: Stack) -> None:
    """#18.18: the payment's internal events reach the conversation with its secrets opened, so
    the lead recorded as paid keeps the masked CNPJ (`**.***.***/01DE-**`), not a masked blur
    of the sealed value (`**.***.***/****-**`)."""
    import orjson

    customer = stack.customer("5511944442223")
    customer.says("oi")
    customer.taps("Consultoria Tech Ops")
    customer.taps("Arquitetura de sistemas")
    customer.says("Nosso sistema não aguenta o pico de acessos da Black Friday.")
    customer.says("Loja Exemplo")
    customer.taps("De 10 a 49 pessoas")
    customer.taps("Sem pressa")
    customer.says("compras@lojaexemplo.com.br")
    customer.taps("Sim, pode ser")
    customer.taps("Informar CNPJ")
    customer.says("12.ABC.345/01DE-35")
    customer.taps("Está tudo certo")
    shown = [text_of(m) for m in customer.taps("Pagar e agendar")]
    deadline = time.monotonic() + 20
    while not any(s.startswith("000201") for s in shown) and time.monotonic() < deadline:
        shown += [text_of(m) for m in customer.waits_for_reply(timeout=20)]

    def answers() -> dict[str, str]:
        with stack.container.db.engine.connect() as connection:
            row = connection.execute(select(leads.c.status, leads.c.answers)).one()
        return {"status": row.status, **orjson.loads(row.answers)}

    assert answers()["cnpj"] == "**.***.***/01DE-**"
    txid = the_payment(stack)["txid"]
    assert stack.container.payments.confirm_manually(txid, "ana") == "confirmed"
    assert "Pagamento confirmado" in "\n".join(text_of(m) for m in customer.waits_for_reply(20))
    after = answers()
    assert after["status"] == "paid"
    assert after["cnpj"] == "**.***.***/01DE-**"
