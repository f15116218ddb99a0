"""What a customer paid for is theirs, wherever the conversation goes: `menu`, `cancelar`, the
*Menu principal* button under the confirmation, an operator handing the chat back, free text
about "minha reunião" or "já paguei". The paid diagnosis comes back from the records
(`Conversation.owned`, kept here as the runtime keeps it) and is shown, rescheduled or booked,
never qualified and charged again."""

from __future__ import annotations

from datetime import timedelta

from dresbach.features.handoff.model import HumanJoined, HumanLeft
from dresbach.features.scheduling.model import (
    BookingCancelled,
    BookSlot,
    CancelBooking,
    FindSlots,
    SlotBooked,
    SlotsFound,
    free_slots,
)
from dresbach.kernel.commands import CreatePixCharge, RecordLead, RequestHandOff
from dresbach.kernel.messages import ListMenu
from tests.support.techops_transcript import TechOpsTranscript

QUALIFICATION = "Em qual área você precisa de ajuda?"


class Customer(TechOpsTranscript):
    """A Tech Ops customer, with the calendar's and the operators' news."""

    def slots_found(self) -> list:  # type: ignore[type-arg]
        found = free_slots(self.policy.scheduling, now=self.now, busy=[], count=5)
        return self.receives(SlotsFound(**self._internal(), slot_ids=tuple(s.id for s in found)))

    def slot_booked(self, booking_id: str) -> list:  # type: ignore[type-arg]
        [book] = [c for c in self.of(BookSlot) if c.booking_id == booking_id]
        return self.receives(
            SlotBooked(
                **self._internal(), booking_id=booking_id, slot_id=book.slot_id, ics_ref="ics-1"
            )
        )

    def booking_cancelled(self, booking_id: str) -> list:  # type: ignore[type-arg]
        return self.receives(BookingCancelled(**self._internal(), booking_id=booking_id))

    def operator_joins_and_hands_back(self) -> None:
        self.receives(HumanJoined(**self._internal(), handoff_id="7", operator="Carlos"))
        self.receives(
            HumanLeft(**self._internal(), handoff_id="7", operator="Carlos", closed=False)
        )


def paid() -> Customer:
    chat = Customer()
    chat.walk_to_pix()
    chat.payment_confirmed()
    assert chat.place == "techops.paid"
    return chat


def booked(title: str = "quinta, 26/11, às 10h15") -> tuple[Customer, str]:
    """Paid and booked a little over 24 hours ahead (still changeable)."""
    chat = paid()
    chat.slots_found()
    chat.taps(title)
    [book] = chat.last_of(BookSlot)
    chat.slot_booked(book.booking_id)
    assert chat.place == "techops.booked"
    return chat, book.booking_id


MEETING = "quinta, 26/11/2026, às 10h15"


def test_menu_then_tech_ops_shows_the_booked_meeting_not_the_questions_again() -> None:
    chat, _ = booked()
    chat.says("menu")
    assert chat.place == "menu.main"
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.booked"
    assert f"O seu diagnóstico está marcado para *{MEETING}" in chat.bot_said()
    assert QUALIFICATION not in chat.bot_said()
    assert chat.options() == ["Remarcar", "Cancelar reunião", "Menu principal"]
    assert len(chat.of(CreatePixCharge)) == 1


def test_the_menu_button_under_the_confirmation_keeps_the_meeting() -> None:
    chat, booking = booked()
    chat.taps("Menu principal")
    assert chat.place == "menu.main"
    chat.says("1")  # Consultoria Tech Ops, by its number
    assert chat.place == "techops.booked"
    assert MEETING in chat.bot_said()
    chat.taps("Cancelar reunião")
    chat.taps("Sim, cancelar")
    [cancel] = chat.last_of(CancelBooking)
    assert cancel.booking_id == booking  # the real booking, found again


def test_after_an_operator_hands_back_remarcar_reschedules_the_paid_meeting() -> None:
    chat, booking = booked()
    chat.operator_joins_and_hands_back()
    assert chat.place == "menu.main"
    chat.says("preciso remarcar minha reunião")
    assert chat.place == "techops.booked"
    assert MEETING in chat.bot_said()
    chat.taps("Remarcar")
    assert chat.place == "techops.finding_slots"
    chat.slots_found()
    chat.taps("quinta, 26/11, às 9h")
    [book] = chat.last_of(BookSlot)
    assert book.replaces == booking
    assert book.email == "maria@boamassa.com.br"  # the lead's own, from the records
    assert len(chat.of(CreatePixCharge)) == 1


def test_quero_agendar_o_diagnostico_que_ja_paguei_offers_the_slots() -> None:
    chat = paid()
    chat.slots_found()
    chat.says("menu")  # left before choosing a time
    chat.says("quero agendar o diagnóstico que já paguei")
    assert chat.place == "techops.unscheduled"
    said = chat.bot_said()
    assert "O diagnóstico de segurança da informação já está pago" in said
    assert "ainda não tem reunião marcada" in said
    assert chat.options() == ["Escolher horário", "Falar com a equipe", "Menu principal"]
    chat.taps("Escolher horário")
    assert chat.place == "techops.finding_slots"
    [find] = chat.last_of(FindSlots)
    assert find.lead_id == chat.of(RecordLead)[0].lead_id
    [menu] = chat.slots_found()
    assert isinstance(menu, ListMenu)
    assert chat.place == "techops.choosing_slot"
    assert len(chat.of(CreatePixCharge)) == 1


def test_not_now_for_the_slots_leaves_the_diagnosis_paid() -> None:
    chat = paid()
    chat.says("menu")
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.unscheduled"
    chat.says("agora não")
    assert chat.place == "menu.main"
    assert "O seu diagnóstico continua pago" in chat.bot_said()


