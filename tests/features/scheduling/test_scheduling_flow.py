"""Scheduling the paid diagnosis, as transcripts: the customer pays, gets the free slots as a
list, books, gets the confirmation and the invitation, is reminded, reschedules or cancels.
The calendar's answers come back as events, as the workers would deliver them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dresbach.features.scheduling.model import (
    BookingCancelled,
    BookSlot,
    CancelBooking,
    FindSlots,
    MeetingLinkSet,
    MeetingReminder,
    SchedulingFailed,
    SchedulingRules,
    SlotBooked,
    SlotsFound,
    SlotTaken,
    free_slots,
)
from dresbach.kernel.commands import EmailReceipt, RecordLead, RequestHandOff
from dresbach.kernel.messages import Buttons, Document, ListMenu, Template, Text
from dresbach.kernel.policy import Policy
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


def booked(title: str = "quinta, 26/11, às 10h15") -> tuple[Scheduling, str]:
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
        "quarta, 25/11, às 14h",
        "quarta, 25/11, às 15h15",
        "quarta, 25/11, às 16h30",
        "quinta, 26/11, às 9h",
        "quinta, 26/11, às 10h15",
        "Outros horários",
    ]
    assert "horário de Brasília" in menu.body

    chat.taps("quinta, 26/11, às 9h")
    assert chat.place == "techops.booking_slot"
    assert "Estou reservando o horário de quinta, 26/11, às 9h para você" in chat.bot_said()
    [book] = chat.last_of(BookSlot)
    assert book.slot_id == ids[3]
    assert book.email == "maria@boamassa.com.br"
    assert book.name == "Maria Souza"
    assert book.replaces is None

    replies = chat.slot_booked(ids[3], booking_id=book.booking_id)
    assert chat.place == "techops.booked"
    confirmation, invitation = replies
    assert isinstance(confirmation, Buttons)
    assert "quinta, 26/11/2026, às 9h (horário de Brasília)" in confirmation.body
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
    chat.taps("quarta, 25/11, às 14h")
    chat.slot_taken(ids[0])
    assert "acabou de ser reservado por outra pessoa" in chat.bot_said()
    assert chat.place == "techops.finding_slots"
    assert len(chat.last_of(FindSlots)) == 1
    chat.slots_found(*ids[1:])
    assert "quarta, 25/11, às 14h" not in chat.options()


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
    chat.taps("quinta, 26/11, às 11h30")
    [book] = chat.last_of(BookSlot)
    assert book.replaces == "bk-1"
    chat.slot_booked(book.slot_id, booking_id="bk-2")
    assert chat.place == "techops.booked"
    assert "quinta, 26/11/2026, às 11h30" in chat.bot_said()
    assert first != book.slot_id


def test_cancel_asks_first_then_frees_the_slot_and_offers_a_new_one() -> None:
    chat, _slot = booked()
    chat.taps("Cancelar reunião")
    assert "Você quer cancelar a reunião de quinta, 26/11/2026, às 10h15" in chat.bot_said()
    chat.taps("Não, manter")
    assert chat.place == "techops.booked"
    assert "continua marcada" in chat.bot_said()
    chat.taps("Cancelar reunião")
    chat.taps("Sim, cancelar")
    [cancel] = chat.last_of(CancelBooking)
    assert cancel.booking_id == "bk-1"
    assert chat.place == "techops.cancelling"
    told, cancellation = chat.receives(
        BookingCancelled(**chat._internal(), booking_id="bk-1", ics_ref="ics-cancel")
    )
    assert chat.place == "techops.cancelled"
    assert isinstance(told, Buttons)
    assert "horário liberado" in told.body
    # the customer's calendar gets the cancellation (#10.7): no ghost meeting left there
    assert isinstance(cancellation, Document)
    assert cancellation.upload_ref == "ics-cancel"
    assert cancellation.filename == "diagnostico-dresbach-cancelado.ics"
    [record] = chat.last_of(RecordLead)
    assert record.status == "paid"
    chat.taps("Escolher horário")
    assert chat.place == "techops.finding_slots"


def test_a_slot_inside_the_change_window_says_so_and_can_be_undone_right_after_booking() -> None:
    """#10.5: slots 4 hours ahead are offered, and changes close 24 hours before. The list
    says which slots close, the confirmation says until when (a grace period right after
    booking), and the buttons keep that promise."""
    chat = paid()
    [menu] = chat.slots_found(*slot_ids(chat))
    assert isinstance(menu, ListMenu)
    notes = {r.title: r.description for r in menu.rows}
    late = "Daqui a menos de 24 h: mudanças só até 15 min após marcar"
    assert notes["quarta, 25/11, às 14h"] == late
    assert notes["quinta, 26/11, às 10h15"] is None  # more than 24 hours ahead
    chat.taps("quarta, 25/11, às 14h")
    [book] = chat.last_of(BookSlot)
    confirmation, _ics = chat.slot_booked(book.slot_id, booking_id=book.booking_id)
    assert isinstance(confirmation, Buttons)
    # booked at 10:00 for 14:00 the same day: changes until 10:15, then with the team
    assert "até 24 horas antes" not in confirmation.body
    assert "você pode remarcar ou cancelar por aqui até às 10h15" in confirmation.body
    assert [b.title for b in confirmation.buttons] == [
        "Remarcar",
        "Cancelar reunião",
        "Menu principal",
    ]
    chat.now += timedelta(minutes=5)
    chat.taps("Remarcar")  # seconds later: it works, as promised
    assert chat.place == "techops.finding_slots"
    assert "Faltam menos de 24 horas" not in chat.bot_said()
    [again] = chat.last_of(FindSlots)
    assert again.after is None


def test_after_the_grace_period_a_late_booking_is_changed_only_by_the_team() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("quarta, 25/11, às 14h")
    chat.slot_booked(ids[0])
    chat.now += timedelta(minutes=20)
    [answer] = chat.says("remarcar")
    assert isinstance(answer, Buttons)
    assert "Faltam menos de 24 horas" in answer.body
    assert [b.title for b in answer.buttons] == ["Falar com a equipe", "Menu principal"]
    assert chat.place == "techops.booked"
    assert chat.last_of(FindSlots) == []
    [prompt] = chat.says("hmm")  # the meeting again: no change buttons it would refuse
    assert isinstance(prompt, Buttons)
    assert "para remarcar ou cancelar, fale com a nossa equipe" in prompt.body
    assert [b.title for b in prompt.buttons] == ["Falar com a equipe", "Menu principal"]


def test_a_booking_a_day_ahead_can_be_changed_until_24_hours_before() -> None:
    chat, _slot = booked()  # Thursday 10:15, booked Wednesday 10:00
    confirmation = chat.last.replies[0] if chat.last else None
    assert isinstance(confirmation, Buttons)
    assert "você pode remarcar ou cancelar por aqui até 24 horas antes" in confirmation.body
    chat.now += timedelta(minutes=10)  # Wednesday 10:10: still more than 24 hours ahead
    chat.taps("Remarcar")
    assert chat.place == "techops.finding_slots"


def test_reminders_24h_and_1h_reach_the_customer_even_at_the_menu() -> None:
    chat, slot = booked()
    chat.says("menu")
    assert chat.place == "menu.main"
    [day_before] = chat.reminder(slot, 24)
    assert isinstance(day_before, Text)
    assert day_before.body.startswith(
        "Lembrete: a reunião do seu diagnóstico Tech Ops é amanhã, quinta, 26/11, às 10h15."
    )
    assert isinstance(day_before.fallback, Template)
    assert day_before.fallback.name == "lembrete_reuniao"
    [hour_before] = chat.reminder(slot, 1)
    assert "começa daqui a 1 hora, às 10h15." in words(hour_before)
    assert chat.place == "menu.main"


def test_a_booking_confirmed_after_the_customer_left_still_reaches_them() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("quarta, 25/11, às 14h")
    chat.says("menu")
    replies = chat.slot_booked(ids[0])
    assert chat.place == "techops.booked"
    assert isinstance(replies[-1], Document)


def test_price_questions_while_scheduling_get_the_fee_only() -> None:
    chat = paid()
    chat.says("quanto custa o projeto?")
    assert "R$ 1.800,00" in chat.bot_said()
    assert chat.place == "techops.paid"


# ---- where the meeting happens (#10.4) ------------------------------------------------------

PENDING = "A nossa equipe ainda vai criar o link"


def test_no_sentence_promises_a_link_that_does_not_exist_and_asking_for_it_gets_the_truth() -> None:
    chat, slot = booked()
    said = chat.bot_said()
    assert "o link chega no convite" not in said
    assert "*Onde:* Reunião online. " + PENDING in said
    assert "uma cópia segue para o seu e-mail" not in said  # the event did not say it went
    [answer] = chat.says("qual o link da reunião?")
    assert isinstance(answer, Text)
    assert answer.body.startswith("O link da sua reunião de *quinta, 26/11/2026, às 10h15")
    assert "ainda não foi criado pela nossa equipe" in answer.body
    assert chat.place == "techops.booked"
    [day_before] = chat.reminder(slot, 24)
    assert PENDING in words(day_before)


def test_a_fixed_room_from_the_settings_is_the_link_in_every_sentence() -> None:
    room = "https://meet.google.com/abc-defg-hij"
    chat = Scheduling(policy=Policy(scheduling=SchedulingRules(meeting_url=room)))
    chat.walk_to_pix()
    chat.payment_confirmed()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("quinta, 26/11, às 10h15")
    chat.slot_booked(ids[4])
    assert f"*Onde:* Reunião online, pelo link {room}" in chat.bot_said()
    assert PENDING not in chat.bot_said()
    [answer] = chat.says("me manda o link")
    when = "quinta, 26/11/2026, às 10h15 (horário de Brasília)"
    assert words(answer) == f"O link da sua reunião de *{when}* é: {room}"
    [hour_before] = chat.reminder(ids[4], 1)
    assert room in words(hour_before)
    assert isinstance(hour_before, Text)
    assert hour_before.fallback is not None
    assert room in hour_before.fallback.body_params[1]


def test_the_link_the_calendar_gave_the_booking_is_in_the_confirmation() -> None:
    chat = paid()
    ids = slot_ids(chat)
    chat.slots_found(*ids)
    chat.taps("quinta, 26/11, às 10h15")
    chat.receives(
        SlotBooked(
            **chat._internal(),
            booking_id="bk-1",
            slot_id=ids[4],
            ics_ref="ics-1",
            meeting_url="https://cloud.example.com/call/x7k2",
            emailed=True,
        )
    )
    said = chat.bot_said()
    assert "*Onde:* Reunião online, pelo link https://cloud.example.com/call/x7k2" in said
    assert "uma cópia segue para o seu e-mail" in said
    [answer] = chat.says("qual é o link?")
    assert "https://cloud.example.com/call/x7k2" in words(answer)


def test_a_link_set_by_an_operator_reaches_the_customer_with_the_updated_invitation() -> None:
    chat, slot = booked()
    chat.says("menu")  # wherever they are
    link = "https://meet.google.com/xyz-abcd-efg"
    text, invitation = chat.receives(
        MeetingLinkSet(
            **chat._internal(), booking_id="bk-1", slot_id=slot, meeting_url=link, ics_ref="ics-2"
        )
    )
    assert isinstance(text, Text)
    assert text.body.startswith("O link da sua reunião de *quinta, 26/11/2026, às 10h15")
    assert link in text.body
    assert isinstance(invitation, Document)
    assert (invitation.upload_ref, invitation.filename) == ("ics-2", "diagnostico-dresbach.ics")
    assert chat.place == "menu.main"


def test_the_link_set_while_at_the_booking_is_remembered_for_the_question() -> None:
    chat, slot = booked()
    link = "https://meet.google.com/xyz-abcd-efg"
    chat.receives(
        MeetingLinkSet(
            **chat._internal(), booking_id="bk-1", slot_id=slot, meeting_url=link, ics_ref="ics-2"
        )
    )
    assert chat.place == "techops.booked"
    [answer] = chat.says("qual o link da reunião?")
    assert words(answer).endswith(f"é: {link}")


def test_the_receipt_goes_by_email_too() -> None:
    chat = Scheduling()
    chat.walk_to_pix()
    chat.payment_confirmed()
    [mail] = chat.last_of(EmailReceipt)
    assert mail.txid == chat.txid
    [record] = chat.of(RecordLead)[-1:]
    assert mail.lead_id == record.lead_id


# ---- one duration (#10.6) ---------------------------------------------------------------------


def test_the_offer_and_the_slots_state_the_meeting_length_of_the_settings() -> None:
    policy = Policy(scheduling=SchedulingRules(meeting=timedelta(minutes=90)))
    chat = Scheduling(policy=policy)
    chat.walk_to_offer()
    offer = chat.bot_said()
    assert "uma reunião online de 1 hora e 30 minutos" in offer
    assert "2 horas" not in offer
    chat.taps("Pagar e agendar")
    chat.charge_created()
    chat.payment_confirmed()
    found = free_slots(policy.scheduling, now=chat.now, busy=[])
    [menu] = chat.slots_found(*(s.id for s in found))
    assert isinstance(menu, ListMenu)
    assert "para uma reunião online de 1 hora e 30 minutos" in menu.body


def test_every_offer_states_the_one_length_and_never_two_meetings() -> None:
    for area in (
        "Diagnóstico técnico",
        "Segurança da informação",
        "Arquitetura de sistemas",
        "LGPD e governança",
    ):
        chat = Scheduling()
        chat.walk_to_offer(area)
        offer = chat.bot_said()
        assert "uma reunião online de 1 hora " in offer, area
        assert "de até" not in offer, area
        assert "duas reuniões" not in offer, area
