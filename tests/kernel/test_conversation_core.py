"""The conversation core, as transcripts: the user says, the bot says."""

from __future__ import annotations

from datetime import timedelta

from dresbach.kernel.policy import Policy
from tests.support.transcript import Transcript

MENU = [
    "Consultoria Tech Ops",
    "Área do Cliente",
    "Falar com atendente",
    "Privacidade e seus dados",
]


def test_first_contact_greets_with_the_lgpd_notice_then_shows_the_menu() -> None:
    chat = Transcript(policy=Policy(privacy_url="https://exemplo.com.br/lgpd"))
    replies = chat.says("oi")
    assert len(replies) == 2
    greeting = chat.said[1][1]
    assert greeting.startswith("Bom dia, Maria! 👋")  # "oi" at 10h (São Paulo) is greeted back
    assert "LGPD" in greeting
    assert "https://exemplo.com.br/lgpd" in greeting
    assert "?" not in greeting
    assert "Como posso ajudar você hoje?" in chat.bot_said()
    assert chat.options() == MENU
    assert chat.place == "menu.main"


def test_first_message_with_an_intent_goes_straight_there_after_the_greeting() -> None:
    chat = Transcript()
    chat.says("Preciso da segunda via da fatura")
    assert chat.said[1][1].startswith("Olá, Maria! 👋")  # no greeting said: a neutral hello
    assert "LGPD" in chat.bot_said()
    assert chat.place == "client_area.start"


def test_menu_options_lead_to_each_area_which_says_it_is_not_open_yet() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.start"
    assert "Em qual área você precisa de ajuda?" in chat.bot_said()
    chat.says("menu")
    assert chat.options() == MENU
    chat.taps("Área do Cliente")
    assert chat.place == "client_area.start"
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in chat.bot_said()
    chat.taps("Falar com atendente")
    assert chat.place == "handoff.waiting"


def test_numbers_choose_menu_options() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("1")
    assert chat.place == "techops.start"


def test_free_text_is_matched_to_intents() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("quero falar com alguém")
    assert chat.place == "handoff.waiting"
    chat.says("menu")
    chat.taps("Sim, sair")
    chat.says("meu site caiu!!")
    assert chat.place == "sitedown.domain"
    chat.says("menu")
    chat.says("vocês fazem consultoria de LGPD?")
    assert chat.place == "techops.start"


def test_what_is_not_understood_gets_a_polite_answer_and_the_options_again() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("blablabla")
    assert "Desculpe, não entendi" in chat.bot_said()
    assert chat.options() == MENU
    assert chat.place == "menu.main"


def test_global_commands_work_from_anywhere_with_accents_case_and_typos() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.taps("Área do Cliente")
    chat.says("MENÚ")
    assert chat.place == "menu.main"
    chat.taps("Área do Cliente")
    chat.says("atendnete")
    assert chat.place == "handoff.waiting"
    chat.says("menu")
    chat.taps("Sim, sair")
    assert chat.place == "menu.main"
    chat.taps("Área do Cliente")
    chat.says("Cancelar")
    assert chat.bot_said().startswith("Tudo bem, paramos por aqui.")
    assert chat.place == "menu.main"
    chat.says("sair")
    assert "Até logo" in chat.bot_said()
    assert chat.place == "menu.idle"
    chat.says("oi")
    assert chat.bot_said().startswith("Bom dia! Que bom falar com você de novo. 😊")
    assert chat.options() == MENU


def test_voltar_goes_back_one_step() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.taps("Área do Cliente")
    chat.says("voltar")
    assert chat.place == "menu.main"
    chat.taps("Área do Cliente")
    chat.says("voltar")
    assert chat.place == "menu.main"
    chat.says("voltar")
    assert "Você já está no início" in chat.bot_said()


def test_after_the_inactivity_timeout_the_next_message_resumes_at_the_menu() -> None:
    chat = Transcript(policy=Policy(inactivity_timeout=timedelta(minutes=30)))
    chat.says("oi")
    chat.taps("Área do Cliente")
    chat.waits(minutes=31)
    chat.says("2")
    assert "voltei ao início" in chat.bot_said()
    assert chat.place == "menu.main"
    assert chat.options() == MENU


def test_within_the_timeout_the_conversation_goes_on() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.taps("Área do Cliente")
    chat.waits(minutes=29)
    chat.taps("Falar com atendente")
    assert chat.place == "handoff.waiting"


def test_unsupported_kinds_get_a_polite_answer_and_the_current_options() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.sends_media("audio")
    assert "Recebi seu áudio" in chat.bot_said()
    assert chat.options() == MENU
    chat.sends_media("sticker")
    assert "figurinha" in chat.bot_said()
    assert chat.place == "menu.main"


def test_the_core_is_deterministic() -> None:
    first, second = Transcript(), Transcript()
    for chat in (first, second):
        chat.says("oi")
        chat.taps("Área do Cliente")
        chat.says("voltar")
    assert first.said == second.said
