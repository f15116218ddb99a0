"""What the customer says while the bot waits: for the Pix to be created, for the payment, after
the Pix expired, and once paid (until a consultant gets in touch to schedule)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dresbach.features.techops.diagnosis.payment import brl, local
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import says
from dresbach.features.techops.flow.offer import answer, charge, decline
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.questions import unclear
from dresbach.features.techops.flow.replies import CLEAR_YES_WORDS, is_question, reply_to_offer
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import Elsewhere, TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.hours import clock
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize

# -- prompts ------------------------------------------------------------------------------------


def instructions(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    """How to pay, with the amount and the time the Pix expires."""
    slots = conversation.slots
    amount, expires = brl(slots.get(lead.AMOUNT)), slots.get(lead.EXPIRES_AT)
    if amount is None or not expires:
        return (Text(body=TEXTS["pay_instructions_plain"]),)
    time = clock(local(datetime.fromisoformat(expires)))
    return (Text(body=TEXTS["pay_instructions"].format(amount=amount, time=time)),)


def creating_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    if conversation.slots.get(lead.CHARGE) == "open":  # back here with `voltar`
        return instructions(conversation, policy)
    return (Text(body=TEXTS["creating_charge"]),)


PAID_CLAIMS = (
    "paguei",
    "ja paguei",
    "pago",
    "esta pago",
    "ta pago",
    "fiz o pix",
    "fiz o pagamento",
    "pagamento feito",
    "pix feito",
    "transferi",
    "efetuei",
    "mandei o pix",
    "enviei o pix",
)
NOT_PAID = ("nao paguei", "nao fiz", "nao consegui pagar", "ainda nao", "nao esta pago")
CODE_REQUESTS = ("codigo", "copia e cola", "qr", "qr code", "reenviar", "manda de novo")


def _while_waiting(typed: str, turn: Turn) -> Outcome:
    slots = turn.slots
    if slots.get(lead.CHARGE) != "open":
        return Outcome(say=(Text(body=TEXTS["still_creating"]),), prompt=False)
    if says(typed, *PAID_CLAIMS) and not says(typed, *NOT_PAID):
        return Outcome(say=(Text(body=TEXTS["paid_claim"]),), prompt=False)
    code = slots.get(lead.CODE)
    if code and says(typed, *CODE_REQUESTS):
        return Outcome(say=(Text(body=TEXTS["code_again"]), Text(body=code)), prompt=False)
    return Outcome()  # the instructions again


# -- expired ------------------------------------------------------------------------------------

NEW_PIX = Button(id="expired:new", title=BUTTONS["new_pix"])
NOT_NOW = Button(id="expired:decline", title=BUTTONS["decline"])


def expired_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["expired"], buttons=(NEW_PIX, NOT_NOW)),)


def new_pix(turn: Turn) -> Outcome:
    """A new charge with a new command id; the lead, lost as expired, is offered again."""
    asked = charge(turn)
    if turn.slots.get(lead.STATUS) == "offered":
        return asked
    command, remembered = lead.record(turn, "offered")
    return replace(asked, slots={**asked.slots, **remembered}, commands=(command, *asked.commands))


def _expired_tapped(turn: Turn) -> Outcome:
    choice = choice_of(turn, "expired:")
    if choice == "new":
        return new_pix(turn)
    if choice == "decline":
        return decline(turn, reason="expired")
    return unclear(TEXTS["expired_reask"])


_NEW_PIX = ("gerar", "gera", "gere", "novo pix", "gerar novo pix", "outro pix", "manda outro")


def _expired_typed(typed: str, turn: Turn) -> Outcome:
    """As at the offer, only a clear yes creates a charge; a question is answered, a no leaves."""
    reply = reply_to_offer(typed)
    if reply in ("no", "not_now"):
        return decline(turn, reason="expired")
    said = answer(turn, reply) if reply in ("refund", "method", "pricey") else None
    if said is not None:
        return Outcome(say=(Text(body=said),))  # the question again, merged below the answer
    if reply == "yes" or _asks_new_pix(typed):
        return new_pix(turn)
    return unclear(TEXTS["expired_reask"])


def _asks_new_pix(typed: str) -> bool:
    text = normalize(typed)
    return len(text.split()) <= CLEAR_YES_WORDS and not is_question(typed) and says(text, *_NEW_PIX)


def _stay(_turn: Turn) -> Outcome:
    return Outcome()


_FROM_EXPIRED = (TechOps.CREATING_CHARGE, Elsewhere.MENU_MAIN, TechOps.MINE)

STATES: tuple[State, ...] = (
    State(
        name=TechOps.CREATING_CHARGE,
        prompt=creating_prompt,
        rules={"text": Rule(handler=priced(_while_waiting)), "choice": Rule(handler=_stay)},
        resting=True,
    ),
    State(
        name=TechOps.AWAITING_PAYMENT,
        prompt=instructions,
        rules={"text": Rule(handler=priced(_while_waiting)), "choice": Rule(handler=_stay)},
        resting=True,
    ),
    State(
        name=TechOps.EXPIRED,
        prompt=expired_prompt,
        rules={
            "choice": Rule(handler=_expired_tapped, goes_to=_FROM_EXPIRED),
            "text": Rule(handler=priced(_expired_typed), goes_to=_FROM_EXPIRED),
        },
        # Entered on the payment system's news, long after the customer last wrote: resting,
        # so that their answer is not taken for a return after inactivity.
        resting=True,
    ),
)
