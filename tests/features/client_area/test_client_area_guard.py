"""No payment in the Área do Cliente: the guard, the cleaning of what the systems send, and the
reading of requests to pay."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dresbach.features.client_area.flow import FLOW
from dresbach.features.client_area.flow.answers import asks_to_pay
from dresbach.features.client_area.login.guard import guard, payment_content, scrub
from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.messages import (
    Button,
    Buttons,
    Document,
    Image,
    ListMenu,
    ListRow,
    ListSection,
    Message,
    Text,
)
from tests.support.client_area_transcript import (
    DEPARTMENTS,
    INVOICES,
    ClientAreaTranscript,
    dns_records,
    service,
)

PIX_STATIC = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
PIX_DYNAMIC = (
    "00020101021226730014br.gov.bcb.pix2551pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865406123.455802BR5913Fulano de Tal6008BRASILIA62190515RP12345678-2019630473"
    "09"
)
BOLETOS = (
    "23793.38128 60000.000003 00000.000400 1 84340000010000",
    "23793381286000000000300000000400184340000010000",
    "83640000001-1 33120138000-2 81234567890-1 23456789012-3",
    "836400000011331201380002812345678901234567890123",
    "23791843400000100003381260000000000000000040",
)
LINKS = (
    "https://cliente.dresbach.com.br/viewinvoice.php?id=512",
    "https://pay.exemplo.com/abc",
    "www.exemplo.com.br/pagar/123",
    "https://exemplo.com/checkout?x=1",
    "exemplo.com.br/boleto/123",
    "https://exemplo.com/invoice.php?id=1",
    "http://exemplo.com/pagamento",
    "https://exemplo.com/r?goto=pay&id=1",
    "https://mpago.la/PAGAMENTO",
)
HARMLESS = (
    "Para pagar, acesse https://cliente.dresbach.com.br e abra a fatura.",
    "https://cliente.dresbach.com.br/dl.php?type=i&id=512",
    "https://srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1%3aPaYk2x9",
    "Fatura 2026-0512 · R$ 1.259,90 · vence 10/12/2026",
    "Chamado #482913 · atualizado em 24/11/2026, às 18h02",
    "• A www → 203.0.113.10 (TTL 14400)\n• A ftp → 203.0.113.11 (TTL 14400)",
    "Domínio: boletosfacil.com.br",
    "Telefone: +55 11 98765-4321 · CPF ***.982.247-**",
    "Código da fatura 000201 em aberto",
)


def in_the_area(state: str = "invoice") -> Conversation:
    return Conversation(
        key="k", address="5511900000000", place=Place(flow="client_area", state=state)
    )


def shapes(text: str) -> list[Message]:
    row = ListRow(id="r", title="Fatura", description=text[:72])
    return [
        Text(body=text),
        Buttons(body=text, buttons=(Button(id="b", title="Ok"),)),
        ListMenu(body=text, button="Ver", sections=(ListSection(title=None, rows=(row,)),)),
        Document(link="https://cliente.dresbach.com.br/dl.php?id=1", caption=text),
    ]


@pytest.mark.parametrize(
    "text", [PIX_STATIC, PIX_DYNAMIC, "chave br.gov.bcb.pix", *BOLETOS, *LINKS]
)
def test_the_guard_refuses_any_payment_in_any_message(text: str) -> None:
    for message in shapes(f"Segue: {text} ok"):
        assert guard(in_the_area(), message) is not None, message


@pytest.mark.parametrize("link", LINKS[:3])
def test_the_guard_checks_media_links_too(link: str) -> None:
    assert guard(in_the_area(), Document(link=link, filename="fatura.pdf")) is not None
    assert guard(in_the_area(), Image(link=link)) is not None


@pytest.mark.parametrize("text", HARMLESS)
def test_the_guard_lets_ordinary_messages_through(text: str) -> None:
    assert payment_content(text) is None
    for message in shapes(text):
        assert guard(in_the_area(), message) is None


def test_the_guard_is_the_area_s_own() -> None:
    assert FLOW.guard is guard
    assert (
        guard(
            replace(in_the_area(), place=Place(flow="techops", state="awaiting_payment")),
            Text(body=PIX_STATIC),
        )
        is None
    )


@pytest.mark.parametrize("text", [PIX_STATIC, *BOLETOS, *LINKS])
def test_scrub_removes_payments_and_keeps_the_rest(text: str) -> None:
    cleaned = scrub(f"Olá! {text} Obrigado.")
    assert payment_content(cleaned) is None
    assert cleaned.startswith("Olá!")
    assert cleaned.endswith("Obrigado.")
    assert "[removido]" in cleaned


@pytest.mark.parametrize(
    ("typed", "pays"),
    [
        ("quero pagar", True),
        ("segunda via do boleto", True),
        ("manda o pix", True),
        ("código de barras", True),
        ("link de pagamento", True),
        ("bolteo", True),
        (BOLETOS[0], True),
        (PIX_STATIC, True),
        ("quero ver meus serviços", False),
        ("quero pegar o link do cpanel", False),
        ("segunda via da fatura", False),
        ("domingo o site caiu", False),
        ("pixel do facebook no site", False),
    ],
)
def test_requests_to_pay(typed: str, pays: bool) -> None:
    assert asks_to_pay(typed) is pays


def test_payments_in_the_systems_data_never_reach_the_customer() -> None:
    """Every reply of the transcript is checked for a payment (by ClientAreaTranscript): here the
    systems themselves send payments in every field that is shown."""
    link = "https://pay.exemplo.com/x"
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Serviços ativos")
    chat.answer({**service(1), "product": f"Plano {BOLETOS[0]}", "status": link})
    chat.taps("site1.com.br")
    assert "[removido]" in chat.bot_said()
    chat.taps("Menu da área")
    chat.taps("Domínios e DNS")
    chat.answer({"id": "d1", "name": "boamassa.com.br", "status": link})
    chat.taps("boamassa.com.br")
    chat.answer({**dns_records(1)[0], "type": "TXT", "value": PIX_STATIC})
    chat.taps("Menu da área")
    chat.taps("Faturas")
    chat.answer({**INVOICES[1], "status": f"Em aberto: {link}"})
    chat.taps("Fatura 2026-0512")
    item = {"kind": "item", "description": f"Hospedagem {BOLETOS[2]}", "amount": "R$ 59,90"}
    chat.answer({**INVOICES[1], "pdf": LINKS[0]}, item)
    chat.taps("Menu da área")
    chat.taps("Chamados")
    chat.answer({"id": "t1", "number": "1", "subject": f"Pix {PIX_DYNAMIC}", "status": link})
    chat.taps("Abrir novo chamado")
    chat.answer(*DEPARTMENTS)
    for who, words in chat.said:
        if who == "bot":
            assert payment_content(words) is None, words
