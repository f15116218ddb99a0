"""Área do Cliente: invoices to look at (and their PDF), never to pay. Transcripts."""

from __future__ import annotations

import pytest

from dresbach.features.client_area.model import FetchClientData
from dresbach.kernel.messages import Text, UrlButton
from tests.support.client_area_transcript import (
    INVOICES,
    PDF,
    ClientAreaTranscript,
)

ITEM = {"kind": "item", "description": "Hospedagem Plus (01/12 a 31/12)", "amount": "R$ 59,90"}
PAY_ELSEWHERE = "pagamentos não são feitos por esta conversa"
SITE = "https://cliente.dresbach.com.br"


def at_invoices() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Faturas")
    assert chat.last_of(FetchClientData)[0].what == "invoices"
    chat.answer(*INVOICES)
    return chat


def test_invoices_with_number_due_date_amount_and_status() -> None:
    chat = at_invoices()
    said = chat.bot_said()
    assert "Estas são as suas faturas (2)." in said
    assert f"Pagamentos são feitos somente pelo site {SITE}." in said
    assert chat.options() == ["Fatura 2026-0500", "Fatura 2026-0512", "Voltar"]
    assert "Em aberto · vence 10/12/2026 · R$ 59,90" in said


def test_one_invoice_with_its_items_total_and_a_button_to_its_pdf() -> None:
    chat = at_invoices()
    chat.taps("Fatura 2026-0512")
    [fetch] = chat.last_of(FetchClientData)
    assert (fetch.what, fetch.key) == ("invoice", "512")
    chat.answer({**INVOICES[1], "pdf": PDF}, ITEM)
    assert chat.last is not None
    text, document, _note = chat.last.replies
    assert isinstance(text, Text)
    assert text.body == (
        "*Fatura 2026-0512*\nEmissão: 01/12/2026\nVencimento: 10/12/2026\nSituação: Em aberto"
        "\n\n*Itens:*\n• Hospedagem Plus (01/12 a 31/12): R$ 59,90\n\n*Total:* R$ 59,90"
    )
    assert document == UrlButton(  # a button that opens the PDF, the link out of sight
        body="PDF da fatura 2026-0512", display_text="Abrir o PDF", url=PDF
    )
    assert chat.options() == ["Voltar às faturas", "Menu da área"]
    assert SITE in chat.bot_said()
    chat.taps("Voltar às faturas")
    assert chat.state == "invoices"


@pytest.mark.parametrize(
    "pdf",
    [
        None,
        "https://cliente.dresbach.com.br/viewinvoice.php?id=512",
        "https://pagamento.exemplo.com.br/512.pdf",
        "javascript:alert(1)",
    ],
)
def test_without_a_safe_pdf_link_no_pdf_button_is_sent(pdf: str | None) -> None:
    chat = at_invoices()
    chat.taps("Fatura 2026-0500")
    chat.answer({**INVOICES[0], **({"pdf": pdf} if pdf else {})}, ITEM)
    assert chat.last is not None
    assert not any(isinstance(m, UrlButton) for m in chat.last.replies)
    assert "O PDF desta fatura não está disponível por aqui." in chat.bot_said()


@pytest.mark.parametrize(
    "typed",
    [
        "quero pagar",
        "Quero pagar a fatura 2026-0512",
        "segunda via do boleto",
        "2ª via do boleto por favor",
        "me manda o pix",
        "PIX copia e cola",
        "código de barras",
        "codigo de barra",
        "link de pagamento",
        "bolteo",
        "pagamneto da fatura",
        "como faço o pagamento?",
        "linha digitável",
    ],
)
def test_a_request_to_pay_is_told_where_payments_are_made(typed: str) -> None:
    chat = at_invoices()
    chat.taps("Fatura 2026-0512")
    chat.answer({**INVOICES[1], "pdf": PDF}, ITEM)
    chat.says(typed)
    said = chat.bot_said()
    assert said.startswith("Por segurança, " + PAY_ELSEWHERE)
    assert SITE in said
    assert chat.state == "invoice"
    assert chat.last is not None
    assert chat.last.commands == ()


@pytest.mark.parametrize("state", ["home", "invoices", "services"])
def test_a_request_to_pay_gets_the_same_answer_anywhere_in_the_area(state: str) -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    if state != "home":
        chat.taps({"invoices": "Faturas", "services": "Serviços ativos"}[state])
        chat.answer(*INVOICES) if state == "invoices" else chat.answer()
    chat.says("quero pagar o boleto")
    assert PAY_ELSEWHERE in chat.bot_said()


def test_a_request_to_pay_before_the_login_is_answered_and_the_cpf_asked_again() -> None:
    chat = ClientAreaTranscript()
    chat.says("Preciso da segunda via do boleto")  # the menu sends it to the area
    assert chat.place == "client_area.start"
    chat.says("quero pagar pelo pix")
    said = chat.bot_said()
    assert PAY_ELSEWHERE in said
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in said
    assert chat.state == "start"


def test_a_second_copy_of_an_invoice_is_its_pdf() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.says("segunda via da fatura")
    assert chat.last_of(FetchClientData)[0].what == "invoices"
    assert chat.state == "invoices"


def test_no_invoices_goes_back_to_the_menu() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Faturas")
    chat.answer()
    assert chat.bot_said().startswith("Não encontrei faturas no seu cadastro.")
    assert chat.state == "home"
