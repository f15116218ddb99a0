"""Área do Cliente, the session: 10 minutes idle, 60 minutes in all, and the ways out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from dresbach.features.client_area.login import session
from dresbach.features.client_area.model import EndSession, FetchClientData
from dresbach.kernel.conversation import Place
from tests.support.client_area_transcript import CLIENT, ClientAreaTranscript, services


def logged_in() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    return chat


def no_client_slots(chat: ClientAreaTranscript) -> bool:
    assert chat.conversation is not None
    return not any(
        value
        for key, value in chat.conversation.slots.items()
        if key.startswith(("client_area.", "secret."))
    )


def test_each_message_keeps_the_session_alive() -> None:
    chat = logged_in()
    for _ in range(3):
        chat.waits(minutes=9)
        chat.taps("Serviços ativos")
        assert chat.state == "services", chat.bot_said()
        assert chat.conversation is not None
        assert chat.conversation.slots["client_area.seen_at"] == chat.now.isoformat()
        chat.answer(*services(2))
        chat.taps("Voltar")
        assert chat.state == "home"
    assert not chat.of(EndSession)


def test_ten_minutes_without_a_message_end_the_session() -> None:
    chat = logged_in()
    chat.waits(minutes=10)
    chat.taps("Faturas")
    [ended] = chat.last_of(EndSession)
    assert (ended.client_id, ended.reason) == (CLIENT, "idle")
    said = chat.bot_said()
    assert said.startswith("Por segurança, a sua sessão na Área do Cliente foi encerrada")
    assert "10 minutos sem atividade" in said
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in said
    assert chat.state == "start"
    assert not chat.last_of(FetchClientData)
    assert no_client_slots(chat)
    assert chat.conversation is not None
    assert chat.conversation.trail == ()


def test_sixty_minutes_after_the_login_the_session_ends_however_active() -> None:
    chat = logged_in()
    for _ in range(6):
        chat.waits(minutes=9)
        chat.taps("Serviços ativos")
        chat.answer(*services(1))
        chat.taps("Voltar")
    assert chat.state == "home"
    chat.waits(minutes=6)  # 60 minutes since the login
    chat.taps("Chamados")
    [ended] = chat.last_of(EndSession)
    assert ended.reason == "absolute"
    assert "ela dura no máximo 60 minutos" in chat.bot_said()
    assert chat.state == "start"
    assert no_client_slots(chat)


def test_data_arriving_after_the_session_ended_is_not_shown() -> None:
    chat = logged_in()
    chat.taps("Serviços ativos")
    chat.waits(minutes=11)
    chat.answer(*services(3))
    assert chat.last_of(EndSession)[0].reason == "idle"
    assert "site1.com.br" not in chat.bot_said()
    assert chat.state == "start"


def test_sair_da_area_ends_the_session_with_an_end_session() -> None:
    chat = logged_in()
    chat.taps("Sair da área")
    [ended] = chat.last_of(EndSession)
    assert (ended.client_id, ended.reason) == (CLIENT, "logout")
    assert chat.bot_said().startswith("Você saiu da Área do Cliente com segurança.")
    assert chat.place == "menu.main"
    assert no_client_slots(chat)


def test_the_global_sair_clears_the_session_without_an_end_session() -> None:
    """Known limit: the router handles `sair` (and `menu`, `cancelar`) before the table, so the
    flow cannot emit EndSession for them; the runtime has to (see the report)."""
    chat = logged_in()
    chat.says("sair")
    assert chat.place == "menu.idle"
    assert no_client_slots(chat)
    assert not chat.of(EndSession)


def test_back_after_the_session_expired_shows_no_data_and_the_next_message_ends_it() -> None:
    chat = logged_in()
    chat.taps("Serviços ativos")
    chat.answer(*services(3))
    chat.taps("site2.com.br")
    assert chat.state == "service"
    chat.waits(minutes=12)
    chat.says("voltar")
    assert chat.state == "services"
    assert chat.bot_said().startswith("A sua sessão na Área do Cliente terminou por segurança.")
    assert "site1.com.br" not in chat.bot_said()
    chat.says("ok")
    assert chat.last_of(EndSession)[0].reason == "idle"
    assert chat.state == "start"


def test_a_place_in_the_area_without_a_session_asks_to_log_in() -> None:
    chat = ClientAreaTranscript()
    assert chat.conversation is not None
    chat.conversation = replace(chat.conversation, place=Place(flow="client_area", state="home"))
    chat.says("faturas")
    assert chat.bot_said().startswith("Para ver isso, entre de novo na Área do Cliente.")
    assert chat.state == "start"
    assert not chat.commands


def test_expiry_is_computed_from_the_session_slots() -> None:
    chat = logged_in()
    assert chat.conversation is not None
    slots = chat.conversation.slots
    assert session.expiry(slots, chat.now + timedelta(minutes=9, seconds=59)) is None
    assert session.expiry(slots, chat.now + timedelta(minutes=10)) == "idle"
    later = dict(slots, **{"client_area.seen_at": (chat.now + timedelta(minutes=55)).isoformat()})
    assert session.expiry(later, chat.now + timedelta(minutes=59)) is None
    assert session.expiry(later, chat.now + timedelta(minutes=60)) == "absolute"
    assert session.expiry({}, chat.now) is None
    assert session.expiry({"client_area.login_at": "ontem"}, chat.now) is None


def test_a_person_can_be_called_from_inside_the_area_and_left_with_menu() -> None:
    chat = logged_in()
    chat.taps("Serviços ativos")
    chat.answer(*services(2))
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    chat.says("voltar")  # said to the person, not a command any more
    assert chat.place == "handoff.waiting"
    chat.says("menu")
    assert chat.place == "handoff.confirm_leave"
    chat.taps("Sim, sair")
    assert chat.place == "menu.main"
