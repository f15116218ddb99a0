"""The customer's side of the hand-off: asking for a person, the prompts, what they write
while waiting or with a person (passed on), and leaving (asked first)."""

from __future__ import annotations

from datetime import datetime

from dresbach.features.handoff.flow.slots import (
    ASKS_HUMAN,
    CALLBACK,
    CLEARED,
    KEEP,
    LEAVE_NO,
    LEAVE_NOW,
    LEAVE_YES,
    NO,
    NOTED,
    OPEN_NOW,
    OPENS_AT,
    RETURN,
    YES,
    operator_of,
    typed_of,
)
from dresbach.features.handoff.flow.texts import TEXTS
from dresbach.features.handoff.flow.topics import topic_of
from dresbach.features.handoff.model import (
    EndHandOff,
    ForwardToHuman,
    RequestCallback,
)
from dresbach.features.handoff.states import Elsewhere, Handoff
from dresbach.features.scheduling.model import slot_label
from dresbach.kernel.commands import RequestHandOff
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import (
    ButtonChosen,
    ListRowChosen,
    MediaReceived,
    TextReceived,
)
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.messages import Buttons, Message, Text
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import matches_any_phrase


def request(turn: Turn) -> Outcome:
    """One `RequestHandOff` per request; the id comes from the message, so a redelivered
    message asks nothing twice (and the runtime keeps one open hand-off per conversation)."""
    before = turn.conversation
    hours = turn.policy.support_hours
    opens = hours.next_open(turn.now)
    lead_id = before.slots.get("techops.lead_id")
    if not lead_id and before.owned:  # the paid diagnosis the records know, for the context
        lead_id = before.owned[0].lead_id
    command = RequestHandOff(
        command_id=f"{event_key(turn.event)}:handoff",
        reason="customer",
        flow=before.place.flow,
        lead_id=lead_id if isinstance(lead_id, str) else None,
        topic=topic_of("customer", before.place, before.slots),
    )
    slots = {
        **CLEARED,
        OPEN_NOW: hours.is_open(turn.now),
        OPENS_AT: opens.isoformat() if opens else None,
        NOTED: False,
    }
    return Outcome(goto=Handoff.WAITING, slots=slots, commands=(command,))


def start_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["calling"]),)


def waiting_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    slots = conversation.slots
    if slots.get(OPEN_NOW) is not False:
        return (Text(body=TEXTS["calling"]),)
    hours = policy.support_hours.describe()
    opens = slots.get(OPENS_AT)
    if isinstance(opens, str) and opens:
        when = slot_label(datetime.fromisoformat(opens))
        return (Text(body=TEXTS["closed_now"].format(hours=hours, opens=when)),)
    return (Text(body=TEXTS["closed_now_unknown"].format(hours=hours)),)


def unanswered_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["unanswered"], buttons=(CALLBACK, KEEP, LEAVE_NOW)),)


def with_human_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["with_human_prompt"].format(operator=operator_of(conversation))),)


def confirm_leave_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    text = (
        "leave_question"
        if conversation.slots.get(RETURN) == Handoff.WITH_HUMAN
        else ("leave_waiting_question")
    )
    return (Buttons(body=TEXTS[text], buttons=(LEAVE_YES, LEAVE_NO)),)


def forward(turn: Turn, *, acknowledge: bool) -> Outcome:
    """Pass the customer's words to the person; while waiting, acknowledge the first once."""
    event = turn.event
    media_id = None
    if isinstance(event, TextReceived):
        text = event.body
    elif isinstance(event, MediaReceived):
        text, media_id = event.caption or "", event.media_id or None
    elif isinstance(event, ButtonChosen | ListRowChosen):
        text = event.title
    else:
        text = f"[{event.kind}]"
    command = ForwardToHuman(command_id=f"{event_key(event)}:forward", text=text, media_id=media_id)
    if acknowledge and not turn.slots.get(NOTED):
        return Outcome(
            say=(Text(body=TEXTS["noted"]),),
            slots={NOTED: True},
            commands=(command,),
            prompt=False,
        )
    return Outcome(commands=(command,), prompt=False)


def waiting_says(turn: Turn) -> Outcome:
    typed = typed_of(turn)
    if typed and matches_any_phrase(typed, ASKS_HUMAN):
        return Outcome(say=(Text(body=TEXTS["already_waiting"]),), prompt=False)
    return forward(turn, acknowledge=True)


def unanswered_says(turn: Turn) -> Outcome:
    choice, typed = choice_of(turn), typed_of(turn)
    if choice == CALLBACK.id or typed in YES:
        command = RequestCallback(command_id=f"{event_key(turn.event)}:callback")
        return Outcome(
            goto=Handoff.WAITING,
            say=(Text(body=TEXTS["callback_noted"]),),
            commands=(command,),
            prompt=False,
        )
    if choice == KEEP.id or typed in NO:
        return Outcome(goto=Handoff.WAITING, say=(Text(body=TEXTS["keep_waiting"]),), prompt=False)
    if choice == LEAVE_NOW.id:
        return leave(turn)
    return forward(turn, acknowledge=True)


def with_human_says(turn: Turn) -> Outcome:
    return forward(turn, acknowledge=False)


def asks_to_leave(state: Handoff) -> Rule:
    def ask(_turn: Turn) -> Outcome:
        return Outcome(goto=Handoff.CONFIRM_LEAVE, slots={RETURN: state})

    return Rule(handler=ask, goes_to=(Handoff.CONFIRM_LEAVE,), label="menu")


def leave(turn: Turn) -> Outcome:
    command = EndHandOff(command_id=f"{event_key(turn.event)}:end", reason="customer_left")
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=TEXTS["left"]),),
        slots={**CLEARED, RETURN: None},
        commands=(command,),
        reset_trail=True,
    )


def confirm_leave_says(turn: Turn) -> Outcome:
    choice, typed = choice_of(turn), typed_of(turn)
    if choice == LEAVE_YES.id or typed in YES:
        return leave(turn)
    back = turn.slots.get(RETURN)
    target = (
        back
        if back in (Handoff.WAITING, Handoff.UNANSWERED, Handoff.WITH_HUMAN)
        else Handoff.WAITING
    )
    if choice == LEAVE_NO.id or typed in NO:
        return Outcome(goto=target, say=(Text(body=TEXTS["stay"]),), slots={RETURN: None})
    return Outcome()  # the question again
