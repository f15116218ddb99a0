"""What customers type, understood: transcripts for every intent and for the fallback stages.

The user says, the bot says; one question per message and the house's wording are checked on
every reply by the transcript itself. Free text at the menu level (the menu, the first contact,
after `sair`) goes through the understanding tier the Machine was given at start-up; inside a
question (the CPF/CNPJ of the login) the question's own validation keeps priority.
"""

from __future__ import annotations

import pytest

from dresbach.features.client_area.flow.texts import TEXTS as AREA
from dresbach.features.client_area.model import FetchClientData
from dresbach.features.faq.flow.texts import TEXTS as FAQ
from dresbach.features.handoff.flow.texts import TEXTS as HANDOFF
from dresbach.features.menu.flow.texts import SALES
from dresbach.features.menu.flow.texts import TEXTS as MENU
from dresbach.features.registry import MACHINE
from dresbach.features.techops.flow.texts import TEXTS as TECHOPS
from dresbach.kernel.machine.routes import INTENT_PREFIX
from dresbach.kernel.messages import Buttons
from tests.support.client_area_transcript import CODE, CPF, PASSWORD, ClientAreaTranscript
from tests.support.transcript import Transcript


def at_menu() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.says("oi")
    assert chat.place == "menu.main"
    return chat


def logs_in(chat: ClientAreaTranscript) -> None:
    chat.sends_document(CPF)
    chat.says(PASSWORD)
    chat.login_checked("ok", factor="totp")
    chat.says(CODE)
    chat.second_factor_checked("ok")


def test_the_machine_was_given_the_trained_tier_and_every_intent_lands_somewhere() -> None:
    understanding = MACHINE.understanding
    assert understanding is not None
    intents = set(understanding.model.intents) - {"out_of_scope", "greeting", "thanks"}
    assert intents <= set(understanding.routes)
    for route in understanding.routes.values():
        assert len(route.title) <= 20, route.title


# ---- deep destinations: the login first, then the section asked for -----------------------


@pytest.mark.parametrize(
    ("says", "state", "what"),
    [
        ("qro a 2a via do boleto", "invoices", "invoices"),
        ("preciso do link do webmail", "access_service", "services"),
        ("quero apontar meu dominio pro wix", "domains", "domains"),
        ("quero abrir um chamado", "tickets", "tickets"),
    ],
)
def test_a_hosting_request_asks_for_the_login_then_opens_what_was_asked(
    says: str, state: str, what: str
) -> None:
    chat = at_menu()
    chat.says(says)
    assert chat.place == "client_area.start"
    assert AREA["resume_login"] in chat.bot_said()
    logs_in(chat)
    assert chat.place == f"client_area.{state}", chat.bot_said()
    assert [c.what for c in chat.of(FetchClientData)][-1] == what
    assert "Maria" in chat.bot_said()  # the login's welcome, before the section


@pytest.mark.parametrize("says", ["menu", "Menu", "voltar", "sair", "cancelar"])
def test_a_house_word_as_the_first_message_is_greeted_with_the_menu_not_sent_to_a_person(
    says: str,
) -> None:
    # The bot's own "Digite *menu* a qualquer momento" held everywhere but in the first message:
    # there the tier read "menu", "sair" and "cancelar" as asking for a person.
    chat = Transcript()
    chat.says(says)
    assert chat.said[1][1].startswith("Olá, Maria! 👋")
    assert chat.place == "menu.main", chat.bot_said()
    assert MENU["menu_question"] in chat.bot_said()
    assert HANDOFF["calling"] not in chat.bot_said()


def test_a_command_that_opens_a_flow_is_still_followed_at_the_first_message() -> None:
    chat = Transcript()
    chat.says("privacidade")
    assert chat.place == "privacy.start"


def test_the_first_message_goes_deep_after_the_greeting() -> None:
    chat = ClientAreaTranscript()
    chat.says("Preciso da segunda via da fatura")
    assert chat.said[1][1].startswith("Olá, Maria! 👋")
    assert chat.place == "client_area.start"
    logs_in(chat)
    assert chat.place == "client_area.invoices"


def test_a_failed_password_keeps_the_section_for_the_next_try() -> None:
    chat = at_menu()
    chat.says("quero a segunda via do boleto")
    chat.sends_document(CPF)
    chat.says("senha errada")
    chat.login_checked("failed")
    assert chat.place == "client_area.start"
    logs_in(chat)
    assert chat.place == "client_area.invoices"


def test_a_login_without_a_request_still_lands_on_the_area_menu() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    assert chat.place == "client_area.home"


def test_a_site_down_goes_to_the_site_checks_which_ask_for_the_domain() -> None:
    chat = at_menu()
    chat.says("meu site caiu")
    assert chat.place == "sitedown.domain"
    assert "Qual é o endereço do site" in chat.bot_said()


