"""What the global `cancelar` means at each step after the offer, so that its answer is true.

- A meeting is booked (the records say so, wherever the funnel stands): "Você quer cancelar a
  reunião de …?" first; only a yes cancels it, through the real cancellation.
- Paid, no meeting yet: the choice of a time is left for later, and the diagnosis stays paid.
- The meeting is being booked or cancelled: that cannot be stopped half way; said so.
- The Pix is being created: it is not shown, so nothing can be paid. The Pix was shown: it is
  not cancelled (it expires on its own), and a payment made is still confirmed.
- The Pix expired: the lead is lost, as with *Agora não*.

Before the offer nothing is under way outside the conversation, and the router's own answer
(the questions are dropped) is true.
"""

from __future__ import annotations

from datetime import datetime

from dresbach.features.techops.diagnosis.payment import local
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.offer import decline
from dresbach.features.techops.flow.owned import booked_owned
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.states import Elsewhere, TechOps
from dresbach.kernel.hours import at_clock
from dresbach.kernel.machine.machine import CANCEL, Outcome, Rule, Turn
from dresbach.kernel.messages import Text

AFTER_PAYMENT = frozenset(
    {
        TechOps.PAID,
        TechOps.FINDING_SLOTS,
        TechOps.CHOOSING_SLOT,
        TechOps.BOOKED,
        TechOps.CONFIRM_CANCEL,
        TechOps.CANCELLED,
        TechOps.NO_SLOTS,
        TechOps.SCHEDULE_FAILED,
        TechOps.UNSCHEDULED,
    }
)


def _to_menu(text: str) -> Outcome:
    return Outcome(
        goto=Elsewhere.MENU_MAIN, say=(Text(body=text),), slots=lead.cleared(), reset_trail=True
    )


def _after_payment(turn: Turn) -> Outcome:
    if booked_owned(turn.conversation) is not None:
        return Outcome(goto=TechOps.CANCEL_MEETING)
    return _to_menu(TEXTS["cancel_later"])


def _stay(key: str) -> Rule:
    return Rule(
        handler=lambda _turn: Outcome(say=(Text(body=TEXTS[key]),), prompt=False), label="cancelar"
    )


def _open_pix(turn: Turn) -> Outcome:
    expires = turn.slots.get(lead.EXPIRES_AT)
    if not isinstance(expires, str) or not expires:
        return _to_menu(TEXTS["cancel_charge_creating"])
    at_time = at_clock(local(datetime.fromisoformat(expires)))
    return _to_menu(TEXTS["cancel_open_pix"].format(at_time=at_time))


def _creating(turn: Turn) -> Outcome:
    if turn.slots.get(lead.CHARGE) == "open":  # back here with `voltar`: the Pix was shown
        return _open_pix(turn)
    return _to_menu(TEXTS["cancel_charge_creating"])


def rules_for(state: str) -> dict[str, Rule]:
    """The `cancelar` rule of a Tech Ops state, when it needs one."""
    if state in AFTER_PAYMENT:
        rule = Rule(
            handler=_after_payment,
            goes_to=(TechOps.CANCEL_MEETING, Elsewhere.MENU_MAIN),
            label="cancelar",
        )
    elif state == TechOps.BOOKING_SLOT:
        rule = _stay("cancel_while_booking")
    elif state == TechOps.CANCELLING:
        rule = _stay("cancelling")
    elif state == TechOps.CREATING_CHARGE:
        rule = Rule(handler=_creating, goes_to=(Elsewhere.MENU_MAIN,), label="cancelar")
    elif state == TechOps.AWAITING_PAYMENT:
        rule = Rule(handler=_open_pix, goes_to=(Elsewhere.MENU_MAIN,), label="cancelar")
    elif state == TechOps.EXPIRED:
        rule = Rule(
            handler=lambda turn: decline(turn, reason="expired"),
            goes_to=(Elsewhere.MENU_MAIN,),
            label="cancelar",
        )
    else:
        return {}
    return {CANCEL: rule}
