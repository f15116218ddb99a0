"""Área do Cliente: typed words work the same on every screen (#10.16). Transcripts.

On any screen after the login the customer may type a button's own title instead of tapping it,
name a section of the area ("faturas", "domínios", "menu da área", "sair da área"), or say
something the screen does not understand: then the bot answers briefly, with the screen's
options, and does not send the whole screen again.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.registry import MACHINE
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.messages import Buttons, ListMenu, Text
from tests.support.client_area_transcript import (
    DEPARTMENTS,
    DOMAINS,
    INVOICES,
    TICKETS,
    ClientAreaTranscript,
    dns_records,
    service,
    services,
)
from tests.support.transcript import START


def home() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    return chat


def at_services() -> ClientAreaTranscript:
    chat = home()
    chat.taps("Serviços ativos")
    chat.answer(*services(3))
    return chat


def at_service() -> ClientAreaTranscript:
    chat = at_services()
    chat.taps("site1.com.br")
    return chat


def at_access_kind() -> ClientAreaTranscript:
    chat = home()
    chat.taps("Acessos")
    chat.answer(service(1, reseller=True, mailboxes="a@site1.com.br,b@site1.com.br"))
    return chat


def at_mailbox() -> ClientAreaTranscript:
    chat = at_access_kind()
    chat.taps("Webmail")
    return chat


def at_domains() -> ClientAreaTranscript:
    chat = home()
    chat.taps("Domínios e DNS")
    chat.answer(*DOMAINS)
    return chat


def at_dns() -> ClientAreaTranscript:
    chat = at_domains()
    chat.taps("boamassa.com.br")
    chat.answer(*dns_records(23))
    return chat


def at_tickets() -> ClientAreaTranscript:
    chat = home()
    chat.taps("Chamados")
    chat.answer(*TICKETS)
    return chat


def at_ticket() -> ClientAreaTranscript:
    chat = at_tickets()
    chat.taps("#482913 Site fora do ar")
    chat.answer(TICKETS[0])
    return chat


def at_department() -> ClientAreaTranscript:
    chat = at_tickets()
    chat.taps("Abrir novo chamado")
    chat.answer(*DEPARTMENTS)
    return chat


def at_invoices() -> ClientAreaTranscript:
    chat = home()
    chat.taps("Faturas")
    chat.answer(*INVOICES)
    return chat


def at_invoice() -> ClientAreaTranscript:
    chat = at_invoices()
    chat.taps("Fatura 2026-0512")
    chat.answer(INVOICES[1])
    return chat


SCREENS: dict[str, Callable[[], ClientAreaTranscript]] = {
    "home": home,
    "services": at_services,
    "service": at_service,
    "access_kind": at_access_kind,
    "mailbox": at_mailbox,
    "domains": at_domains,
    "dns": at_dns,
    "tickets": at_tickets,
    "ticket": at_ticket,
    "department": at_department,
    "invoices": at_invoices,
    "invoice": at_invoice,
}


def _typed(body: str) -> TextReceived:
    sender = Sender(user_id=None, wa_id="5511987654321", profile_name=None)
    return TextReceived(message_id="m", sender=sender, timestamp=START, body=body)


def offered(screen: str) -> list[tuple[str, str]]:
    """(screen, title) for every option a screen offers, but the global commands ("Voltar",
    "Falar com atendente"), which the router takes before any screen."""
    chat = SCREENS[screen]()
    assert chat.state == screen, chat.place
    return [(screen, t) for t in chat.options() if MACHINE.command(_typed(t)) is None]


OPTIONS = [pair for screen in SCREENS for pair in offered(screen)]


@pytest.mark.parametrize(("screen", "title"), OPTIONS, ids=lambda v: str(v))
def test_a_button_s_own_title_typed_back_is_the_tap(screen: str, title: str) -> None:
    tapping, typing = SCREENS[screen](), SCREENS[screen]()

    # one customer taps the option, the other types its title: the bot answers both alike
    tapped = tapping.taps(title)
    typed = typing.says(title)

    assert typing.place == tapping.place, f"{title!r} typed at {screen}: {typing.bot_said()}"
    assert typed == tapped
    assert typing.commands == tapping.commands


def test_the_titles_the_screens_offer_are_covered() -> None:
    titles = {title for _screen, title in OPTIONS}
    assert {"Menu da área", "Voltar à lista", "Voltar aos chamados", "Voltar às faturas"} <= titles
    assert {"Acessar o painel", "Responder", "Ver mais", "cPanel", "WHM"} <= titles
    assert "#482977 Dúvida sobre e-…" in titles  # a title cut to fit is typed as it shows


SECTIONS = {
    "faturas": "invoices",
    "Domínios": "domains",
    "tickets": "tickets",
    "acessos": "access_service",
    "Menu da área": "home",
    "sair da área": "menu.main",
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("words", sorted(SECTIONS))
def test_a_section_s_name_opens_it_from_every_screen(screen: str, words: str) -> None:
    chat = SCREENS[screen]()
    chat.says(words)
    expected = SECTIONS[words]
    assert chat.place == (expected if "." in expected else f"client_area.{expected}"), (
        f"{words!r} at {screen}: {chat.bot_said()}"
    )


def test_serviços_opens_the_services_from_a_ticket_and_from_a_dns_page() -> None:
    chat = at_ticket()
    chat.says("Serviços")
    assert chat.state == "services"
    chat = at_dns()
    chat.says("meus serviços")
    assert chat.state == "services"


def test_a_tap_on_an_older_message_s_menu_row_opens_that_section() -> None:
    chat = at_dns()
    # WhatsApp keeps the area's menu of a few messages ago tappable
    chat.chooses("ca:home:invoices", "Faturas")
    assert chat.state == "invoices"
    assert "buscando as suas faturas" in chat.bot_said()


def test_a_miss_on_a_dns_page_answers_with_the_options_not_the_records_again() -> None:
    chat = at_dns()
    assert "• A r0.boamassa.com.br." in chat.bot_said()

    chat.says("qual é o ip?")

    assert chat.state == "dns"
    [again] = chat.last.replies  # type: ignore[union-attr]
    assert isinstance(again, Buttons)
    assert again.body == f"Desculpe, não entendi. {TEXTS['missed_buttons']}"
    assert [b.title for b in again.buttons] == ["Ver mais", "Alterar o domínio", "Voltar"]
    assert "r0.boamassa.com.br" not in chat.bot_said()

    # the options still work as before
    chat.taps("Ver mais")
    assert "(11–20 de 23)" in chat.bot_said()


@pytest.mark.parametrize("screen", ["service", "ticket", "invoice", "access_kind"])
def test_a_miss_on_a_screen_with_buttons_sends_only_the_buttons(screen: str) -> None:
    chat = SCREENS[screen]()
    offered = chat.options()

    chat.says("hmm, não sei")

    assert chat.state == screen
    [again] = chat.last.replies  # type: ignore[union-attr]
    assert isinstance(again, Buttons)
    assert again.body == f"Desculpe, não entendi. {TEXTS['missed_buttons']}"
    assert [b.title for b in again.buttons] == offered
    assert len(chat.bot_said()) < 250


@pytest.mark.parametrize("screen", ["services", "domains", "tickets", "invoices", "mailbox"])
def test_a_miss_on_a_list_sends_the_list_again_under_a_short_line(screen: str) -> None:
    chat = SCREENS[screen]()
    [shown] = [m for m in chat.last.replies if isinstance(m, ListMenu)]  # type: ignore[union-attr]

    chat.says("hmm, não sei")

    assert chat.state == screen
    [again] = chat.last.replies  # type: ignore[union-attr]
    assert isinstance(again, ListMenu)
    assert again.body == "Desculpe, não entendi. " + TEXTS["missed_list"].format(
        button=shown.button
    )
    assert again.sections == shown.sections


def test_a_miss_at_the_area_s_menu_says_how_to_choose() -> None:
    chat = home()
    chat.says("hmm, não sei")
    [again] = chat.last.replies  # type: ignore[union-attr]
    assert isinstance(again, ListMenu)
    assert again.body == f"Desculpe, não entendi. {TEXTS['home_reask']}"
    assert [r.title for r in again.rows][:5] == [
        "Serviços ativos",
        "Acessos",
        "Domínios e DNS",
        "Chamados",
        "Faturas",
    ]


def test_free_text_screens_take_the_words_as_they_are() -> None:
    # a reply to a ticket that names a section is the reply, not a way out
    chat = at_ticket()
    chat.taps("Responder")
    chat.says("As faturas e os domínios estão certos, o problema é o site.")
    assert chat.state == "sending_reply"


def test_a_request_to_pay_still_wins_over_a_section_name() -> None:
    chat = at_dns()
    chat.says("quero pagar a fatura")
    assert chat.state == "dns"
    said = chat.bot_said()
    assert TEXTS["pay_elsewhere"].split(":")[0] in said
    assert not any(isinstance(m, Text) and "r0.boamassa" in m.body for m in chat.last.replies)  # type: ignore[union-attr]
