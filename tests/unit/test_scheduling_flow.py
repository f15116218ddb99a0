"""Scheduling the paid diagnosis, as transcripts: the customer pays, gets the free slots as a
list, books, gets the confirmation and the invitation, is reminded, reschedules or cancels.
The calendar's answers come back as events, as the workers would deliver them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dresbach.domain.commands import RecordLead, RequestHandOff
from dresbach.domain.messages import Buttons, Document, ListMenu, Template, Text
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import (
    BookingCancelled,
    BookSlot,
    CancelBooking,
    FindSlots,
    MeetingReminder,
    SchedulingFailed,
    SlotBooked,
    SlotsFound,
    SlotTaken,
    free_slots,
)
from tests.support.techops_transcript import TechOpsTranscript
from tests.support.transcript import words

POLICY = Policy()


def slot_ids(
    chat: TechOpsTranscript, count: int = 5, after: datetime | None = None
) -> tuple[str, ...]:
    found = free_slots(POLICY.scheduling, now=chat.now, busy=[], after=after, count=count)
    return tuple(s.id for s in found)


class Scheduling(TechOpsTranscript):
    def slots_found(self, *ids: str) -> list:  # type: ignore[type-arg]
        return self.receives(SlotsFound(**self._internal(), slot_ids=ids))

    def slot_booked(self, slot_id: str, booking_id: str = "bk-1") -> list:  # type: ignore[type-arg]
        return self.receives(
            SlotBooked(**self._internal(), booking_id=booking_id, slot_id=slot_id, ics_ref="ics-1")
        )

    def slot_taken(self, slot_id: str) -> list:  # type: ignore[type-arg]
        return self.receives(SlotTaken(**self._internal(), booking_id="bk-x", slot_id=slot_id))

    def reminder(self, slot_id: str, hours: int) -> list:  # type: ignore[type-arg]
        return self.receives(
            MeetingReminder(
                **self._internal(), booking_id="bk-1", slot_id=slot_id, hours_before=hours
            )
        )


def paid() -> Scheduling:
    chat = Scheduling()
    chat.walk_to_pix()
    chat.payment_confirmed()
    assert chat.place == "techops.paid"
    return chat


def booked(title: str = "qui, 26/11 às 10:15") -> tuple[Scheduling, str]:
    """Booked (by default a little over 24 hours ahead: still changeable)."""
    chat = paid()
    ids = slot_ids(chat)
    [menu] = chat.slots_found(*ids)
    assert isinstance(menu, ListMenu)
    chosen = next(r.id.removeprefix("slot:") for r in menu.rows if r.title == title)
    chat.taps(title)
    chat.slot_booked(chosen)
    assert chat.place == "techops.booked"
    return chat, chosen


def test_a_paid_customer_gets_the_free_slots_and_books_one_without_back_and_forth() -> None:
    chat = paid()
    [find] = chat.of(FindSlots)
    assert find.after is None

    ids = slot_ids(chat)
    [menu] = chat.slots_found(*ids)
    assert chat.place == "techops.choosing_slot"
    assert isinstance(menu, ListMenu)
    # 13:00 UTC is 10:00 in São Paulo; with 4 hours of notice the first slot is 14:00
    assert [r.title for r in menu.rows] == [
        "qua, 25/11 às 14:00",
        "qua, 25/11 às 15:15",
        "qua, 25/11 às 16:30",
        "qui, 26/11 às 09:00",
        "qui, 26/11 às 10:15",
        "Outros horários",
    ]
    assert "horário de Brasília" in menu.body

    chat.taps("qui, 26/11 às 09:00")
    assert chat.place == "techops.booking_slot"
    assert "Reservando qui, 26/11 às 09:00" in chat.bot_said()
    [book] = chat.last_of(BookSlot)
    assert book.slot_id == ids[3]
    assert book.email == "maria@boamassa.com.br"
    assert book.name == "Maria Souza"
    assert book.replaces is None

    replies = chat.slot_booked(ids[3], booking_id=book.booking_id)
    assert chat.place == "techops.booked"
    confirmation, invitation = replies
    assert isinstance(confirmation, Buttons)
    assert "qui, 26/11/2026 às 09:00 (horário de Brasília)" in confirmation.body
    assert POLICY.scheduling.location in confirmation.body
    assert [b.title for b in confirmation.buttons] == [
        "Remarcar",
        "Cancelar reunião",
        "Menu principal",
    ]
    assert isinstance(invitation, Document)
    assert invitation.filename == "diagnostico-dresbach.ics"
    assert invitation.upload_ref == "ics-1"

    [record] = chat.last_of(RecordLead)
    assert record.status == "scheduled"
    [handoff] = chat.last_of(RequestHandOff)
    assert handoff.reason == "consultant"
    assert handoff.booking_id == book.booking_id
    assert handoff.lead_id == record.lead_id


def test_a_number_picks_a_slot_and_more_slots_come_after_the_last_shown() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("Outros horários")
    assert chat.place == "techops.finding_slots"
    [find] = chat.last_of(FindSlots)
    assert find.after is not None
    last_shown = datetime.strptime(ids[-1], "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    assert datetime.fromisoformat(find.after) == last_shown

    more = slot_ids(chat, after=last_shown + timedelta(minutes=1))
    chat.slots_found(*more)
    chat.says("2")
    [book] = chat.last_of(BookSlot)
    assert book.slot_id == more[1]


def test_something_else_typed_on_the_list_gets_the_list_again() -> None:
    chat = paid()
    chat.slots_found(*slot_ids(chat))
    [menu] = chat.says("amanhã de tarde")
    assert isinstance(menu, ListMenu)
    assert menu.body.startswith("Não encontrei esse horário na lista.")
    assert chat.place == "techops.choosing_slot"
    assert chat.last_of(BookSlot) == []


def test_two_customers_on_the_same_slot_the_second_is_told_and_gets_fresh_slots() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("qua, 25/11 às 14:00")
    chat.slot_taken(ids[0])
    assert "acabou de ser reservado por outra pessoa" in chat.bot_said()
    assert chat.place == "techops.finding_slots"
    assert len(chat.last_of(FindSlots)) == 1
    chat.slots_found(*ids[1:])
    assert "qua, 25/11 às 14:00" not in chat.options()


def test_a_full_calendar_or_an_unreachable_one_tells_the_customer_and_calls_a_consultant() -> None:
    chat = paid()
    chat.slots_found()
    assert chat.place == "techops.no_slots"
    assert "Não há horários livres" in chat.bot_said()
    [handoff] = chat.last_of(RequestHandOff)
    assert handoff.reason == "consultant"
    chat.taps("Tentar de novo")
    assert chat.place == "techops.finding_slots"
    chat.receives(SchedulingFailed(**chat._internal(), reason="timeout"))
    assert chat.place == "techops.schedule_failed"
    assert "Não consegui acessar a agenda" in chat.bot_said()


def test_reschedule_books_a_new_slot_that_replaces_the_old_one() -> None:
    chat, first = booked()
    chat.taps("Remarcar")
    assert chat.place == "techops.finding_slots"
    ids = slot_ids(chat, count=6)
    chat.slots_found(*ids[1:])
    chat.taps("qui, 26/11 às 11:30")
    [book] = chat.last_of(BookSlot)
    assert book.replaces == "bk-1"
    chat.slot_booked(book.slot_id, booking_id="bk-2")
    assert chat.place == "techops.booked"
    assert "qui, 26/11/2026 às 11:30" in chat.bot_said()
    assert first != book.slot_id


def test_cancel_asks_first_then_frees_the_slot_and_offers_a_new_one() -> None:
    chat, _slot = booked()
    chat.taps("Cancelar reunião")
    assert "Você quer cancelar a reunião de qui, 26/11/2026 às 10:15" in chat.bot_said()
    chat.taps("Não, manter")
    assert chat.place == "techops.booked"
    assert "continua marcada" in chat.bot_said()
    chat.taps("Cancelar reunião")
    chat.taps("Sim, cancelar")
    [cancel] = chat.last_of(CancelBooking)
    assert cancel.booking_id == "bk-1"
    assert chat.place == "techops.cancelling"
    chat.receives(BookingCancelled(**chat._internal(), booking_id="bk-1"))
    assert chat.place == "techops.cancelled"
    assert "horário liberado" in chat.bot_said()
    [record] = chat.last_of(RecordLead)
    assert record.status == "paid"
    chat.taps("Escolher horário")
    assert chat.place == "techops.finding_slots"


def test_too_close_to_the_meeting_the_customer_is_sent_to_the_team() -> None:
    chat, _slot = booked("qua, 25/11 às 14:00")  # today: under 24 hours ahead
    [answer] = chat.taps("Remarcar")
    assert isinstance(answer, Buttons)
    assert "Faltam menos de 24 horas" in answer.body
    assert [b.title for b in answer.buttons] == ["Falar com a equipe", "Menu principal"]
    assert chat.place == "techops.booked"
    assert chat.last_of(FindSlots) == []


def test_reminders_24h_and_1h_reach_the_customer_even_at_the_menu() -> None:
    chat, slot = booked()
    chat.says("menu")
    assert chat.place == "menu.main"
    [day_before] = chat.reminder(slot, 24)
    assert isinstance(day_before, Text)
    assert day_before.body.startswith("Lembrete: o seu diagnóstico Tech Ops é amanhã, qui, 26/11")
    assert isinstance(day_before.fallback, Template)
    assert day_before.fallback.name == "lembrete_reuniao"
    [hour_before] = chat.reminder(slot, 1)
    assert "começa em 1 hora (10:15)" in words(hour_before)
    assert chat.place == "menu.main"


def test_a_booking_confirmed_after_the_customer_left_still_reaches_them() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("qua, 25/11 às 14:00")
    chat.says("menu")
    replies = chat.slot_booked(ids[0])
    assert chat.place == "techops.booked"
    assert isinstance(replies[-1], Document)


def test_price_questions_while_scheduling_get_the_fee_only() -> None:
    chat = paid()
    chat.says("quanto custa o projeto?")
    assert "R$ 1.800,00" in chat.bot_said()
    assert chat.place == "techops.paid"
