"""Scheduling the paid diagnosis: free slots as a list, the booking, reschedule and cancel,
reminders. The calendar is outside, so every step is a command whose news comes back:

    paid (FindSlots) ─slots_found→ choosing_slot ─slot→ booking_slot ─slot_booked→ booked
    choosing_slot ─"outros horários"→ finding_slots (the same as paid, for the next slots)
    booking_slot ─slot_taken→ finding_slots (fresh slots)
    booked ─remarcar→ finding_slots (the old booking is replaced once the new one is saved)
    booked ─cancelar→ confirm_cancel → cancelling ─booking_cancelled→ cancelled → finding_slots
    no slots → no_slots;  calendar unreachable → schedule_failed (a consultant is told)

After booking the lead is `scheduled` and a consultant's hand-off is opened with its context.
"""

from __future__ import annotations

from collections.abc import Callable

from dresbach.domain.commands import RequestHandOff
from dresbach.domain.conversation import Conversation
from dresbach.domain.events import ButtonChosen, ListRowChosen, TextReceived
from dresbach.domain.messages import (
    Button,
    Buttons,
    Document,
    ListMenu,
    ListRow,
    ListSection,
    Message,
    Template,
    Text,
)
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import (
    BookSlot,
    CancelBooking,
    FindSlots,
    MeetingReminder,
    Slot,
    SlotBooked,
    SlotsFound,
    can_change,
    long_label,
    slot_label,
)
from dresbach.domain.text import normalize
from dresbach.flows.machine import Outcome, Prompt, Rule, State, Turn
from dresbach.flows.techops import lead
from dresbach.flows.techops.prices import priced
from dresbach.flows.techops.texts import BUTTONS, TEXTS

MORE = "slot:more"
RESCHEDULE = Button(id="booking:reschedule", title=BUTTONS["reschedule"])
CANCEL = Button(id="booking:cancel", title=BUTTONS["cancel_meeting"])
MAIN_MENU = Button(id="go:menu", title=BUTTONS["main_menu"])
RETRY = Button(id="schedule:retry", title=BUTTONS["retry"])
PICK = Button(id="schedule:pick", title=BUTTONS["pick_slot"])
CANCEL_YES = Button(id="booking:cancel_yes", title=BUTTONS["cancel_yes"])
CANCEL_NO = Button(id="booking:cancel_no", title=BUTTONS["cancel_no"])
TEAM = Button(id="go:human", title=BUTTONS["talk_to_team"])

ICS_NAME = "diagnostico-dresbach.ics"
REMINDER_TEMPLATE = "lembrete_reuniao"
MAX_ROWS = 9
"""A list has at most 10 rows: nine slots and "outros horários"."""


def _slot(policy: Policy, slot_id: str) -> Slot | None:
    try:
        return Slot.from_id(slot_id, policy.scheduling.meeting)
    except ValueError:
        return None


def _hours(policy: Policy) -> int:
    return int(policy.scheduling.change_notice.total_seconds() // 3600)


def _choice(turn: Turn) -> str | None:
    event = turn.event
    return event.choice_id if isinstance(event, ButtonChosen | ListRowChosen) else None


# -- commands -----------------------------------------------------------------------------------


def find(turn: Turn, *, after: str | None = None, say: tuple[Message, ...] = ()) -> Outcome:
    """Ask the calendar for free slots and wait for them in `finding_slots`."""
    command = FindSlots(
        command_id=f"{lead.event_key(turn.event)}:slots",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or ""),
        after=after,
    )
    return Outcome(
        goto="finding_slots",
        say=say,
        slots={lead.OFFERED_SLOTS: None, lead.PENDING_SLOT: None},
        commands=(command,),
        merge=False,
    )


def _consultant(turn: Turn, suffix: str) -> RequestHandOff:
    booking = turn.slots.get(lead.BOOKING)
    return RequestHandOff(
        command_id=f"{lead.event_key(turn.event)}:{suffix}",
        reason="consultant",
        flow="techops",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or "") or None,
        booking_id=booking if isinstance(booking, str) else None,
    )


# -- prompts ------------------------------------------------------------------------------------


def finding_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["paid"]),)


