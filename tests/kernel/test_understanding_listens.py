"""The understanding tier listens wherever free text is heard at the menu level. Transcripts.

Not only the menu: the Área do Cliente's menu and its screens with options, Tech Ops' areas and
its "nada encontrado", the privacy menu and the FAQ's "Isso resolveu?" give what they do not
read themselves to the tier before "não entendi". A customer already logged in goes straight to
the section asked for, never through a second login. Inside a question (the funnel's, the
login's) the question's own validation keeps priority, and where a person is in charge the
words are the person's.
"""

from __future__ import annotations

from dresbach.features.client_area.flow.texts import TEXTS as AREA
from dresbach.features.client_area.model import CheckLogin, FetchClientData
from dresbach.features.faq.flow.texts import TEXTS as FAQ
from dresbach.kernel.machine.routes import INTENT_PREFIX
from dresbach.kernel.messages import Buttons
from tests.support.client_area_transcript import INVOICES, ClientAreaTranscript
from tests.support.transcript import Transcript

NOT_UNDERSTOOD = "Desculpe, não entendi."


def in_the_area() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    assert chat.place == "client_area.home"
    return chat


def at(*first_words: str) -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.says("oi")
    for words in first_words:
        chat.says(words)
    return chat


# ---- the Área do Cliente: its menu and its screens ---------------------------------------------


def test_at_the_area_menu_a_bill_goes_straight_to_the_invoices_without_a_second_login() -> None:
    chat = in_the_area()
    logins = len(chat.of(CheckLogin))

    chat.says("minha mensalidade ta em aberto?")

    assert chat.place == "client_area.invoices"
    assert chat.last_of(FetchClientData)[0].what == "invoices"
    assert len(chat.of(CheckLogin)) == logins
    assert AREA["resume_login"] not in chat.bot_said()
    chat.answer(*INVOICES)
    assert "Fatura 2026-0512" in chat.options()


def test_at_the_area_menu_a_request_to_pay_is_still_told_where_payments_are_made() -> None:
    # the screen's own reading comes first: "2a via do boleto" there is a request to pay
    chat = in_the_area()
    chat.says("quero a 2a via do boleto")
    assert chat.place == "client_area.home"
    assert AREA["pay_elsewhere"].split(":")[0] in chat.bot_said()


def test_a_section_list_hears_another_subject() -> None:
    chat = in_the_area()
    chat.taps("Faturas")
    chat.answer(*INVOICES)

    chat.says("meu site caiu")

    assert chat.place == "sitedown.service"  # the site-down assistant lists the services
    assert chat.last_of(FetchClientData)[0].what == "services"


def test_two_close_guesses_are_asked_about_and_the_tap_opens_the_section() -> None:
    chat = in_the_area()
    chat.says("preciso ver quanto to devendo")
    assert chat.place == "client_area.home"
    asked = chat.last.replies[-1] if chat.last else None
    assert isinstance(asked, Buttons)
    assert all(button.id.startswith(INTENT_PREFIX) for button in asked.buttons)

    chat.taps(AREA["route.billing"])

    assert chat.place == "client_area.invoices"
    assert chat.last_of(FetchClientData)[0].what == "invoices"


def test_what_stays_lost_in_the_area_gets_the_screens_options() -> None:
    chat = in_the_area()
    chat.says("hmm, não sei")
    assert chat.place == "client_area.home"
    assert chat.bot_said().startswith(NOT_UNDERSTOOD)


def test_a_logged_in_customer_asks_for_a_person_from_the_area() -> None:
    chat = in_the_area()
    chat.says("tem alguem ai?")
    assert chat.place.startswith("handoff.")


# ---- the FAQ's "Isso resolveu?" ---------------------------------------------------------------


def test_after_an_answer_another_question_gets_its_own_answer() -> None:
    chat = at("como configuro meu email no celular?")
    assert chat.place == "faq.asked"

    chat.says("e como configuro no outlook?")

    assert chat.place == "faq.asked"
    assert "Outlook" in chat.bot_said()
    assert FAQ["asked"] in chat.bot_said()


def test_after_an_answer_a_request_goes_where_it_asks_after_the_login() -> None:
    chat = at("como configuro meu email no celular?")

    chat.says("quero a 2a via do boleto")

    assert chat.place == "client_area.start"
    assert AREA["resume_login"] in chat.bot_said()
    chat.answers_the_login()
    assert chat.place == "client_area.invoices"


def test_a_logged_in_customer_answered_by_the_faq_is_not_asked_to_log_in_again() -> None:
    chat = in_the_area()
    chat.says("como configuro meu email no celular?")
    assert chat.place == "faq.asked"
    logins = len(chat.of(CheckLogin))

    chat.says("me manda a fatura do mes")

    assert chat.place == "client_area.invoices"
    assert len(chat.of(CheckLogin)) == logins


def test_after_an_answer_what_is_neither_sim_nor_nao_nor_understood_is_said_so() -> None:
    chat = at("como configuro meu email no celular?")
    chat.says("hmm")
    assert chat.place == "faq.asked"
    assert chat.bot_said().startswith(NOT_UNDERSTOOD)
    chat.taps("Sim")
    assert chat.place == "menu.main"


# ---- the privacy menu ------------------------------------------------------------------------


def test_at_the_privacy_menu_a_bill_goes_to_the_login_then_the_invoices() -> None:
    chat = at("privacidade")
    assert chat.place == "privacy.start"

    chat.says("quero a 2a via do boleto")

    assert chat.place == "client_area.start"
    chat.answers_the_login()
    assert chat.place == "client_area.invoices"


def test_asking_for_privacy_at_the_privacy_menu_keeps_its_options() -> None:
    # understood, but it leads where the customer already is: the menu's own answer stands
    chat = at("privacidade")
    chat.says("quero saber da privacidade")
    assert chat.place == "privacy.start"
    assert chat.bot_said().startswith(NOT_UNDERSTOOD)


# ---- Tech Ops: its areas, and "nada encontrado" ------------------------------------------------


def test_at_tech_ops_areas_a_hosting_problem_goes_to_the_site_checks() -> None:
    chat = at("preciso de uma consultoria de seguranca")
    assert chat.place == "techops.start"

    chat.says("meu site caiu")

    assert chat.place == "sitedown.domain"
    assert "Qual é o endereço do site" in chat.bot_said()


def test_at_tech_ops_areas_an_area_in_words_is_still_the_answer() -> None:
    chat = at("preciso de uma consultoria de seguranca")
    chat.says("seguranca da informacao")
    assert chat.place == "techops.description"


def test_when_no_paid_diagnosis_is_found_a_bill_is_understood() -> None:
    chat = at("minha reuniao")
    assert chat.place == "techops.mine"

    chat.says("quero a 2a via do boleto")

    assert chat.place == "client_area.start"


# ---- where the tier does not listen ------------------------------------------------------------


def test_inside_a_funnel_question_the_sentence_is_the_answer() -> None:
    chat = at("preciso de uma consultoria de seguranca", "seguranca da informacao")
    assert chat.place == "techops.description"

    chat.says("quero a 2a via do boleto")  # a description, as odd as it is

    assert chat.place == "techops.company"


def test_while_a_person_is_called_the_words_are_kept_for_the_person() -> None:
    chat = at("tem alguem ai?")
    assert chat.place == "handoff.waiting"

    chat.says("quero a 2a via do boleto")

    assert chat.place == "handoff.waiting"


def test_at_the_privacy_menu_a_prospect_is_qualified_for_sales() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("privacidade")
    chat.says("quero contratar uma hospedagem")
    assert chat.place == "menu.sales"
