"""Manners the router keeps in every state (#10.19), as transcripts: a greeting is answered with
the time of day and thanks with "de nada" (not "não entendi"); "não entendi" is said once, and
from the second miss in a row a person is offered; the queue position is gender-neutral."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dresbach.features.handoff.model import ForwardToHuman, HandOffQueued, HumanJoined
from dresbach.kernel.messages import Button, Buttons, Message
from tests.support.client_area_transcript import ClientAreaTranscript
from tests.support.privacy_transcript import PrivacyTranscript
from tests.support.techops_transcript import TechOpsTranscript, at
from tests.support.transcript import Transcript

PERSON = "Se preferir, uma pessoa da nossa equipe pode continuar o atendimento com você por aqui."
MORNING = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 10h in São Paulo
AFTERNOON = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)  # 15h30
NIGHT = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # 21h30 on the 25th


def offers_a_person(replies: list[Message]) -> bool:
    last = replies[-1]
    return (
        isinstance(last, Buttons)
        and last.body == PERSON
        and last.buttons == (Button(id="go:human", title="Falar com atendente"),)
    )


# ---- greetings and thanks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "hello"), [(MORNING, "Bom dia"), (AFTERNOON, "Boa tarde"), (NIGHT, "Boa noite")]
)
def test_a_greeting_at_the_menu_is_answered_with_the_time_of_day(now: datetime, hello: str) -> None:
    chat = Transcript(now=now)
    chat.says("oi")
    chat.says("bom dia!")
    assert chat.bot_said().startswith(f"{hello}! 😊\n\nComo posso ajudar você hoje?")
    assert "não entendi" not in chat.bot_said()
    assert chat.place == "menu.main"


def test_the_first_greeting_is_answered_in_kind_and_a_plain_first_message_with_ola() -> None:
    chat = Transcript(now=AFTERNOON)
    chat.says("boa tarde")
    assert chat.said[1][1].startswith("Boa tarde, Maria! 👋 Eu sou a Dresbach Assistente")
    other = Transcript(now=AFTERNOON)
    other.says("quero falar sobre consultoria")
    assert other.said[1][1].startswith("Olá, Maria! 👋 Eu sou a Dresbach Assistente")


def test_thanks_at_the_menu_get_de_nada_and_no_menu_again() -> None:
    chat = Transcript()
    chat.says("oi")
    replies = chat.says("Muito obrigada!")
    assert chat.bot_said() == (
        "De nada! 😊 Se precisar de mais alguma coisa, é só mandar uma mensagem por aqui."
    )
    assert len(replies) == 1
    assert chat.place == "menu.main"
    chat.says("sair")
    chat.says("valeu")  # after `sair` too
    assert chat.bot_said().startswith("De nada! 😊")
    assert chat.place == "menu.idle"


def test_thanks_in_the_middle_of_a_question_get_de_nada_and_the_question_stays_open() -> None:
    chat = at("company")
    chat.says("obrigado")
    assert chat.bot_said() == "De nada! 😊"  # the question is the message just above
    assert chat.place == "techops.company"  # "obrigado" is not the company's name
    chat.says("Padaria Boa Massa")
    assert chat.place == "techops.size"


def test_thanks_that_also_agree_answer_the_question() -> None:
    chat = at("name_confirm")
    chat.says("sim, obrigada")
    assert chat.place == "techops.cnpj_choice"


def test_a_greeting_in_the_middle_of_a_question_asks_it_again() -> None:
    chat = at("company", now=NIGHT)  # 21h30 in São Paulo
    chat.says("boa noite")
    assert chat.bot_said() == "Boa noite! 😊\n\nQual é o nome da sua empresa?"
    assert chat.place == "techops.company"


def test_thanks_after_booking_do_not_send_the_booking_again() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.says("muito obrigada!")
    assert chat.bot_said() == "De nada! 😊"
    assert chat.place == "techops.awaiting_payment"


def test_a_greeting_where_a_document_is_asked_is_answered_too() -> None:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    chat.says("bom dia")
    assert chat.bot_said().startswith("Bom dia! 😊\n\nNa Área do Cliente")
    assert chat.state == "start"
    assert not chat.commands


def test_with_a_person_thanks_are_for_the_person() -> None:
    chat = TechOpsTranscript()
    chat.says("oi")
    chat.says("atendente")
    chat.receives(HumanJoined(**chat._internal(), handoff_id="7", operator="Ana"))
    chat.says("obrigado!")
    assert chat.bot_said() == ""
    [forward] = chat.last_of(ForwardToHuman)
    assert forward.text == "obrigado!"


def test_global_commands_still_win() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    chat.says("menu")
    assert chat.place == "menu.main"
    assert not chat.bot_said().startswith("De nada")


# ---- "não entendi" once, then a person ----------------------------------------------------------


def test_the_second_miss_in_a_row_at_the_menu_offers_a_person() -> None:
    chat = Transcript()
    chat.says("oi")
    first = chat.says("quero um abacaxi")
    assert chat.bot_said().startswith("Desculpe, não entendi. Toque em *Ver opções*")
    assert not offers_a_person(first)
    second = chat.says("abacaxi!!")
    said = chat.bot_said()
    assert said.startswith("Ainda não consegui entender. Toque em *Ver opções*")
    assert said.count("não entendi") == 0
    assert offers_a_person(second)
    chat.taps("Falar com atendente")
    assert chat.place == "handoff.waiting"


def test_an_understood_message_starts_the_count_again() -> None:
    chat = at("urgency")
    chat.says("hmm")
    assert chat.bot_said().startswith("Desculpe, não entendi. Toque em uma das opções de prazo")
    chat.says("menu")  # understood (a global command)
    chat.taps("Consultoria Tech Ops")
    replies = chat.says("pizza")
    assert chat.bot_said().startswith("Desculpe, não entendi.")
    assert not offers_a_person(replies)


def test_an_answer_that_does_not_fit_keeps_its_reason_and_the_second_offers_a_person() -> None:
    chat = at("email")
    chat.says("maria arroba gmail")
    assert chat.bot_said().startswith("Esse e-mail não parece completo.")
    replies = chat.says("maria@")
    assert chat.bot_said().startswith("Esse e-mail não parece completo.")
    assert offers_a_person(replies)
    chat.says("maria@boamassa.com.br")
    assert chat.place == "techops.name_confirm"


def test_misses_in_the_client_area_and_in_privacy_meet_the_same_rule() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.says("xyz")
    assert chat.bot_said().startswith("Desculpe, não entendi. Toque em *Ver opções*")
    replies = chat.says("xyz")
    assert chat.bot_said().startswith("Ainda não consegui entender. Toque em *Ver opções*")
    assert offers_a_person(replies)

    privacy = PrivacyTranscript()
    privacy.says("oi")
    privacy.says("privacidade")
    privacy.says("hein?")
    assert "Desculpe, não entendi. Toque em uma das opções abaixo." in privacy.bot_said()
    assert offers_a_person(privacy.says("hein?"))
    assert "Ainda não consegui entender. Toque em uma das opções abaixo." in privacy.bot_said()


def test_two_audios_in_a_row_offer_a_person() -> None:
    chat = Transcript()
    chat.says("oi")
    first = chat.sends_media("audio")
    assert chat.bot_said().startswith("Recebi seu áudio, mas por aqui só consigo ler mensagens")
    assert not offers_a_person(first)
    assert offers_a_person(chat.sends_media("audio"))


# ---- the queue, for anyone ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "said"),
    [(1, "Você é a próxima pessoa a ser atendida."), (4, "Você é a 4ª pessoa na fila.")],
)
def test_the_queue_position_says_pessoa(position: int, said: str) -> None:
    chat = TechOpsTranscript()
    chat.says("oi")
    chat.says("atendente")
    chat.receives(
        HandOffQueued(**chat._internal(), handoff_id="7", position=position, open_now=True)
    )
    assert chat.bot_said() == said