def test_ja_paguei_and_minha_reuniao_from_the_menu_find_what_was_paid() -> None:
    for words in ("já paguei", "qual o horário da minha reunião?", "desmarcar"):
        chat, _ = booked()
        chat.says("menu")
        chat.says(words)
        assert chat.place == "techops.booked", words
        assert MEETING in chat.bot_said()


def test_a_cancelled_meeting_stays_paid_and_can_be_booked_again_from_the_menu() -> None:
    chat, booking = booked()
    chat.taps("Cancelar reunião")
    chat.taps("Sim, cancelar")
    chat.booking_cancelled(booking)
    assert chat.place == "techops.cancelled"
    chat.says("menu")
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.unscheduled"
    assert len(chat.of(CreatePixCharge)) == 1


def test_the_first_message_of_a_new_session_finds_the_meeting_too() -> None:
    chat, _ = booked()
    chat.says("sair")
    assert chat.place == "menu.idle"
    chat.says("oi, quero ver minha reunião")
    assert chat.place == "techops.booked"


def test_nothing_paid_is_said_plainly_and_a_new_diagnosis_is_one_tap_away() -> None:
    chat = Customer()
    chat.says("oi")
    chat.says("já paguei")
    assert chat.place == "techops.mine"
    assert "Não encontrei nenhum diagnóstico pago neste número" in chat.bot_said()
    assert chat.options() == ["Novo diagnóstico", "Falar com a equipe", "Menu principal"]
    chat.taps("Novo diagnóstico")
    assert chat.place == "techops.start"
    assert QUALIFICATION in chat.bot_said()


def test_wanting_a_meeting_with_nothing_paid_starts_the_diagnosis() -> None:
    chat = Customer()
    chat.says("oi")
    chat.says("quero marcar uma reunião com vocês")
    assert chat.place == "techops.start"
    assert QUALIFICATION in chat.bot_said()


def test_a_paid_customer_asking_for_a_person_from_the_menu_brings_the_lead_along() -> None:
    chat, _ = booked()
    lead_id = chat.of(RecordLead)[0].lead_id
    chat.says("menu")
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    [request] = chat.last_of(RequestHandOff)
    assert request.lead_id == lead_id  # the operator sees the paid diagnosis in the context


def test_a_payment_confirmed_during_a_new_qualification_is_shown_and_not_charged_again() -> None:
    chat = Customer()
    chat.walk_to_pix()
    first = chat.txid
    chat.says("menu")  # leaves the Pix open, and starts over
    chat.taps("Consultoria Tech Ops")
    chat.taps("LGPD e governança")
    assert chat.place == "techops.description"
    chat.payment_confirmed(txid=first)  # the first Pix, paid late
    assert chat.place == "techops.paid"
    assert "Pagamento confirmado" in chat.bot_said()
    assert "R$ 1.800,00" in chat.bot_said()  # what was paid, though the new area costs less
    chat.says("menu")
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.unscheduled"
    assert "segurança da informação" in chat.bot_said()
    assert len(chat.of(CreatePixCharge)) == 1


def test_the_offer_never_charges_a_customer_who_owns_a_paid_diagnosis() -> None:
    chat = Customer()
    chat.walk_to_offer()
    chat.records["lead-old"] = {  # paid on another visit, as the records say
        "lead_id": "lead-old",
        "area": "technical",
        "amount": "1500.00",
        "txid": "DRB-OLD",
        "name": "Maria Souza",
        "email": "maria@boamassa.com.br",
        "booking_id": None,
        "slot_id": None,
    }
    chat.taps("Pagar e agendar")
    assert chat.of(CreatePixCharge) == []
    assert "Você já tem um diagnóstico pago com a gente, então não gerei um novo Pix" in (
        chat.bot_said()
    )
    assert chat.place == "techops.unscheduled"
    assert "O diagnóstico técnico já está pago" in chat.bot_said()


def test_once_the_meeting_took_place_tech_ops_starts_a_new_diagnosis() -> None:
    chat, _ = booked()
    first_lead = chat.of(RecordLead)[0].lead_id
    chat.says("menu")
    chat.waits(minutes=60 * 30)  # the meeting (Thursday 10:15 in São Paulo) is over
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.start"
    chat.taps("Diagnóstico técnico")
    chat.says("Os servidores caem toda sexta-feira à noite.")
    chat.says("Padaria Boa Massa")
    chat.taps("De 10 a 49 pessoas")
    chat.taps("É urgente")
    chat.says("maria@boamassa.com.br")
    chat.taps("Sim, pode ser")
    chat.taps("Pular")
    chat.taps("Está tudo certo")
    [qualified, offered] = chat.last_of(RecordLead)
    assert qualified.lead_id == offered.lead_id != first_lead  # a new lead, not the paid one
    chat.taps("Pagar e agendar")
    assert len(chat.of(CreatePixCharge)) == 2


def test_a_status_after_payment_keeps_the_answers_on_record() -> None:
    chat, booking = booked()
    chat.says("menu")
    chat.taps("Consultoria Tech Ops")  # the slots now hold only what the records gave back
    chat.taps("Cancelar reunião")
    chat.taps("Sim, cancelar")
    chat.booking_cancelled(booking)
    [back_to_paid] = chat.last_of(RecordLead)
    assert back_to_paid.status == "paid"
    assert back_to_paid.answers is None  # the saved answers stay: none is wiped


def test_the_meeting_is_owned_until_it_ends() -> None:
    chat, _ = booked()
    chat.says("menu")
    chat.waits(minutes=60 * 24 + 45)  # Thursday 10:45: the meeting is under way
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.booked"
    chat.says("menu")
    chat.now += timedelta(minutes=60)  # over
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.start"
