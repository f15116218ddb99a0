"""What the customer already paid for, wherever the conversation went meanwhile.

The records are the truth (`Conversation.owned`, read by the unit of work at every step), the
slots only where the conversation stands. Entering Tech Ops, asking for "minha reunião",
"remarcar" or "já paguei" from the menu, or `cancelar` with a meeting booked, the paid diagnosis
is brought back into the slots (`lead.restored`) and shown: its meeting, with reschedule and
cancel, or the slots still to choose. The qualification and the offer never come again for it,
and no second Pix is created (`offer.charge`).

    start | mine ─(enter: a paid diagnosis)→ booked | unscheduled
    mine (none found) → start (a new diagnosis) | the team | the menu
    cancel_meeting ─(enter)→ confirm_cancel | booked (too late to cancel)
"""

from __future__ import annotations

from dresbach.features.scheduling.model import can_change
from dresbach.features.techops.diagnosis.slots import (
    MAIN_MENU,
    PICK,
    TEAM,
    change_hours,
    find,
    slot_of,
)
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import is_no, is_yes, says
from dresbach.features.techops.flow.labels import DIAGNOSES
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.questions import unclear
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.model import PaidDiagnosis, paid_diagnoses
from dresbach.features.techops.states import Elsewhere, TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy

NEW = Button(id="owned:new", title=BUTTONS["new_diagnosis"])


def _typed(turn: Turn) -> str:
    return turn.event.body if isinstance(turn.event, TextReceived) else ""


def first_owned(conversation: Conversation) -> PaidDiagnosis | None:
    """The paid diagnosis to show: the one with the soonest meeting, else the latest paid."""
    owned = paid_diagnoses(conversation)
    return owned[0] if owned else None


def booked_owned(conversation: Conversation) -> PaidDiagnosis | None:
    return next((d for d in paid_diagnoses(conversation) if d.booked), None)


def resume(turn: Turn) -> Outcome:
    """Entering Tech Ops (or asking for it) with a paid diagnosis: show it, never the questions
    and the offer again. Without one, nothing happens (the state's own prompt follows)."""
    diagnosis = first_owned(turn.conversation)
    if diagnosis is None:
        return Outcome()
    target = TechOps.BOOKED if diagnosis.booked else TechOps.UNSCHEDULED
    return Outcome(goto=target, slots=lead.restored(diagnosis))


RESUME = Rule(handler=resume, goes_to=(TechOps.BOOKED, TechOps.UNSCHEDULED), label="pago")

CLAIMS = (
    "paguei",
    "pago",
    "paga",
    "pagamento",
    "pix",
    "remarcar",
    "reagendar",
    "desmarcar",
    "cancelar",
    "minha reuniao",
    "meu horario",
    "meu diagnostico",
)
"""Words of someone who believes they paid or booked: nothing found is then said plainly."""


def look_up(turn: Turn) -> Outcome:
    """`mine`'s entry: the paid diagnosis when there is one. Without one, a customer who speaks
    of a payment or a booking is told nothing was found; one who only wants a meeting ("quero
    marcar uma reunião") starts the diagnosis, which is how a meeting is had."""
    found = resume(turn)
    if found.goto is not None:
        return found
    typed = _typed(turn)
    if typed and not says(typed, *CLAIMS):
        return Outcome(goto=TechOps.START)
    return found


# -- mine: "minha reunião", "remarcar", "já paguei" from the menu --------------------------------


def mine_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["mine_none"], buttons=(NEW, TEAM, MAIN_MENU)),)


def _mine_says(turn: Turn) -> Outcome:
    if choice_of(turn, "owned:") == "new" or says(_typed(turn), "contratar", "novo diagnostico"):
        return Outcome(goto=TechOps.START)
    return unclear(TEXTS["mine_reask"])


# -- unscheduled: paid, no meeting booked ---------------------------------------------------------


def unscheduled_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    area = conversation.slots.get(lead.AREA)
    diagnosis = DIAGNOSES.get(str(area), TEXTS["unscheduled_any"])
    body = TEXTS["unscheduled"].format(diagnosis=diagnosis)
    return (Buttons(body=body, buttons=(PICK, TEAM, MAIN_MENU)),)


def _unscheduled_says(turn: Turn) -> Outcome:
    typed = _typed(turn)
    if choice_of(turn, "schedule:") == "pick" or is_yes(typed) or says(typed, *_PICK_WORDS):
        return find(turn)
    if is_no(typed):
        return Outcome(
            goto=Elsewhere.MENU_MAIN,
            say=(Text(body=TEXTS["cancel_later"]),),
            slots=lead.cleared(),
            reset_trail=True,
        )
    return Outcome()


_PICK_WORDS = ("escolher", "marcar", "agendar", "horario", "horarios")
_FROM_UNSCHEDULED = (TechOps.FINDING_SLOTS, Elsewhere.MENU_MAIN)


# -- cancel_meeting: `cancelar` with a meeting booked, from the menu or the funnel ----------------


def cancel_meeting(turn: Turn) -> Outcome:
    """Ask before cancelling the booked meeting (the real cancellation follows a yes); too close
    to it, say so and offer the team. Without a booked meeting, show what there is."""
    diagnosis = booked_owned(turn.conversation)
    if diagnosis is None:
        return resume(turn) if turn.conversation.owned else Outcome(goto=TechOps.MINE)
    slots = lead.restored(diagnosis)
    slot = slot_of(turn.policy, diagnosis.slot_id or "")
    if slot is not None and can_change(turn.policy.scheduling, slot.start, turn.now):
        return Outcome(goto=TechOps.CONFIRM_CANCEL, slots=slots)
    body = TEXTS["too_late"].format(hours=change_hours(turn.policy))
    return Outcome(
        goto=TechOps.BOOKED,
        slots=slots,
        say=(Buttons(body=body, buttons=(TEAM, MAIN_MENU)),),
        prompt=False,
    )


STATES: tuple[State, ...] = (
    State(
        name=TechOps.MINE,
        prompt=mine_prompt,
        on_enter=Rule(
            handler=look_up,
            goes_to=(TechOps.BOOKED, TechOps.UNSCHEDULED, TechOps.START),
            label="minha reunião",
        ),
        rules={
            "choice": Rule(handler=_mine_says, goes_to=(TechOps.START,)),
            "text": Rule(handler=_mine_says, goes_to=(TechOps.START,)),
        },
    ),
    State(
        name=TechOps.UNSCHEDULED,
        prompt=unscheduled_prompt,
        rules={
            "choice": Rule(handler=_unscheduled_says, goes_to=_FROM_UNSCHEDULED),
            "text": Rule(
                handler=priced(lambda _typed, turn: _unscheduled_says(turn)),
                goes_to=_FROM_UNSCHEDULED,
            ),
        },
        resting=True,
    ),
    State(
        name=TechOps.CANCEL_MEETING,
        prompt=mine_prompt,  # never shown: the entry always moves on
        on_enter=Rule(
            handler=cancel_meeting,
            goes_to=(TechOps.CONFIRM_CANCEL, TechOps.BOOKED, TechOps.UNSCHEDULED, TechOps.MINE),
            label="cancelar",
        ),
    ),
)