def choosing_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    offered = conversation.slots.get(lead.OFFERED_SLOTS) or []
    rows = [
        ListRow(id=f"slot:{slot_id}", title=slot.label())
        for slot_id in offered[:MAX_ROWS]
        if (slot := _slot(policy, slot_id)) is not None
    ]
    rows.append(ListRow(id=MORE, title=BUTTONS["more_slots"]))
    minutes = int(policy.scheduling.meeting.total_seconds() // 60)
    return (
        ListMenu(
            body=TEXTS["choose_slot"].format(minutes=minutes),
            button=BUTTONS["see_slots"],
            sections=(ListSection(title=None, rows=tuple(rows)),),
        ),
    )


def booking_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    slot = _slot(policy, str(conversation.slots.get(lead.PENDING_SLOT) or ""))
    text = TEXTS["booking"].format(slot=slot.label()) if slot else TEXTS["still_booking"]
    return (Text(body=text),)


def _booked_when(conversation: Conversation, policy: Policy) -> str:
    slot = _slot(policy, str(conversation.slots.get(lead.BOOKED_SLOT) or ""))
    return long_label(slot.start) if slot else "o horário combinado"


def booked_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    when = _booked_when(conversation, policy)
    body = TEXTS["booked_again"].format(when=when, hours=_hours(policy))
    return (Buttons(body=body, buttons=(RESCHEDULE, CANCEL, MAIN_MENU)),)


def confirm_cancel_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    body = TEXTS["confirm_cancel"].format(when=_booked_when(conversation, policy))
    return (Buttons(body=body, buttons=(CANCEL_YES, CANCEL_NO)),)


def _text_prompt(key: str, *buttons: Button) -> Prompt:
    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        if buttons:
            return (Buttons(body=TEXTS[key], buttons=buttons),)
        return (Text(body=TEXTS[key]),)

    return prompt


# -- news from the calendar ---------------------------------------------------------------------


def _found(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, SlotsFound)
    if not event.slot_ids:
        return Outcome(goto="no_slots", commands=(_consultant(turn, "no_slots"),))
    return Outcome(goto="choosing_slot", slots={lead.OFFERED_SLOTS: list(event.slot_ids)})


def _failed(turn: Turn) -> Outcome:
    return Outcome(goto="schedule_failed", commands=(_consultant(turn, "schedule_failed"),))


def confirmation(turn: Turn, event: SlotBooked) -> tuple[Message, ...]:
    slot = _slot(turn.policy, event.slot_id)
    when = long_label(slot.start) if slot else event.slot_id
    body = TEXTS["booked"].format(
        when=when, location=turn.policy.scheduling.location, hours=_hours(turn.policy)
    )
    return (
        Buttons(body=body, buttons=(RESCHEDULE, CANCEL, MAIN_MENU)),
        Document(upload_ref=event.ics_ref, filename=ICS_NAME, caption=TEXTS["ics_caption"]),
    )


def _booked(turn: Turn) -> Outcome:
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


def _taken(turn: Turn) -> Outcome:
    return find(turn, say=(Text(body=TEXTS["slot_taken"]),))


def _cancelled(turn: Turn) -> Outcome:
    command, remembered = lead.record(turn, "paid")
    slots = {**remembered, lead.BOOKING: None, lead.BOOKED_SLOT: None}
    return Outcome(goto="cancelled", slots=slots, commands=(command,))


def reminder(turn: Turn) -> Outcome:
    """24 h and 1 h before: a text, or the approved template outside the 24 h window."""
    event = turn.event
    assert isinstance(event, MeetingReminder)
    slot = _slot(turn.policy, event.slot_id)
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


# -- what the customer says ---------------------------------------------------------------------


def _picked(turn: Turn) -> Outcome:
    """A slot from the list (tapped, or its number typed), or "outros horários"."""
    offered: list[str] = list(turn.slots.get(lead.OFFERED_SLOTS) or [])
    choice = _choice(turn)
    chosen: str | None = None
    if choice == MORE:
        return find(turn, after=_last_start(turn, offered))
    if choice and choice.startswith("slot:"):
        chosen = choice.removeprefix("slot:")
    elif isinstance(turn.event, TextReceived):
        typed = normalize(turn.event.body)
        if typed in ("outros", "outros horarios", "mais", "mais horarios", "outro"):
            return find(turn, after=_last_start(turn, offered))
        if typed.isdigit() and 1 <= int(typed) <= min(len(offered), MAX_ROWS):
            chosen = offered[int(typed) - 1]
        else:
            labels = {
                normalize(slot.label()): s for s in offered if (slot := _slot(turn.policy, s))
            }
            chosen = labels.get(typed)
    if chosen is None or chosen not in offered or _slot(turn.policy, chosen) is None:
        return Outcome(say=(Text(body=TEXTS["slot_reask"]),))
    return _book(turn, chosen)


def _last_start(turn: Turn, offered: list[str]) -> str | None:
    slot = _slot(turn.policy, offered[-1]) if offered else None
    return slot.start.isoformat() if slot else None


def _book(turn: Turn, slot_id: str) -> Outcome:
    slots = turn.slots
    name = str(slots.get(lead.NAME) or turn.conversation.profile_name or "")
    command = BookSlot(
        command_id=f"{lead.event_key(turn.event)}:book",
        booking_id=f"bk-{lead.event_key(turn.event)}"[:240],
        lead_id=str(slots.get(lead.LEAD_ID) or ""),
        slot_id=slot_id,
        name=name,
        email=str(slots.get(lead.EMAIL) or ""),
        replaces=slots.get(lead.REPLACES) if isinstance(slots.get(lead.REPLACES), str) else None,
    )
    return Outcome(goto="booking_slot", slots={lead.PENDING_SLOT: slot_id}, commands=(command,))


def _booked_says(turn: Turn) -> Outcome:
    choice = _choice(turn)
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
    slot = _slot(turn.policy, str(turn.slots.get(lead.BOOKED_SLOT) or ""))
    if slot is None or not can_change(turn.policy.scheduling, slot.start, turn.now):
        body = TEXTS["too_late"].format(hours=_hours(turn.policy))
        return Outcome(say=(Buttons(body=body, buttons=(TEAM, MAIN_MENU)),), prompt=False)
    if wants == "cancel":
        return Outcome(goto="confirm_cancel")
    outcome = find(turn)
    return Outcome(
        goto=outcome.goto,
        slots={**outcome.slots, lead.REPLACES: turn.slots.get(lead.BOOKING)},
        commands=outcome.commands,
    )


def _confirm_cancel_says(turn: Turn) -> Outcome:
    choice = _choice(turn)
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


def _again(turn: Turn) -> Outcome:
    if _choice(turn) in (RETRY.id, PICK.id) or (
        isinstance(turn.event, TextReceived)
        and normalize(turn.event.body) in ("tentar", "tentar de novo", "escolher horario", "sim")
    ):
        return find(turn)
    return Outcome()


def _wait(key: str) -> Rule:
    return Rule(handler=lambda _turn: Outcome(say=(Text(body=TEXTS[key]),), prompt=False))


def _typed(handler: Callable[[Turn], Outcome], goes_to: tuple[str, ...] = ()) -> Rule:
    """A text rule that answers price questions first (the fee only: the offer was seen)."""
    return Rule(handler=priced(lambda _typed, turn: handler(turn)), goes_to=goes_to)


def _finding(name: str) -> State:
    return State(
        name=name,
        prompt=finding_prompt,
        rules={
            "slots_found": Rule(handler=_found, goes_to=("choosing_slot", "no_slots")),
            "scheduling_failed": Rule(handler=_failed, goes_to=("schedule_failed",)),
            "text": _typed(_wait("still_finding").handler),
            "choice": _wait("still_finding"),
        },
        resting=True,
    )


_FINDING = ("choosing_slot", "no_slots", "schedule_failed")
_REMINDER = Rule(handler=reminder)

STATES: tuple[State, ...] = (
    _finding("paid"),  # reached only through a confirmed payment
    _finding("finding_slots"),
    State(
        name="choosing_slot",
        prompt=choosing_prompt,
        rules={
            "choice": Rule(handler=_picked, goes_to=("booking_slot", "finding_slots")),
            "text": _typed(_picked, ("booking_slot", "finding_slots")),
        },
        resting=True,
    ),
    State(
        name="booking_slot",
        prompt=booking_prompt,
        rules={
            "slot_booked": Rule(handler=_booked, goes_to=("techops.booked",)),
            "slot_taken": Rule(handler=_taken, goes_to=("finding_slots",)),
            "scheduling_failed": Rule(handler=_failed, goes_to=("schedule_failed",)),
            "text": _typed(_wait("still_booking").handler),
            "choice": _wait("still_booking"),
        },
        resting=True,
    ),
    State(
        name="booked",
        prompt=booked_prompt,
        rules={
            "choice": Rule(handler=_booked_says, goes_to=("confirm_cancel", "finding_slots")),
            "text": _typed(_booked_says, ("confirm_cancel", "finding_slots")),
            "meeting_reminder": _REMINDER,
        },
        resting=True,
    ),
    State(
        name="confirm_cancel",
        prompt=confirm_cancel_prompt,
        rules={
            "choice": Rule(handler=_confirm_cancel_says, goes_to=("cancelling", "booked")),
            "text": _typed(_confirm_cancel_says, ("cancelling", "booked")),
            "meeting_reminder": _REMINDER,
        },
    ),
    State(
        name="cancelling",
        prompt=_text_prompt("cancelling"),
        rules={
            "booking_cancelled": Rule(handler=_cancelled, goes_to=("cancelled",)),
            "text": _typed(_wait("cancelling").handler),
            "choice": _wait("cancelling"),
        },
        resting=True,
    ),
    State(
        name="cancelled",
        prompt=_text_prompt("cancelled", PICK, MAIN_MENU),
        rules={
            "choice": Rule(handler=_again, goes_to=("finding_slots",)),
            "text": _typed(_again, ("finding_slots",)),
        },
        resting=True,
    ),
    State(
        name="no_slots",
        prompt=_text_prompt("no_slots", RETRY, MAIN_MENU),
        rules={
            "choice": Rule(handler=_again, goes_to=("finding_slots",)),
            "text": _typed(_again, ("finding_slots",)),
        },
        resting=True,
    ),
    State(
        name="schedule_failed",
        prompt=_text_prompt("schedule_failed", RETRY, MAIN_MENU),
        rules={
            "choice": Rule(handler=_again, goes_to=("finding_slots",)),
            "text": _typed(_again, ("finding_slots",)),
        },
        resting=True,
    ),
)

INTERRUPTS: dict[str, Rule] = {
    "meeting_reminder": Rule(handler=reminder, label="meeting_reminder"),
    "slot_booked": Rule(handler=_booked, goes_to=("techops.booked",), label="slot_booked"),
}
"""News that reaches the customer wherever they are (not while a person has the chat)."""
