"""The booked meeting: the confirmation with the invitation, reschedule and cancel (up to
the configured notice), and the reminders 24 h and 1 h before."""

from __future__ import annotations

from dresbach.domain.commands import RequestHandOff
from dresbach.domain.conversation import Conversation
from dresbach.domain.events import TextReceived
from dresbach.domain.messages import (
    Button,
    Buttons,
    Document,
    Message,
    Template,
    Text,
)
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import (
    CancelBooking,
    MeetingReminder,
    SlotBooked,
    can_change,
    long_label,
    slot_label,
)
from dresbach.domain.text import normalize
from dresbach.flows.machine import Outcome, Turn
from dresbach.flows.techops import lead
from dresbach.flows.techops.slots import (
    MAIN_MENU,
    TEAM,
    change_hours,
    choice_of,
    find,
    slot_of,
)
from dresbach.flows.techops.texts import BUTTONS, TEXTS

RESCHEDULE = Button(id="booking:reschedule", title=BUTTONS["reschedule"])
CANCEL = Button(id="booking:cancel", title=BUTTONS["cancel_meeting"])
CANCEL_YES = Button(id="booking:cancel_yes", title=BUTTONS["cancel_yes"])
CANCEL_NO = Button(id="booking:cancel_no", title=BUTTONS["cancel_no"])
ICS_NAME = "diagnostico-dresbach.ics"
REMINDER_TEMPLATE = "lembrete_reuniao"


def _booked_when(conversation: Conversation, policy: Policy) -> str:
    slot = slot_of(policy, str(conversation.slots.get(lead.BOOKED_SLOT) or ""))
    return long_label(slot.start) if slot else "o horário combinado"


def booked_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    when = _booked_when(conversation, policy)
    body = TEXTS["booked_again"].format(when=when, hours=change_hours(policy))
    return (Buttons(body=body, buttons=(RESCHEDULE, CANCEL, MAIN_MENU)),)


def confirm_cancel_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    body = TEXTS["confirm_cancel"].format(when=_booked_when(conversation, policy))
    return (Buttons(body=body, buttons=(CANCEL_YES, CANCEL_NO)),)


def confirmation(turn: Turn, event: SlotBooked) -> tuple[Message, ...]:
    slot = slot_of(turn.policy, event.slot_id)
    when = long_label(slot.start) if slot else event.slot_id
    body = TEXTS["booked"].format(
        when=when, location=turn.policy.scheduling.location, hours=change_hours(turn.policy)
    )
    return (
        Buttons(body=body, buttons=(RESCHEDULE, CANCEL, MAIN_MENU)),
        Document(upload_ref=event.ics_ref, filename=ICS_NAME, caption=TEXTS["ics_caption"]),
    )


def booked(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, SlotBooked)
    if event.booking_id == turn.slots.get(lead.BOOKING):
        return Outcome(prompt=False)  # the same news twice
    command, remembered = lead.record(turn, "scheduled")
    slots = {
        **remembered,
        lead.BOOKING: event.booking_id,
        lead.BOOKED_SLOT: event.slot_id,
        lead.PENDING_SLOT: None,
        lead.REPLACES: None,
        lead.OFFERED_SLOTS: None,
    }
    handoff = RequestHandOff(
        command_id=f"{event.event_id}:consultant",
        reason="consultant",
        flow="techops",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or "") or None,
        booking_id=event.booking_id,
    )
    return Outcome(
        goto="techops.booked",
        say=confirmation(turn, event),
        slots=slots,
        commands=(command, handoff),
        prompt=False,
        merge=False,
        reset_trail=True,
    )


def cancelled(turn: Turn) -> Outcome:
    command, remembered = lead.record(turn, "paid")
    slots = {**remembered, lead.BOOKING: None, lead.BOOKED_SLOT: None}
    return Outcome(goto="cancelled", slots=slots, commands=(command,))


def reminder(turn: Turn) -> Outcome:
    """24 h and 1 h before: a text, or the approved template outside the 24 h window."""
    event = turn.event
    assert isinstance(event, MeetingReminder)
    slot = slot_of(turn.policy, event.slot_id)
    if slot is None:
        return Outcome(prompt=False)
    label = slot_label(slot.start)  # "qua, 26/11 às 14:00"
    when = label if event.hours_before >= 24 else label.split(" às ")[-1]
    key = "reminder_24" if event.hours_before >= 24 else "reminder_1"
    location = turn.policy.scheduling.location
    text = Text(
        body=TEXTS[key].format(when=when, location=location),
        fallback=Template(name=REMINDER_TEMPLATE, body_params=(when, location)),
    )
    return Outcome(say=(text,), prompt=False)


def booked_says(turn: Turn) -> Outcome:
    choice = choice_of(turn)
    typed = normalize(turn.event.body) if isinstance(turn.event, TextReceived) else ""
    wants = (
        "reschedule"
        if choice == RESCHEDULE.id or typed in ("remarcar", "reagendar")
        else (
            "cancel" if choice == CANCEL.id or typed in ("cancelar reuniao", "desmarcar") else None
        )
    )
    if wants is None:
        return Outcome()
    slot = slot_of(turn.policy, str(turn.slots.get(lead.BOOKED_SLOT) or ""))
    if slot is None or not can_change(turn.policy.scheduling, slot.start, turn.now):
        body = TEXTS["too_late"].format(hours=change_hours(turn.policy))
        return Outcome(say=(Buttons(body=body, buttons=(TEAM, MAIN_MENU)),), prompt=False)
    if wants == "cancel":
        return Outcome(goto="confirm_cancel")
    outcome = find(turn)
    return Outcome(
        goto=outcome.goto,
        slots={**outcome.slots, lead.REPLACES: turn.slots.get(lead.BOOKING)},
        commands=outcome.commands,
    )


def confirm_cancel_says(turn: Turn) -> Outcome:
    choice = choice_of(turn)
    typed = normalize(turn.event.body) if isinstance(turn.event, TextReceived) else ""
    if choice == CANCEL_YES.id or typed in ("sim", "s", "sim cancelar", "pode cancelar"):
        booking = str(turn.slots.get(lead.BOOKING) or "")
        command = CancelBooking(
            command_id=f"{lead.event_key(turn.event)}:cancel",
            booking_id=booking,
            reason="customer",
        )
        return Outcome(goto="cancelling", commands=(command,))
    if choice == CANCEL_NO.id or typed in ("nao", "n", "manter", "nao manter"):
        return Outcome(goto="booked", say=(Text(body=TEXTS["keep_booking"]),))
    return Outcome()
