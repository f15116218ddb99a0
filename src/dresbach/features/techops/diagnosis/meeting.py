"""The booked meeting: the confirmation with the invitation and the meeting's place, the link
(asked for, or set later by an operator), reschedule and cancel (up to the configured notice,
or during a short grace period right after a booking made inside that window), and the
reminders 24 h and 1 h before.

Where the meeting happens comes from one place: the booking's own link (from the calendar
server or an operator), else the fixed room of the settings; with neither, every text says the
link will come, and it does come (`meeting_link_set`) once an operator sets it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dresbach.features.scheduling.invitation import place_text
from dresbach.features.scheduling.model import (
    BookingCancelled,
    CancelBooking,
    MeetingLinkSet,
    MeetingReminder,
    SchedulingRules,
    SlotBooked,
    can_change,
    change_deadline,
    late,
    long_label,
    slot_label,
)
from dresbach.features.techops.diagnosis.slots import (
    MAIN_MENU,
    PICK,
    TEAM,
    change_hours,
    find,
    slot_of,
)
from dresbach.features.techops.diagnosis.texts import MEETING_REMINDER
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import (
    Button,
    Buttons,
    Document,
    Message,
    Text,
)
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize

RESCHEDULE = Button(id="booking:reschedule", title=BUTTONS["reschedule"])
CANCEL = Button(id="booking:cancel", title=BUTTONS["cancel_meeting"])
CANCEL_YES = Button(id="booking:cancel_yes", title=BUTTONS["cancel_yes"])
CANCEL_NO = Button(id="booking:cancel_no", title=BUTTONS["cancel_no"])
ICS_NAME = "diagnostico-dresbach.ics"
CANCEL_NAME = "diagnostico-dresbach-cancelado.ics"


def link_of(slots: Mapping[str, Any], policy: Policy) -> str:
    """The meeting's link: the booking's own, else the fixed room of the settings, else ""."""
    return str(slots.get(lead.MEETING_URL) or policy.scheduling.meeting_url or "")


def change_text(
    rules: SchedulingRules,
    start: datetime,
    booked_at: datetime | None,
    now: datetime,
    *,
    keys: tuple[str, str, str] = ("change_until", "change_grace", "change_closed"),
) -> str:
    """Until when the customer may still reschedule or cancel, as the rules say it: up to the
    notice before, or (booked inside the window) until the grace period ends, or no longer."""
    hours = int(rules.change_notice.total_seconds() // 3600)
    until, grace, closed = keys
    if not can_change(rules, start, now, booked_at):
        return TEXTS[closed].format(hours=hours)
    if booked_at is not None and late(rules, start, booked_at):
        deadline = change_deadline(rules, start, booked_at)
        return TEXTS[grace].format(hours=hours, at_time=at_clock(deadline.astimezone(SAO_PAULO)))
    return TEXTS[until].format(hours=hours)


def _booked_at(conversation: Conversation) -> datetime | None:
    value = conversation.slots.get(lead.BOOKED_AT)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _booked_when(conversation: Conversation, policy: Policy) -> str:
    slot = slot_of(policy, str(conversation.slots.get(lead.BOOKED_SLOT) or ""))
    return long_label(slot.start) if slot else "o horário combinado"


def _changeable(conversation: Conversation, policy: Policy, now: datetime | None) -> bool:
    slot = slot_of(policy, str(conversation.slots.get(lead.BOOKED_SLOT) or ""))
    if slot is None:
        return False
    moment = now or conversation.last_activity_at
    if moment is None:
        return True
    return can_change(policy.scheduling, slot.start, moment, _booked_at(conversation))


def _buttons(changeable: bool) -> tuple[Button, ...]:
    return (RESCHEDULE, CANCEL, MAIN_MENU) if changeable else (TEAM, MAIN_MENU)


def booked_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    """The booked meeting again (drawn after the customer wrote, so their last message's time
    is the time to judge the change window by)."""
    slot = slot_of(policy, str(conversation.slots.get(lead.BOOKED_SLOT) or ""))
    now = conversation.last_activity_at
    if slot is None or now is None:
        change = TEXTS["change_until"].format(hours=change_hours(policy))
    else:
        change = change_text(policy.scheduling, slot.start, _booked_at(conversation), now)
    body = TEXTS["booked_again"].format(
        when=_booked_when(conversation, policy),
        place=place_text(link_of(conversation.slots, policy), policy),
        change=change,
    )
    return (Buttons(body=body, buttons=_buttons(_changeable(conversation, policy, None))),)


def confirm_cancel_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    body = TEXTS["confirm_cancel"].format(when=_booked_when(conversation, policy))
    return (Buttons(body=body, buttons=(CANCEL_YES, CANCEL_NO)),)


def confirmation(turn: Turn, event: SlotBooked) -> tuple[Message, ...]:
    slot = slot_of(turn.policy, event.slot_id)
    when = long_label(slot.start) if slot else event.slot_id
    rules = turn.policy.scheduling
    link = event.meeting_url or rules.meeting_url
    made = event.booked_at or turn.now
    changeable = slot is not None and can_change(rules, slot.start, turn.now, made)
    change = (
        change_text(rules, slot.start, made, turn.now)
        if slot is not None
        else TEXTS["change_until"].format(hours=change_hours(turn.policy))
    )
    body = TEXTS["booked"].format(
        when=when,
        place=place_text(link, turn.policy),
        invite=TEXTS["invite_attached_mailed" if event.emailed else "invite_attached"],
        change=change,
    )
    return (
        Buttons(body=body, buttons=_buttons(changeable)),
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
        lead.BOOKED_AT: (event.booked_at or turn.now).isoformat(),
        lead.MEETING_URL: event.meeting_url or None,
        lead.PENDING_SLOT: None,
        lead.REPLACES: None,
        lead.OFFERED_SLOTS: None,
        lead.OFFERED_AT: None,
    }
    handoff = RequestHandOff(
        command_id=f"{event.event_id}:consultant",
        reason="consultant",
        flow="techops",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or "") or None,
        booking_id=event.booking_id,
    )
    return Outcome(
        goto=TechOps.BOOKED.qualified,
        say=confirmation(turn, event),
        slots=slots,
        commands=(command, handoff),
        prompt=False,
        merge=False,
        reset_trail=True,
    )


def link_set(turn: Turn) -> Outcome:
    """An operator set the meeting's link: it reaches the customer with the updated
    invitation, wherever they are (not while a person has the chat: that person tells them,
    and the e-mail goes all the same)."""
    event = turn.event
    assert isinstance(event, MeetingLinkSet)
    slot = slot_of(turn.policy, event.slot_id)
    when = long_label(slot.start) if slot else "o horário combinado"
    say = (
        Text(body=TEXTS["meeting_link"].format(when=when, link=event.meeting_url)),
        Document(upload_ref=event.ics_ref, filename=ICS_NAME, caption=TEXTS["ics_update_caption"]),
    )
    mine = turn.slots.get(lead.BOOKING) == event.booking_id
    return Outcome(
        say=say, slots={lead.MEETING_URL: event.meeting_url} if mine else {}, prompt=False
    )


def cancelled(turn: Turn) -> Outcome:
    """Cancelled: said, and the cancellation for the customer's calendar (`METHOD:CANCEL`)."""
    event = turn.event
    assert isinstance(event, BookingCancelled)
    command, remembered = lead.record(turn, "paid")
    slots = {
        **remembered,
        lead.BOOKING: None,
        lead.BOOKED_SLOT: None,
        lead.BOOKED_AT: None,
        lead.MEETING_URL: None,
    }
    say: tuple[Message, ...] = (Buttons(body=TEXTS["cancelled"], buttons=(PICK, MAIN_MENU)),)
    if event.ics_ref:
        say += (
            Document(
                upload_ref=event.ics_ref, filename=CANCEL_NAME, caption=TEXTS["cancel_caption"]
            ),
        )
    return Outcome(goto=TechOps.CANCELLED, say=say, slots=slots, commands=(command,), prompt=False)


