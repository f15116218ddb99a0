"""Scheduling the paid diagnosis: free slots as a list, the booking, reschedule and cancel,
reminders. The calendar is outside, so every step is a command whose news comes back:

    paid (FindSlots) ─slots_found→ choosing_slot ─slot→ booking_slot ─slot_booked→ booked
    choosing_slot ─"outros horários"→ finding_slots (the same as paid, for the next slots)
    booking_slot ─slot_taken→ finding_slots (fresh slots)
    booked ─remarcar→ finding_slots (the old booking is replaced once the new one is saved)
    booked ─cancelar→ confirm_cancel → cancelling ─booking_cancelled→ cancelled → finding_slots
    booked ─"qual o link?"→ booked (the link, or that it will come);  meeting_link_set: told
    no slots → no_slots;  calendar unreachable → schedule_failed (a consultant is told)

After booking the lead is `scheduled` and a consultant's hand-off is opened with its context.
"""

from __future__ import annotations

from collections.abc import Callable

from dresbach.features.techops.diagnosis.meeting import (
    booked,
    booked_prompt,
    booked_says,
    cancelled,
    confirm_cancel_prompt,
    confirm_cancel_says,
    link_set,
    reminder,
)
from dresbach.features.techops.diagnosis.slots import (
    MAIN_MENU,
    PICK,
    RETRY,
    again,
    booking_prompt,
    choosing_prompt,
    failed,
    finding_prompt,
    found,
    picked,
    taken,
    text_prompt,
)
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Text


def _wait(key: str) -> Rule:
    return Rule(handler=lambda _turn: Outcome(say=(Text(body=TEXTS[key]),), prompt=False))


def _typed(handler: Callable[[Turn], Outcome], goes_to: tuple[TechOps, ...] = ()) -> Rule:
    """A text rule that answers price questions first (the fee only: the offer was seen)."""
    return Rule(handler=priced(lambda _typed, turn: handler(turn)), goes_to=goes_to)


def _finding(name: TechOps) -> State:
    return State(
        name=name,
        prompt=finding_prompt,
        rules={
            "slots_found": Rule(handler=found, goes_to=(TechOps.CHOOSING_SLOT, TechOps.NO_SLOTS)),
            "scheduling_failed": Rule(handler=failed, goes_to=(TechOps.SCHEDULE_FAILED,)),
            "text": _typed(_wait("still_finding").handler),
            "choice": _wait("still_finding"),
        },
        resting=True,
    )


def _offer_again(name: TechOps, button: Button) -> State:
    """A resting state that says what happened and offers the slots again (or the menu)."""
    again_rule = Rule(handler=again, goes_to=(TechOps.FINDING_SLOTS,))
    return State(
        name=name,
        prompt=text_prompt(name, button, MAIN_MENU),
        rules={"choice": again_rule, "text": _typed(again, (TechOps.FINDING_SLOTS,))},
        resting=True,
    )


_REMINDER = Rule(handler=reminder)
_LINK = Rule(handler=link_set)

STATES: tuple[State, ...] = (
    _finding(TechOps.PAID),  # reached only through a confirmed payment
    _finding(TechOps.FINDING_SLOTS),
    State(
        name=TechOps.CHOOSING_SLOT,
        prompt=choosing_prompt,
        rules={
            "choice": Rule(handler=picked, goes_to=(TechOps.BOOKING_SLOT, TechOps.FINDING_SLOTS)),
            "text": _typed(picked, (TechOps.BOOKING_SLOT, TechOps.FINDING_SLOTS)),
        },
        resting=True,
    ),
    State(
        name=TechOps.BOOKING_SLOT,
        prompt=booking_prompt,
        rules={
            "slot_booked": Rule(handler=booked, goes_to=(TechOps.BOOKED.qualified,)),
            "slot_taken": Rule(handler=taken, goes_to=(TechOps.FINDING_SLOTS,)),
            "scheduling_failed": Rule(handler=failed, goes_to=(TechOps.SCHEDULE_FAILED,)),
            "text": _typed(_wait("still_booking").handler),
            "choice": _wait("still_booking"),
        },
        resting=True,
    ),
    State(
        name=TechOps.BOOKED,
        prompt=booked_prompt,
        rules={
            "choice": Rule(
                handler=booked_says, goes_to=(TechOps.CONFIRM_CANCEL, TechOps.FINDING_SLOTS)
            ),
            "text": _typed(booked_says, (TechOps.CONFIRM_CANCEL, TechOps.FINDING_SLOTS)),
            "meeting_reminder": _REMINDER,
            "meeting_link_set": _LINK,
        },
        resting=True,
    ),
    State(
        name=TechOps.CONFIRM_CANCEL,
        prompt=confirm_cancel_prompt,
        rules={
            "choice": Rule(
                handler=confirm_cancel_says, goes_to=(TechOps.CANCELLING, TechOps.BOOKED)
            ),
            "text": _typed(confirm_cancel_says, (TechOps.CANCELLING, TechOps.BOOKED)),
            "meeting_reminder": _REMINDER,
            "meeting_link_set": _LINK,
        },
    ),
    State(
        name=TechOps.CANCELLING,
        prompt=text_prompt("cancelling"),
        rules={
            "booking_cancelled": Rule(handler=cancelled, goes_to=(TechOps.CANCELLED,)),
            "text": _typed(_wait("cancelling").handler),
            "choice": _wait("cancelling"),
        },
        resting=True,
    ),
    _offer_again(TechOps.CANCELLED, PICK),
    _offer_again(TechOps.NO_SLOTS, RETRY),
    _offer_again(TechOps.SCHEDULE_FAILED, RETRY),
)

INTERRUPTS: dict[str, Rule] = {
    "meeting_reminder": Rule(handler=reminder, label="meeting_reminder"),
    "meeting_link_set": Rule(handler=link_set, label="meeting_link_set"),
    "slot_booked": Rule(handler=booked, goes_to=(TechOps.BOOKED.qualified,), label="slot_booked"),
}
"""News that reaches the customer wherever they are (not while a person has the chat)."""
