"""Price questions, at any state of the funnel: an honest answer, then the same question again.

Before the offer no amount is stated, not even the diagnosis fee; once the customer has seen the
offer, the answer repeats the fee of the chosen area (and never a project price).
"""

from __future__ import annotations

from collections.abc import Callable

from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import is_price_question
from dresbach.features.techops.flow.labels import DIAGNOSES
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.machine import Handler, Outcome, Turn
from dresbach.kernel.messages import Text
from dresbach.kernel.money import format_brl

AFTER_OFFER = frozenset(
    {
        TechOps.OFFER,
        TechOps.CREATING_CHARGE,
        TechOps.AWAITING_PAYMENT,
        TechOps.EXPIRED,
        TechOps.PAID,
        TechOps.FINDING_SLOTS,
        TechOps.CHOOSING_SLOT,
        TechOps.BOOKING_SLOT,
        TechOps.BOOKED,
        TechOps.CONFIRM_CANCEL,
        TechOps.CANCELLING,
        TechOps.CANCELLED,
        TechOps.NO_SLOTS,
        TechOps.SCHEDULE_FAILED,
        TechOps.UNSCHEDULED,
    }
)
"""The states in which the customer has necessarily seen the offer."""


def has_seen_offer(turn: Turn) -> bool:
    return bool(turn.slots.get(lead.OFFERED)) or turn.conversation.place.state in AFTER_OFFER


def price_answer(turn: Turn) -> Outcome:
    """The answer to "quanto custa?", followed by the state's own question (merged)."""
    fee = lead.fee_of(turn.policy, turn.slots.get(lead.AREA))
    if has_seen_offer(turn) and fee is not None:
        diagnosis = DIAGNOSES[turn.slots[lead.AREA]]
        body = TEXTS["price_after_offer"].format(diagnosis=diagnosis, fee=format_brl(fee))
    else:
        body = TEXTS["price_before_offer"]
    return Outcome(say=(Text(body=body),))


def priced(read: Callable[[str, Turn], Outcome]) -> Handler:
    """A text handler that first answers price questions, then reads the answer as `read`."""

    def handler(turn: Turn) -> Outcome:
        event = turn.event
        body = event.body if isinstance(event, TextReceived) else ""
        if is_price_question(body):
            return price_answer(turn)
        return read(body, turn)

    handler.__name__ = getattr(read, "__name__", "priced")
    return handler
