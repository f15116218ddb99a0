"""What the customer types at the offer: only a clear yes creates a Pix. A refusal, a question
about another way to pay, "achei caro", "tem desconto?", "e se eu não gostar?" each get an honest
answer (only Pix; the fee; the refund policy from the settings) and the offer stays open."""

from __future__ import annotations

import pytest

from dresbach.kernel.commands import CreatePixCharge, RecordLead, RequestHandOff
from dresbach.kernel.messages import Buttons
from dresbach.kernel.policy import Policy
from tests.support.techops_transcript import TechOpsTranscript

WAYS = ["Pagar e agendar", "Falar com consultor", "Agora não"]


def at_offer(policy: Policy | None = None) -> TechOpsTranscript:
    chat = TechOpsTranscript(policy=policy or Policy())
    chat.walk_to_offer()
    return chat


def assert_offer_still_open(chat: TechOpsTranscript) -> None:
    assert chat.place == "techops.offer"
    assert chat.of(CreatePixCharge) == []
    assert "Estou gerando o seu Pix" not in chat.bot_said()
    [message] = chat.last.replies if chat.last else ()
    assert isinstance(message, Buttons)  # one short message, its three ways again
    assert message.body.endswith("Como você prefere seguir?")
    assert chat.options() == WAYS


@pytest.mark.parametrize(
    "typed",
    [
        "posso pagar no cartão?",
        "posso pagar no boleto?",
        "aceita cartão de crédito?",
        "dá pra parcelar?",
        "consigo pagar em 3x?",
        "pago no débito",
        "prefiro boleto",
        "tem como pagar por transferência?",
    ],
)
def test_other_ways_to_pay_are_answered_only_pix(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert_offer_still_open(chat)
    assert "só via Pix" in chat.bot_said()
    assert "não aceitamos cartão, boleto nem parcelamento" in chat.bot_said()


@pytest.mark.parametrize(
    "typed",
    [
        "não quero pagar agora",
        "agora não posso pagar",
        "vou pensar",
        "vou pagar depois",
        "quero pagar só semana que vem",
        "ainda não",
        "talvez amanhã",
        "não tenho como pagar hoje",
    ],
)
def test_a_refusal_or_a_delay_creates_no_charge_and_the_offer_stays(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert_offer_still_open(chat)
    assert "não gerei nenhuma cobrança" in chat.bot_said()


@pytest.mark.parametrize(
    "typed", ["achei caro", "tá muito caro", "tem desconto?", "consegue um desconto?", "tá salgado"]
)
def test_the_price_feels_high_the_fee_is_restated_honestly(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert_offer_still_open(chat)
    said = chat.bot_said()
    assert "O diagnóstico custa R$ 1.800,00 para qualquer empresa" in said
    assert "não consigo oferecer desconto" in said


@pytest.mark.parametrize(
    "typed",
    [
        "e se eu não gostar, tem reembolso?",
        "tem reembolso?",
        "vocês devolvem o dinheiro se eu desistir?",
        "qual a garantia?",
    ],
)
def test_a_refund_question_gets_the_policy_from_the_settings(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert_offer_still_open(chat)
    assert "Se você desistir em até 7 dias depois do pagamento" in chat.bot_said()
    assert "devolvemos o valor integral" in chat.bot_said()

    other = at_offer(Policy(refund_days=15))
    other.says(typed)
    assert "em até 15 dias depois do pagamento" in other.bot_said()

    none = at_offer(Policy(refund_days=0))
    none.says(typed)
    assert_offer_still_open(none)
    assert "não é devolvido depois do pagamento" in none.bot_said()
    assert "devolvemos" not in none.bot_said()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("posso pagar agora?", "O pagamento é via Pix"),
        ("como eu pago?", "O pagamento é via Pix"),
        ("pix?", "O pagamento é via Pix"),
        ("quanto tempo dura a reunião?", "um consultor tira a sua dúvida"),
        ("vocês atendem em Porto Alegre?", "um consultor tira a sua dúvida"),
    ],
)
def test_questions_are_answered_and_never_taken_for_a_yes(typed: str, expected: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert_offer_still_open(chat)
    assert expected in chat.bot_said()


@pytest.mark.parametrize(
    "typed",
    [
        "sim",
        "quero pagar",
        "pode gerar o pix",
        "manda o pix",
        "vou pagar",
        "pagar",
        "pix",
        "ok",
        "bora",
        "Pagar e agendar",
        "quero pagar no pix",
        "fechado, pode mandar",
    ],
)
def test_a_clear_yes_creates_the_charge(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert chat.place == "techops.creating_charge"
    assert "Estou gerando o seu Pix" in chat.bot_said()
    assert len(chat.of(CreatePixCharge)) == 1


@pytest.mark.parametrize("typed", ["não", "agora não", "não, obrigado", "deixa pra lá"])
def test_a_plain_no_declines_as_the_button_does(typed: str) -> None:
    chat = at_offer()
    chat.says(typed)
    assert chat.place == "menu.main"
    assert chat.of(CreatePixCharge) == []
    assert chat.last_of(RecordLead)[0].status == "lost"


def test_a_consultant_asked_in_words_is_a_hand_off_without_a_charge() -> None:
    chat = at_offer()
    chat.says("antes quero falar com um consultor")
    assert chat.place == "handoff.waiting"
    assert len(chat.of(RequestHandOff)) == 1
    assert chat.of(CreatePixCharge) == []


def test_after_the_answers_a_yes_still_pays() -> None:
    chat = at_offer()
    chat.says("posso pagar no cartão?")
    chat.says("achei caro")
    chat.says("tem reembolso?")
    assert chat.of(CreatePixCharge) == []
    chat.taps("Pagar e agendar")
    assert chat.place == "techops.creating_charge"
    assert len(chat.of(CreatePixCharge)) == 1


@pytest.mark.parametrize(
    ("typed", "place", "charges"),
    [
        ("não quero gerar outro pix", "menu.main", 0),
        ("posso pagar no boleto?", "techops.expired", 0),
        ("tem reembolso?", "techops.expired", 0),
        ("gerar novo pix", "techops.creating_charge", 1),
        ("sim", "techops.creating_charge", 1),
    ],
)
def test_an_expired_pix_reads_replies_the_same_way(typed: str, place: str, charges: int) -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.charge_expired()
    assert chat.place == "techops.expired"
    chat.says(typed)
    assert chat.place == place
    assert len(chat.of(CreatePixCharge)) == 1 + charges


def test_the_offer_promises_what_happens_after_payment() -> None:
    chat = at_offer()
    offer = chat.bot_said()
    assert "um consultor combina com você o melhor horário" not in offer
    assert "eu mostro os horários livres dos consultores e você escolhe" in offer
    chat.taps("Pagar e agendar")
    chat.charge_created()
    chat.payment_confirmed()
    assert chat.place == "techops.paid"  # the bot goes straight to the free slots, as promised
    assert "Estou consultando a agenda dos consultores" in chat.bot_said()
