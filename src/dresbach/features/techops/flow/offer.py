"""The offer: what the diagnosis of the chosen area covers, the fee, and three ways on: pay (a Pix
charge), talk to a consultant (hand-off), or not now (the lead is lost, declined)."""

from __future__ import annotations

from decimal import Decimal

from dresbach.features.scheduling.model import duration_pt
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.labels import AREA_NAMES, OFFERS
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.questions import unclear
from dresbach.features.techops.flow.replies import Reply, reply_to_offer
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import Elsewhere, TechOps
from dresbach.kernel.commands import Command, CreatePixCharge
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.money import format_brl
from dresbach.kernel.policy import Policy

PAY = Button(id="offer:pay", title=BUTTONS["pay"])
CONSULTANT = Button(id="offer:consultant", title=BUTTONS["consultant"])
DECLINE = Button(id="offer:decline", title=BUTTONS["decline"])

DEFAULT_AREA = "technical"
"""Shown only when a prompt is drawn without an area (the lint's sample conversation)."""


def _area(conversation: Conversation) -> str:
    area = conversation.slots.get(lead.AREA)
    return area if area in OFFERS else DEFAULT_AREA


def offer_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    area = _area(conversation)
    fee = policy.diagnosis_fees[area]
    body = "\n\n".join(
        (
            OFFERS[area].format(duration=duration_pt(policy.scheduling.meeting)),
            TEXTS["offer_fee"].format(fee=format_brl(fee)),
            TEXTS["offer_question"],
        )
    )
    return (Buttons(body=body, buttons=(PAY, CONSULTANT, DECLINE)),)


def is_offer(message: Message) -> bool:
    """Whether a message is the offer itself (the one message that introduces the fee)."""
    return isinstance(message, Buttons) and any(b.id == PAY.id for b in message.buttons)


def charge(turn: Turn) -> Outcome:
    """Ask for a Pix charge of the diagnosis fee and wait for it in `creating_charge`; a customer
    who already owns a paid diagnosis is shown it instead, never charged twice."""
    if turn.conversation.owned:
        return Outcome(goto=TechOps.MINE, say=(Text(body=TEXTS["already_paid"]),))
    area = _area(turn.conversation)
    fee: Decimal = turn.policy.diagnosis_fees[area]
    command = CreatePixCharge(
        command_id=f"{event_key(turn.event)}:charge",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or f"lead-{event_key(turn.event)}"),
        amount=fee,
        description=TEXTS["charge_description"].format(area=AREA_NAMES[area]),
        payer_name=turn.slots.get(lead.NAME),
        payer_email=turn.slots.get(lead.EMAIL),
        payer_document=turn.slots.get(lead.CNPJ) or None,
    )
    changes = {
        lead.CHARGE: "requested",
        lead.TXID: None,
        lead.CODE: None,
        lead.REMINDED: None,
        lead.OFFERED: True,
        lead.FEE: str(fee),
    }
    # A fresh trail: `voltar` from the Pix never leads back into the questions.
    return Outcome(
        goto=TechOps.CREATING_CHARGE, slots=changes, commands=(command,), reset_trail=True
    )


def consultant(_turn: Turn) -> Outcome:
    """A person from the team: the hand-off's entry asks for one, with this lead's context."""
    return Outcome(goto=Elsewhere.HANDOFF_START)


def decline(turn: Turn, *, reason: str = "declined") -> Outcome:
    """Close politely, record the lead as lost (unless it already is) and forget the funnel."""
    commands: tuple[Command, ...] = ()
    if turn.slots.get(lead.STATUS) != "lost":
        command, _ = lead.record(turn, "lost", lost_reason=reason)
        commands = (command,)
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=TEXTS["declined"]),),
        slots=lead.cleared(),
        commands=commands,
    )


def _tapped(turn: Turn) -> Outcome:
    choice = choice_of(turn, "offer:")
    if choice == "pay":
        return charge(turn)
    if choice == "consultant":
        return consultant(turn)
    if choice == "decline":
        return decline(turn)
    return unclear(TEXTS["offer_reask"])


def refund_terms(policy: Policy) -> str:
    """The refund policy in words, from the settings."""
    days = policy.refund_days
    if days <= 0:
        return TEXTS["no_refund"]
    return TEXTS["refund"].format(days="1 dia" if days == 1 else f"{days} dias")


def answer(turn: Turn, reply: Reply) -> str | None:
    """The honest answer to a reply that asks or objects instead of choosing; None otherwise."""
    if reply == "refund":
        return refund_terms(turn.policy)
    if reply == "method":
        return TEXTS["only_pix"]
    if reply == "pricey":
        fee = turn.policy.diagnosis_fees[_area(turn.conversation)]
        return TEXTS["fixed_fee"].format(fee=format_brl(fee))
    if reply == "not_now":
        return TEXTS["offer_not_now"]
    if reply == "how_to_pay":
        return TEXTS["how_to_pay"]
    if reply == "question":
        return TEXTS["offer_unknown_question"]
    return None


def _typed(typed: str, turn: Turn) -> Outcome:
    """Only a clear yes creates a charge; anything else is answered and the offer stays open
    (asked again in a short message, with its three buttons)."""
    reply = reply_to_offer(typed)
    if reply == "yes":
        return charge(turn)
    if reply == "no":
        return decline(turn)
    if reply == "consultant":
        return consultant(turn)
    said = answer(turn, reply)
    if said is None:
        return unclear(TEXTS["offer_reask"])
    body = f"{said}\n\n{TEXTS['offer_question']}"
    return Outcome(say=(Buttons(body=body, buttons=(PAY, CONSULTANT, DECLINE)),), prompt=False)


_WAYS = (TechOps.CREATING_CHARGE, Elsewhere.HANDOFF_START, Elsewhere.MENU_MAIN, TechOps.MINE)

STATE = State(
    name=TechOps.OFFER,
    prompt=offer_prompt,
    rules={
        "choice": Rule(handler=_tapped, goes_to=_WAYS),
        "text": Rule(handler=priced(_typed), goes_to=_WAYS),
    },
)
