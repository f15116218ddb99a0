"""The operators' side: the queue position, a person joining, their words (a template
outside the 24 h window), and the hand-back."""

from __future__ import annotations

from dresbach.features.handoff.flow.rating import asks_rating, rating_prompt
from dresbach.features.handoff.flow.slots import (
    CLEARED,
    OPERATOR,
    RATED,
    RETURN,
    WINDOW,
)
from dresbach.features.handoff.flow.texts import OPERATOR_REPLY, TEXTS
from dresbach.features.handoff.model import (
    HANDOFF_SLOT,
    HandOffQueued,
    HumanJoined,
    HumanLeft,
    OperatorSaid,
)
from dresbach.features.handoff.states import Elsewhere, Handoff
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.messages import Document, Image, Message, Text

TEMPLATE_PARAM_MAX = 1000


def queued(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HandOffQueued)
    text = (
        TEXTS["position_first"]
        if event.position <= 1
        else TEXTS["position"].format(position=event.position)
    )
    return Outcome(say=(Text(body=text),), slots={HANDOFF_SLOT: event.handoff_id}, prompt=False)


def joined(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HumanJoined)
    slots = {HANDOFF_SLOT: event.handoff_id, OPERATOR: event.operator}
    if (
        turn.conversation.place.state == Handoff.WITH_HUMAN
        and turn.slots.get(OPERATOR) == event.operator
    ):
        return Outcome(prompt=False)
    say = Text(body=TEXTS["joined"].format(operator=event.operator))
    return Outcome(goto=Handoff.WITH_HUMAN.qualified, say=(say,), slots=slots, prompt=False)


def reply_message(turn: Turn, operator: str, body: str) -> Message:
    """The operator's words as the customer sees them; outside the 24 h customer-service
    window only an approved template may go, so the template carries them."""
    last = turn.conversation.last_activity_at
    # a template parameter may hold no line break, tab or run of spaces (Meta's 132018)
    flat = " ".join(body.split())[:TEMPLATE_PARAM_MAX]
    template = OPERATOR_REPLY.message(operator, flat)
    if last is not None and turn.now - last > WINDOW:
        return template
    text = f"{TEXTS['reply_header'].format(operator=operator)} {body}"
    return Text(body=text, fallback=template)


def file_message(event: OperatorSaid) -> Message:
    """A file from the operator: an image or a document, the operator's name and words as its
    caption (the console sends files only within the 24 h window)."""
    caption = TEXTS["reply_header"].format(operator=event.operator)
    if event.body.strip():
        caption = f"{caption} {event.body.strip()}"
    if event.file_kind == "image":
        return Image(upload_ref=event.file_ref, caption=caption)
    return Document(upload_ref=event.file_ref, filename=event.file_name, caption=caption)


def said(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, OperatorSaid)
    say = (
        file_message(event) if event.file_ref else reply_message(turn, event.operator, event.body),
    )
    slots = {HANDOFF_SLOT: event.handoff_id, OPERATOR: event.operator}
    if turn.conversation.place.state in (Handoff.WITH_HUMAN, Handoff.CONFIRM_LEAVE):
        return Outcome(say=say, slots=slots, prompt=False)
    return Outcome(
        goto=Handoff.WITH_HUMAN.qualified, say=say, slots=slots, prompt=False, merge=False
    )


def left(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HumanLeft)
    text = TEXTS["closed" if event.closed else "handed_back"].format(operator=event.operator)
    if asks_rating(turn, event):
        return Outcome(
            goto=Handoff.RATING.qualified,
            say=(Text(body=text), *rating_prompt(turn.conversation, turn.policy)),
            slots={**CLEARED, RETURN: None, RATED: event.handoff_id},
            reset_trail=True,
            prompt=False,
        )
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=text),),
        slots={**CLEARED, RETURN: None},
        reset_trail=True,
        prompt=not event.closed,
    )


def quiet(_turn: Turn) -> Outcome:
    return Outcome(prompt=False)


def news_rules(state: Handoff) -> dict[str, Rule]:
    """How a state of this flow takes the operators' news."""
    to_human = (Handoff.WITH_HUMAN.qualified,)
    rules = {
        "handoff_queued": Rule(handler=queued if state != Handoff.WITH_HUMAN else quiet),
        "human_joined": Rule(handler=joined, goes_to=to_human),
        "operator_said": Rule(handler=said, goes_to=to_human),
        "human_left": Rule(handler=left, goes_to=(Elsewhere.MENU_MAIN, Handoff.RATING.qualified)),
        "handoff_unanswered": Rule(handler=quiet),
    }
    if state == Handoff.WAITING:
        rules["handoff_unanswered"] = Rule(
            handler=lambda _turn: Outcome(goto=Handoff.UNANSWERED), goes_to=(Handoff.UNANSWERED,)
        )
    return rules