def reminder(turn: Turn) -> Outcome:
    """24 h and 1 h before: a text, or the approved template outside the 24 h window."""
    event = turn.event
    assert isinstance(event, MeetingReminder)
    slot = slot_of(turn.policy, event.slot_id)
    if slot is None:
        return Outcome(prompt=False)
    day_before = event.hours_before >= 24
    when = slot_label(slot.start) if day_before else at_clock(slot.start.astimezone(SAO_PAULO))
    key = "reminder_24" if day_before else "reminder_1"
    own = event.meeting_url or (
        turn.slots.get(lead.MEETING_URL)
        if turn.slots.get(lead.BOOKING) == event.booking_id
        else None
    )
    place = place_text(str(own or turn.policy.scheduling.meeting_url or ""), turn.policy)
    text = Text(
        body=TEXTS[key].format(when=when, place=place),
        fallback=MEETING_REMINDER.message(when, place),
    )
    return Outcome(say=(text,), prompt=False)


LINK_WORDS = ("link", "endereco da reuniao", "como entro", "como acesso", "onde vai ser")


def asks_link(typed: str) -> bool:
    """ "qual o link da reunião?", "me manda o link", "como entro na reunião?" """
    return any(words in typed for words in LINK_WORDS)


def link_answer(turn: Turn) -> Outcome:
    when = _booked_when(turn.conversation, turn.policy)
    link = link_of(turn.slots, turn.policy)
    body = (
        TEXTS["link_answer"].format(when=when, link=link)
        if link
        else TEXTS["link_pending"].format(when=when)
    )
    return Outcome(say=(Text(body=body),), prompt=False)


def booked_says(turn: Turn) -> Outcome:
    choice = choice_of(turn)
    typed = normalize(turn.event.body) if isinstance(turn.event, TextReceived) else ""
    if typed and asks_link(typed):
        return link_answer(turn)
    wants = (
        "reschedule"
        if choice == RESCHEDULE.id or typed in ("remarcar", "reagendar")
        else (
            "cancel" if choice == CANCEL.id or typed in ("cancelar reuniao", "desmarcar") else None
        )
    )
    if wants is None:
        return Outcome()
    if not _changeable(turn.conversation, turn.policy, turn.now):
        body = TEXTS["too_late"].format(hours=change_hours(turn.policy))
        return Outcome(say=(Buttons(body=body, buttons=(TEAM, MAIN_MENU)),), prompt=False)
    if wants == "cancel":
        return Outcome(goto=TechOps.CONFIRM_CANCEL)
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
            command_id=f"{event_key(turn.event)}:cancel",
            booking_id=booking,
            reason="customer",
        )
        return Outcome(goto=TechOps.CANCELLING, commands=(command,))
    if choice == CANCEL_NO.id or typed in ("nao", "n", "manter", "nao manter"):
        return Outcome(goto=TechOps.BOOKED, say=(Text(body=TEXTS["keep_booking"]),))
    return Outcome()
