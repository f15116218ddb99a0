"""`cancelar` says only what it did. With a meeting booked (the records say so, from the funnel
or the menu) it asks "Você quer cancelar a reunião de …?" first, and only a yes cancels it,
through the real cancellation; elsewhere it says what was left, and what could not be undone."""

from __future__ import annotations

from dresbach.features.scheduling.model import CancelBooking
from tests.features.techops.test_techops_owned import MEETING, Customer, booked, paid


def test_cancelar_with_a_meeting_booked_asks_about_the_meeting() -> None:
    chat, booking = booked()
    chat.says("cancelar")
    assert chat.place == "techops.confirm_cancel"
    assert f"Você quer cancelar a reunião de {MEETING}" in chat.bot_said()
    assert "cancelei" not in chat.bot_said()
    assert chat.options() == ["Sim, cancelar", "Não, manter"]
    chat.taps("Não, manter")
    assert chat.place == "techops.booked"
    assert "a reunião continua marcada" in chat.bot_said()
    assert chat.of(CancelBooking) == []

    chat.says("cancelar")
    chat.says("sim")
    assert chat.place == "techops.cancelling"
    [cancel] = chat.last_of(CancelBooking)
    assert cancel.booking_id == booking


def test_cancelar_at_the_menu_asks_about_the_meeting_or_says_there_is_nothing() -> None:
    chat, booking = booked()
    chat.says("menu")
    chat.says("cancelar")
    assert chat.place == "techops.confirm_cancel"
    assert f"Você quer cancelar a reunião de {MEETING}" in chat.bot_said()
    chat.taps("Sim, cancelar")
    [cancel] = chat.last_of(CancelBooking)
    assert cancel.booking_id == booking

    nobody = Customer()
    nobody.says("oi")
    nobody.says("cancelar")
    assert nobody.place == "menu.main"
    assert "Não há nada em andamento para cancelar" in nobody.bot_said()
    assert "cancelei" not in nobody.bot_said()


def test_cancelar_too_close_to_the_meeting_says_so_and_cancels_nothing() -> None:
    chat, _ = booked()
    chat.says("menu")
    chat.waits(minutes=60 * 20)  # the meeting is in less than 24 hours
    chat.says("cancelar")
    assert chat.place == "techops.booked"
    assert "Faltam menos de 24 horas para a reunião" in chat.bot_said()
    assert chat.of(CancelBooking) == []


def test_cancelar_before_a_time_is_chosen_keeps_the_diagnosis_paid() -> None:
    chat = paid()
    chat.slots_found()
    chat.says("cancelar")
    assert chat.place == "menu.main"
    assert "O seu diagnóstico continua pago" in chat.bot_said()
    assert "cancelei" not in chat.bot_said()


def test_cancelar_while_booking_or_cancelling_cannot_stop_it_half_way() -> None:
    chat = paid()
    chat.slots_found()
    chat.taps("quinta, 26/11, às 10h15")
    assert chat.place == "techops.booking_slot"
    chat.says("cancelar")
    assert chat.place == "techops.booking_slot"
    assert "Estou terminando a reserva" in chat.bot_said()


def test_cancelar_with_a_pix_shown_says_it_stays_payable_and_a_payment_still_counts() -> None:
    chat = Customer()
    chat.walk_to_pix()
    chat.says("cancelar")
    assert chat.place == "menu.main"
    said = chat.bot_said()
    assert "O Pix que enviei não é cancelado" in said
    assert "vale até às 11h (horário de Brasília)" in said
    assert "cancelei" not in said
    chat.payment_confirmed()
    assert chat.place == "techops.paid"
    assert "Pagamento confirmado" in chat.bot_said()


def test_cancelar_while_the_pix_is_created_says_none_was_sent() -> None:
    chat = Customer()
    chat.walk_to_offer()
    chat.taps("Pagar e agendar")
    chat.says("cancelar")
    assert chat.place == "menu.main"
    assert "nenhum Pix foi enviado para você" in chat.bot_said()
    assert chat.charge_created() == []  # the code is not shown after all


def test_cancelar_in_the_questions_drops_them_as_before() -> None:
    chat = Customer()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    chat.taps("Segurança da informação")
    chat.says("cancelar")
    assert chat.place == "menu.main"
    assert chat.bot_said().startswith("Tudo bem, paramos por aqui.")
    assert "cancelei" not in chat.bot_said()  # nothing was cancelled: the answers are dropped
