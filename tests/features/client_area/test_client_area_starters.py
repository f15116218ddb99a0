"""WhatsApp's commands (`/fatura`, `/suporte`, `/atendente`, `/privacidade`) and conversation
starters, typed or tapped, reach their place: from the first message, from the middle of
another flow, and in the Área do Cliente before and after the login. Transcripts."""

from __future__ import annotations

import pytest

from dresbach.features.client_area.login.starters import ICE_BREAKERS
from dresbach.features.client_area.model import FetchClientData
from dresbach.features.registry import FEATURES, MACHINE
from dresbach.kernel.machine.global_commands import slash_of
from tests.support.client_area_transcript import (
    CODE,
    CPF,
    INVOICES,
    PASSWORD,
    TICKETS,
    ClientAreaTranscript,
)

COMMANDS = {c.slash: c for c in MACHINE.commands if c.slash}


def test_the_four_commands_and_starters_are_registered_within_whatsapps_limits() -> None:
    assert set(COMMANDS) == {"fatura", "suporte", "atendente", "privacidade"}
    for name, command in COMMANDS.items():
        assert len(name) <= 32
        assert 1 <= len(command.hint) <= 256
    starters = [text for f in FEATURES for text in f.ice_breakers]
    assert 1 <= len(starters) <= 4
    assert all(len(text) <= 80 for text in starters)


def test_slash_of_reads_the_command_at_the_start_only() -> None:
    assert slash_of("/fatura") == "fatura"
    assert slash_of("  /Suporte meu site caiu") == "suporte"
    assert slash_of("fatura") is None
    assert slash_of("/") is None
    assert slash_of("minha fatura /fatura") is None


def logs_in_after(chat: ClientAreaTranscript) -> None:
    """The login, from the area's start, up to the second factor accepted."""
    assert chat.state == "start", chat.bot_said()
    chat.sends_document(CPF)
    chat.says(PASSWORD)
    chat.login_checked("ok")
    chat.says(CODE)
    chat.second_factor_checked("ok")


@pytest.mark.parametrize(
    ("typed", "what", "state"),
    [
        ("/fatura", "invoices", "invoices"),
        ("/suporte", "tickets", "tickets"),
        (ICE_BREAKERS["billing"], "invoices", "invoices"),
        (ICE_BREAKERS["support_ticket"], "tickets", "tickets"),
    ],
)
def test_a_first_message_leads_to_its_screen_after_the_login(
    typed: str, what: str, state: str
) -> None:
    chat = ClientAreaTranscript()
    chat.says(typed)
    logs_in_after(chat)
    assert chat.state == state, chat.bot_said()
    [fetch] = chat.last_of(FetchClientData)
    assert fetch.what == what
    chat.answer(*(INVOICES if what == "invoices" else TICKETS))
    assert chat.state == state
    assert chat.options(), chat.bot_said()


def test_fatura_in_a_live_session_goes_straight_to_the_invoices() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Chamados")
    chat.answer(*TICKETS)
    chat.says("/fatura")
    assert chat.state == "invoices"
    assert chat.last_of(FetchClientData)[0].what == "invoices"
    chat.answer(*INVOICES)
    assert "Estas são as suas faturas" in chat.bot_said()


def test_suporte_from_the_middle_of_another_flow() -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    assert chat.place.startswith("techops."), chat.place
    chat.says("/suporte")
    logs_in_after(chat)
    assert chat.state == "tickets"


def test_the_area_entered_otherwise_still_opens_at_its_menu() -> None:
    chat = ClientAreaTranscript()
    chat.says("/fatura")
    chat.says("menu")
    chat.logs_in()  # "Área do Cliente" from the menu: the older lead is forgotten
    assert chat.state == "home"


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("/atendente", "handoff."),
        ("/privacidade", "privacy."),
        ("Quero falar com um atendente", "handoff."),
        ("Quero conhecer a consultoria Tech Ops", "techops."),
    ],
)
def test_the_other_commands_and_starters_reach_their_flow(typed: str, place: str) -> None:
    first = ClientAreaTranscript()
    first.says(typed)
    assert first.place.startswith(place), (first.place, first.bot_said())
    if typed.startswith("/"):  # and from anywhere, mid-login too
        later = ClientAreaTranscript()
        later.opens_the_area()
        later.says(typed)
        assert later.place.startswith(place), (later.place, later.bot_said())
