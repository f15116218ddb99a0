"""The last check before a Tech Ops message leaves: no project price, ever.

- Before the offer (qualification, summary) no message may state an amount of money. The one
  exception is the offer itself, which the summary's confirmation shows: it may state the fee.
- Once the customer has seen the offer, the only amount allowed is the diagnosis fee of the
  lead's area (and what the customer paid for a diagnosis they own: its receipt).

The customer's own words echoed back (the summary) and the Pix code are not ours, so they are
left out of the check. The runtime calls the guard with the conversation before and after each
step, so both must agree for a message to leave.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dresbach.features.payments.model import is_money_pattern
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.offer import is_offer
from dresbach.features.techops.flow.prices import AFTER_OFFER
from dresbach.features.techops.flow.summary import echoed_forms
from dresbach.features.techops.model import paid_diagnoses
from dresbach.features.techops.states import TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.messages import Message, visible_texts
from dresbach.kernel.money import format_brl

_ECHOED = (lead.DESCRIPTION, lead.COMPANY, lead.NAME, lead.EMAIL, lead.CODE)


def _ours(conversation: Conversation, message: Message) -> str:
    """The message's visible text, without what the customer (or the bank) wrote."""
    text = "\n".join(visible_texts(message))
    for key in _ECHOED:
        value = conversation.slots.get(key)
        if isinstance(value, str) and value:
            for form in echoed_forms(value):
                text = text.replace(form, " ")
    return text


def _brl(amount: object) -> str | None:
    try:
        return format_brl(Decimal(str(amount))) if amount else None
    except InvalidOperation:
        return None


def _allowed(conversation: Conversation) -> list[str]:
    """The amounts a message may state: the lead's fee, and the fees paid for the diagnoses
    the customer owns (a receipt, a reminder of what was paid)."""
    amounts = [_brl(conversation.slots.get(lead.FEE))]
    amounts += [_brl(d.amount) for d in paid_diagnoses(conversation)]
    return [a for a in amounts if a]


def guard(conversation: Conversation, message: Message) -> str | None:
    """Why `message` must not be sent from `conversation`, or None."""
    if conversation.place.flow != "techops":
        return None
    text = _ours(conversation, message)
    if not is_money_pattern(text):
        return None
    state = conversation.place.state
    seen = bool(conversation.slots.get(lead.OFFERED) or conversation.owned) or state in AFTER_OFFER
    if not seen and not (state == TechOps.SUMMARY and is_offer(message)):
        return "Tech Ops: an amount of money before the offer"
    rest = text
    for amount in _allowed(conversation):
        rest = rest.replace(amount, " ")
    if is_money_pattern(rest):
        return "Tech Ops: an amount other than the diagnosis fee of the lead's area"
    return None