def test_inside_the_login_question_the_document_is_read_first() -> None:
    chat = at_menu()
    chat.says("quero abrir um chamado")
    chat.says("quero falar sobre o boleto")  # not a CPF: the login says so, it does not route
    assert chat.place == "client_area.start"


# ---- answers before logins (the FAQ) -------------------------------------------------------


def test_a_question_the_faq_answers_is_answered_before_any_login() -> None:
    chat = at_menu()
    chat.says("como configuro meu email no celular?")
    assert chat.place == "faq.asked"
    assert "IMAP" in chat.bot_said()
    assert FAQ["asked"] in chat.bot_said()
    chat.taps("Sim")
    assert chat.place == "menu.main"


def test_a_complaint_the_faq_answers_is_answered_too_and_no_leads_to_the_login() -> None:
    chat = at_menu()
    chat.says("nao consigo entrar no webmail")
    assert chat.place == "faq.asked"
    chat.taps("Não")
    assert chat.place == "client_area.start"


# ---- the other intents -----------------------------------------------------------------------


def test_a_prospect_is_qualified_then_handed_to_sales_never_asked_to_log_in() -> None:
    chat = at_menu()
    chat.says("quero contratar uma hospedagem")
    assert chat.place == "menu.sales"
    assert MENU["sales_question"] in chat.bot_said()
    chat.taps(SALES["hosting"])
    assert chat.place.startswith("handoff.")
    assert MENU["sales_handoff"] in "\n".join(text for who, text in chat.said if who == "bot")
    assert not any(place == "client_area" for place in chat.place.split("."))


def test_a_prospect_may_answer_in_their_own_words() -> None:
    chat = at_menu()
    chat.says("qro um vps")
    assert chat.place == "menu.sales"
    chat.says("um vps pra minha loja virtual")
    assert chat.place.startswith("handoff.")


def test_cancelling_a_service_goes_to_a_person() -> None:
    chat = at_menu()
    chat.says("quero cancelar minha hospedagem")
    assert chat.place.startswith("handoff.")
    assert HANDOFF["cancellation"] in "\n".join(text for who, text in chat.said if who == "bot")


def test_asking_for_consulting_goes_to_tech_ops() -> None:
    chat = at_menu()
    chat.says("preciso de uma consultoria de seguranca")
    assert chat.place == "techops.start"


def test_a_price_question_gets_the_house_rule_and_no_project_price() -> None:
    chat = at_menu()
    chat.says("quanto custa?")
    assert chat.place == "techops.start"
    said = chat.bot_said()
    assert TECHOPS["price_before_offer"] in said
    assert "R$" not in said


def test_is_anyone_there_reaches_a_person() -> None:
    chat = at_menu()
    chat.says("tem alguem ai?")
    assert chat.place.startswith("handoff.")


def test_what_data_we_hold_opens_privacidade() -> None:
    chat = at_menu()
    chat.says("quais dados voces tem sobre mim")
    assert chat.place == "privacy.start"


@pytest.mark.parametrize("says", ["oiee tudo bem com vc", "muito obrigado pela ajuda"])
def test_greetings_and_thanks_get_a_natural_answer(says: str) -> None:
    chat = at_menu()
    chat.says(says)
    assert "não entendi" not in chat.bot_said().lower()
    assert chat.place == "menu.main"


def test_after_sair_an_intent_goes_straight_there() -> None:
    chat = at_menu()
    chat.says("sair")
    assert chat.place == "menu.idle"
    chat.says("quero abrir um chamado")
    assert chat.place == "client_area.start"


# ---- the fallback stages ---------------------------------------------------------------------


def test_two_close_intents_are_asked_about_in_one_question_with_both_as_buttons() -> None:
    chat = at_menu()
    replies = chat.says("boleto do dominio")
    assert chat.place == "menu.main"
    (asked,) = replies
    assert isinstance(asked, Buttons)
    assert asked.body == MENU["did_you_mean"]
    assert [b.id for b in asked.buttons] == [
        f"{INTENT_PREFIX}billing",
        f"{INTENT_PREFIX}domains_dns",
    ]
    assert not chat.last or not chat.last.not_understood
    chat.taps(AREA["route.domains_dns"])
    assert chat.place == "client_area.start"
    logs_in(chat)
    assert chat.place == "client_area.domains"


def test_lost_is_said_once_then_a_person_is_offered() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("asdf qwer")
    first = chat.bot_said()
    assert first.startswith(MENU["not_understood_opening"])
    assert MENU["offer_person"] not in first
    chat.says("zzz kkk")
    second = chat.bot_said()
    assert second.startswith(MENU["still_not_understood"])
    assert MENU["offer_person"] in second
    chat.taps("Falar com atendente")
    assert chat.place.startswith("handoff.")


def test_the_exact_words_keep_winning() -> None:
    chat = at_menu()
    chat.says("2")
    assert chat.place == "client_area.start"
    chat.says("menu")
    assert chat.place == "menu.main"
