"""Price questions at every step, and the guard that keeps amounts out before the offer."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dresbach.features.registry import MACHINE
from dresbach.features.techops.flow.guard import guard
from dresbach.kernel.conversation import Place
from dresbach.kernel.messages import Button, Buttons, Text
from tests.support.techops_transcript import TechOpsTranscript, at

AMOUNT = re.compile(r"R\$|\d,\d{2}")

BEFORE_OFFER = [
    "start",
    "description",
    "company",
    "size",
    "urgency",
    "email",
    "name_confirm",
    "cnpj_choice",
    "cnpj",
]

ASKED = [
    "quanto custa?",
    "Qual o valor?",
    "preço",
    "orçamento",
    "quanto vocês cobram?",
    "quanto fica?",
    "qunato custa",
    "Qual é o preço do diagnóstico?",
    "e o orçamento, como fica?",
]


def assert_honest_without_amounts(chat: TechOpsTranscript) -> None:
    said = chat.bot_said()
    assert "só é definido depois do diagnóstico" in said
    assert not AMOUNT.search(said), said


@pytest.mark.parametrize("state", BEFORE_OFFER)
def test_before_the_offer_a_price_question_gets_no_amount_and_the_same_question(
    state: str,
) -> None:
    chat = at(state)
    question = chat.bot_said()
    chat.says("quanto custa?")
    assert chat.place == f"techops.{state}"
    assert_honest_without_amounts(chat)
    assert question in chat.bot_said()  # the same question again, in the same message


@pytest.mark.parametrize("asked", ASKED)
def test_the_ways_people_ask_the_price(asked: str) -> None:
    chat = at("company")
    chat.says(asked)
    assert chat.place == "techops.company"
    assert_honest_without_amounts(chat)


def test_at_the_name_summary_and_corrections_too() -> None:
    chat = at("name_confirm")
    chat.taps("Usar outro nome")
    chat.says("qual o valor?")
    assert chat.place == "techops.name"
    assert_honest_without_amounts(chat)

    chat = TechOpsTranscript()
    chat.walk_to_summary()
    chat.says("E quanto custa?")
    assert chat.place == "techops.summary"
    assert_honest_without_amounts(chat)
    assert "Confira os seus dados" in chat.bot_said()
    chat.taps("Corrigir")
    chat.says("preço")
    assert chat.place == "techops.fix"
    assert_honest_without_amounts(chat)


def test_a_description_that_mentions_a_budget_is_an_answer_not_a_question() -> None:
    chat = at("description")
    chat.says("Quero um orçamento para migrar nosso sistema para a nuvem até março")
    assert chat.place == "techops.company"


def test_after_the_offer_the_answer_repeats_the_fee_at_each_step() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.says("quanto custa?")
    assert chat.place == "techops.offer"
    assert "custa R$ 1.800,00" in chat.bot_said()
    assert "O valor de um projeto só é definido depois do diagnóstico" in chat.bot_said()
    assert chat.options() == ["Pagar e agendar", "Falar com consultor", "Agora não"]

    chat.taps("Pagar e agendar")
    chat.says("qual o valor?")
    assert chat.place == "techops.creating_charge"
    assert "R$ 1.800,00" in chat.bot_said()

    chat.charge_created()
    chat.says("orçamento")
    assert chat.place == "techops.awaiting_payment"
    assert "R$ 1.800,00" in chat.bot_said()

    chat.charge_expired()
    chat.says("quanto fica?")
    assert chat.place == "techops.expired"
    assert "R$ 1.800,00" in chat.bot_said()
    assert chat.options() == ["Gerar novo Pix", "Agora não"]

    chat.taps("Gerar novo Pix")
    chat.charge_created(txid="DRB0000000000000000000000000002")
    chat.payment_confirmed()
    chat.says("preço?")
    assert chat.place == "techops.paid"
    assert "R$ 1.800,00" in chat.bot_said()


def test_back_in_the_questions_after_the_offer_the_fee_may_be_repeated() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.says("voltar")
    chat.taps("Corrigir")
    chat.taps("Empresa")
    chat.says("quanto custa?")
    assert "R$ 1.800,00" in chat.bot_said()  # the customer has seen it in the offer


# -- the guard ------------------------------------------------------------------------------


def test_the_techops_flow_declares_the_guard() -> None:
    assert MACHINE.flows["techops"].guard is guard


def test_an_amount_in_a_qualification_state_is_refused() -> None:
    chat = at("company")
    assert chat.conversation is not None
    for body in ("Fica R$ 10,00.", "São só 10,00 por mês.", "Custa 500 reais."):
        assert guard(chat.conversation, Text(body=body)) is not None
    crafted = Buttons(body="Escolha.", buttons=(Button(id="x", title="R$ 10,00"),))
    assert guard(chat.conversation, crafted) is not None
    assert guard(chat.conversation, Text(body="Qual é o nome da sua empresa?")) is None


def test_even_the_fee_is_refused_before_the_offer() -> None:
    chat = at("email")
    assert chat.conversation is not None
    assert guard(chat.conversation, Text(body="O diagnóstico custa R$ 1.800,00.")) is not None


def test_the_fee_in_the_offer_is_allowed_and_nothing_else_after_it() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_summary()
    summary = chat.conversation
    chat.taps("Está tudo certo")
    offer = chat.last.replies[0] if chat.last else None
    assert isinstance(offer, Buttons)
    assert summary is not None
    assert chat.conversation is not None
    assert guard(summary, offer) is None  # the step that shows the offer, seen from before
    assert guard(chat.conversation, offer) is None
    assert guard(chat.conversation, Text(body="Hoje sai por R$ 1.800,00.")) is None
    assert guard(chat.conversation, Text(body="O projeto fica em R$ 10,00.")) is not None
    assert guard(chat.conversation, Text(body="São 1.800,00 e mais R$ 300,00.")) is not None
    assert guard(summary, Text(body="O diagnóstico custa R$ 1.800,00.")) is not None


def test_after_the_offer_another_amount_is_refused_in_every_later_state() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    assert chat.conversation is not None
    assert guard(chat.conversation, Text(body="Pague R$ 1.800,00 até as 11:00.")) is None
    assert guard(chat.conversation, Text(body="Pague R$ 2.000,00 até as 11:00.")) is not None


def test_the_customers_own_words_echoed_in_the_summary_are_not_a_price() -> None:
    chat = at("description")
    chat.says("Temos R$ 5.000,00 de verba e o site caiu duas vezes esta semana.")
    chat.says("Padaria Boa Massa")
    chat.taps("De 2 a 9 pessoas")
    chat.taps("Sem pressa")
    chat.says("maria@boamassa.com.br")
    chat.taps("Sim, pode ser")
    chat.taps("Pular")  # the TechOpsTranscript runs the guard on every reply
    assert "R$ 5.000,00 de verba" in chat.bot_said()


def test_the_guard_has_nothing_to_say_outside_techops() -> None:
    chat = at("company")
    assert chat.conversation is not None
    elsewhere = replace(chat.conversation, place=Place(flow="menu", state="main"))
    assert guard(elsewhere, Text(body="R$ 10,00")) is None


def test_the_fee_is_named_with_its_diagnosis() -> None:
    for area, expected in (
        ("Diagnóstico técnico", "O diagnóstico técnico custa R$ 1.500,00"),
        ("LGPD e governança", "O diagnóstico de LGPD e governança digital custa R$ 1.600,00"),
    ):
        chat = TechOpsTranscript()
        chat.walk_to_offer(area)
        chat.says("quanto custa?")
        assert expected in chat.bot_said()
