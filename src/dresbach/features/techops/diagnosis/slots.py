"""Finding free slots and choosing one: the list, "outros horários", the booking request,
and the calendar's answers (slots found, none, unreachable, taken)."""

from __future__ import annotations

from datetime import datetime

from dresbach.features.scheduling.model import (
    BookSlot,
    FindSlots,
    Slot,
    SlotsFound,
    duration_pt,
)
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, Prompt, Turn
from dresbach.kernel.messages import (
    Button,
    Buttons,
    ListMenu,
    ListRow,
    ListSection,
    Message,
    Text,
)
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize

MORE = "slot:more"
MAIN_MENU = Button(id="go:menu", title=BUTTONS["main_menu"])
RETRY = Button(id="schedule:retry", title=BUTTONS["retry"])
PICK = Button(id="schedule:pick", title=BUTTONS["pick_slot"])
TEAM = Button(id="go:human", title=BUTTONS["talk_to_team"])
MAX_ROWS = 9
"""A list has at most 10 rows: nine slots and "outros horários"."""


def slot_of(policy: Policy, slot_id: str) -> Slot | None:
    try:
        return Slot.from_id(slot_id, policy.scheduling.meeting)
    except ValueError:
        return None


def change_hours(policy: Policy) -> int:
    return int(policy.scheduling.change_notice.total_seconds() // 3600)


def find(turn: Turn, *, after: str | None = None, say: tuple[Message, ...] = ()) -> Outcome:
    """Ask the calendar for free slots and wait for them in `finding_slots`."""
    command = FindSlots(
        command_id=f"{event_key(turn.event)}:slots",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or ""),
        after=after,
    )
    return Outcome(
        goto=TechOps.FINDING_SLOTS,
        say=say,
        slots={lead.OFFERED_SLOTS: None, lead.PENDING_SLOT: None},
        commands=(command,),
        merge=False,
    )


def consultant(turn: Turn, suffix: str) -> RequestHandOff:
    booking = turn.slots.get(lead.BOOKING)
    return RequestHandOff(
        command_id=f"{event_key(turn.event)}:{suffix}",
        reason="consultant",
        flow="techops",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or "") or None,
        booking_id=booking if isinstance(booking, str) else None,
    )


def text_prompt(key: str, *buttons: Button) -> Prompt:
    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        if buttons:
            return (Buttons(body=TEXTS[key], buttons=buttons),)
        return (Text(body=TEXTS[key]),)

    return prompt


def finding_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["paid"]),)


def _latest(found_at: object, last_activity: datetime | None) -> datetime | None:
    """The later of when the list was found and when the customer last wrote."""
    moments = [m for m in (last_activity, _moment(found_at)) if m is not None]
    return max(moments) if moments else None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _late_note(policy: Policy, slot: Slot, now: datetime | None) -> str | None:
    """A slot inside the change window says so on its row, before it is chosen."""
    rules = policy.scheduling
    if now is None or slot.start - now >= rules.change_notice:
        return None
    return TEXTS["late_slot"].format(
        hours=change_hours(policy), grace=int(rules.change_grace.total_seconds() // 60)
    )


def choosing_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    offered = conversation.slots.get(lead.OFFERED_SLOTS) or []
    now = _latest(conversation.slots.get(lead.OFFERED_AT), conversation.last_activity_at)
    rows = [
        ListRow(id=f"slot:{slot_id}", title=slot.label(), description=_late_note(policy, slot, now))
        for slot_id in offered[:MAX_ROWS]
        if (slot := slot_of(policy, slot_id)) is not None
    ]
    rows.append(ListRow(id=MORE, title=BUTTONS["more_slots"]))
    return (
        ListMenu(
            body=TEXTS["choose_slot"].format(duration=duration_pt(policy.scheduling.meeting)),
            button=BUTTONS["see_slots"],
            sections=(ListSection(title=None, rows=tuple(rows)),),
        ),
    )


def booking_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    slot = slot_of(policy, str(conversation.slots.get(lead.PENDING_SLOT) or ""))
    text = TEXTS["booking"].format(slot=slot.label()) if slot else TEXTS["still_booking"]
    return (Text(body=text),)


def found(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, SlotsFound)
    if not event.slot_ids:
        return Outcome(goto=TechOps.NO_SLOTS, commands=(consultant(turn, "no_slots"),))
    return Outcome(
        goto=TechOps.CHOOSING_SLOT,
        slots={lead.OFFERED_SLOTS: list(event.slot_ids), lead.OFFERED_AT: turn.now.isoformat()},
    )


def failed(turn: Turn) -> Outcome:
    return Outcome(goto=TechOps.SCHEDULE_FAILED, commands=(consultant(turn, "schedule_failed"),))


def taken(turn: Turn) -> Outcome:
    return find(turn, say=(Text(body=TEXTS["slot_taken"]),))


def picked(turn: Turn) -> Outcome:
    """A slot from the list (tapped, or its number typed), or "outros horários"."""
    offered: list[str] = list(turn.slots.get(lead.OFFERED_SLOTS) or [])
    choice = choice_of(turn)
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
                normalize(slot.label()): s for s in offered if (slot := slot_of(turn.policy, s))
            }
            chosen = labels.get(typed)
    if chosen is None or chosen not in offered or slot_of(turn.policy, chosen) is None:
        return Outcome(say=(Text(body=TEXTS["slot_reask"]),), missed="invalid")
    return _book(turn, chosen)


def _last_start(turn: Turn, offered: list[str]) -> str | None:
    slot = slot_of(turn.policy, offered[-1]) if offered else None
    return slot.start.isoformat() if slot else None


def _book(turn: Turn, slot_id: str) -> Outcome:
    slots = turn.slots
    name = str(slots.get(lead.NAME) or turn.conversation.profile_name or "")
    command = BookSlot(
        command_id=f"{event_key(turn.event)}:book",
        booking_id=f"bk-{event_key(turn.event)}"[:240],
        lead_id=str(slots.get(lead.LEAD_ID) or ""),
        slot_id=slot_id,
        name=name,
        email=str(slots.get(lead.EMAIL) or ""),
        replaces=slots.get(lead.REPLACES) if isinstance(slots.get(lead.REPLACES), str) else None,
    )
    return Outcome(
        goto=TechOps.BOOKING_SLOT, slots={lead.PENDING_SLOT: slot_id}, commands=(command,)
    )


def again(turn: Turn) -> Outcome:
    if choice_of(turn) in (RETRY.id, PICK.id) or (
        isinstance(turn.event, TextReceived)
        and normalize(turn.event.body) in ("tentar", "tentar de novo", "escolher horario", "sim")
    ):
        return find(turn)
    return Outcome()
