"""The FAQ as transcripts: the user asks, the bot answers, "Isso resolveu?", then Sim or Não."""

from __future__ import annotations

from dresbach.features.faq import knowledge
from dresbach.features.faq.flow import texts
from dresbach.features.faq.flow.steps import ANSWER, NEXT_STEP
from dresbach.features.faq.model import NextStep
from dresbach.kernel.messages import Buttons, Text
from tests.support.transcript import Transcript

ANSWERS = {answer.id: answer for answer in knowledge.answers()}


def test_the_answer_comes_first_then_one_question_with_sim_and_nao(chat: Transcript) -> None:
    replies = chat.says("como configuro meu email no iphone")
    answer = ANSWERS["email_celular"]
    assert replies[0] == Text(body=answer.text)
    assert isinstance(replies[1], Buttons)
    assert replies[1].body == "Isso resolveu?"
    assert chat.options() == ["Sim", "Não"]
    assert chat.place == "faq.asked"
    assert chat.conversation is not None
    assert chat.conversation.slots[ANSWER] == "email_celular"
    assert chat.conversation.slots[NEXT_STEP] == "ticket"


def test_sim_closes_naturally_back_at_the_menu(chat: Transcript) -> None:
    chat.says("quanto tempo demora pra propagar o dns")
    chat.taps("Sim")
    assert chat.place == "menu.main"
    assert chat.bot_said().startswith(texts.TEXTS["resolved"])


def test_sim_in_words_closes_too(chat: Transcript) -> None:
    chat.says("como ativo o https no meu site")
    chat.says("sim, resolveu")
    assert chat.place == "menu.main"


def test_nao_with_login_as_next_step_opens_the_client_area_login(chat: Transcript) -> None:
    chat.says("onde eu pago a minha fatura")
    assert ANSWERS["onde_pagar"].next_step is NextStep.LOGIN
    chat.taps("Não")
    assert chat.place == "client_area.start"
    said = chat.bot_said()
    assert said.startswith(texts.TEXTS["next_login"])
    assert "CPF ou o CNPJ" in said


def test_nao_with_a_ticket_as_next_step_says_how_to_open_one_after_the_login(
    chat: Transcript,
) -> None:
    chat.says("como crio um banco de dados mysql")
    chat.taps("Não")
    assert chat.place == "client_area.start"
    assert "*Abrir novo chamado*" in chat.bot_said()


def test_nao_with_a_person_as_next_step_hands_over_to_our_team(chat: Transcript) -> None:
    chat.says("esqueci a senha da area do cliente")
    assert ANSWERS["senha_area_cliente"].next_step is NextStep.PERSON
    chat.says("nao resolveu")
    assert chat.place.startswith("handoff.")
    assert chat.bot_said().startswith(texts.TEXTS["next_person"])


def test_anything_else_is_asked_again_with_the_buttons(chat: Transcript) -> None:
    chat.says("como acesso o cpanel")
    chat.says("banana")
    assert chat.place == "faq.asked"
    assert "Toque em *Sim* ou *Não*." in chat.bot_said()
    assert chat.options() == ["Sim", "Não"]


def test_thanks_is_courtesy_and_the_question_stays_open(chat: Transcript) -> None:
    chat.says("como acesso o cpanel")
    chat.says("obrigada!")
    assert chat.place == "faq.asked"


def test_a_message_that_is_not_a_question_of_the_faq_gets_no_answer(chat: Transcript) -> None:
    chat.says("quero falar com atendente")
    assert chat.place != "faq.asked"
