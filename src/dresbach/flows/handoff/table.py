"""The hand-off transition table: bot → waiting for a person → with a person → back to the bot.

    start ─(enter: RequestHandOff)→ waiting ─human_joined→ with_human ─human_left→ menu.main
    waiting ─handoff_unanswered→ unanswered ─(callback | keep waiting)→ waiting
    waiting | unanswered | with_human ─menu→ confirm_leave ─yes→ menu.main (EndHandOff)
                                                            └─no→ back where it was

Every state but `start` is attended: the bot sends nothing on its own there (news for other
flows is held back by the router) and, of the global commands, only `menu` counts — it asks
before leaving the person. What the customer writes goes to the person (`ForwardToHuman`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dresbach.domain.commands import RequestHandOff
from dresbach.domain.conversation import Conversation
from dresbach.domain.events import (
    ButtonChosen,
    Event,
    InboundEvent,
    ListRowChosen,
    MediaReceived,
    TextReceived,
)
from dresbach.domain.handoff import (
    HANDOFF_SLOT,
    EndHandOff,
    ForwardToHuman,
    HandOffQueued,
    HumanJoined,
    HumanLeft,
    OperatorSaid,
    RequestCallback,
)
from dresbach.domain.messages import Button, Buttons, Message, Template, Text
from dresbach.domain.policy import Policy
from dresbach.domain.scheduling import slot_label
from dresbach.domain.text import matches_phrase, normalize
from dresbach.flows.handoff.texts import BUTTONS, REPLY_TEMPLATE, TEXTS
from dresbach.flows.machine import ANY, LEAVE, Flow, Outcome, Rule, State, Turn

OPEN_NOW = "handoff.open_now"
OPENS_AT = "handoff.opens_at"
OPERATOR = "handoff.operator"
NOTED = "handoff.noted"
RETURN = "handoff.return"
"""Where `confirm_leave` goes back to when the customer stays."""

CLEARED = {HANDOFF_SLOT: None, OPEN_NOW: None, OPENS_AT: None, OPERATOR: None, NOTED: None}
WINDOW = timedelta(hours=24)

CALLBACK = Button(id="handoff:callback", title=BUTTONS["callback"])
KEEP = Button(id="handoff:keep", title=BUTTONS["keep_waiting"])
LEAVE_NOW = Button(id="handoff:leave", title=BUTTONS["menu"])
LEAVE_YES = Button(id="handoff:leave_yes", title=BUTTONS["leave_yes"])
LEAVE_NO = Button(id="handoff:leave_no", title=BUTTONS["leave_no"])

_ASKS_HUMAN = ("atendente", "humano", "pessoa", "alguem")
_YES = {"sim", "s", "quero", "pode", "pode ser", "sim quero", "claro", "ok", "isso"}
_NO = {"nao", "n", "agora nao", "nao quero", "depois"}


def _key(event: Event) -> str:
    return event.message_id if isinstance(event, InboundEvent) else event.event_id


def _choice(turn: Turn) -> str | None:
    event = turn.event
    if isinstance(event, ButtonChosen | ListRowChosen):
        return event.choice_id
    return None


def _typed(turn: Turn) -> str:
    return normalize(turn.event.body) if isinstance(turn.event, TextReceived) else ""


# -- entering: the request ----------------------------------------------------------------------


def request(turn: Turn) -> Outcome:
    """One `RequestHandOff` per request; the id comes from the message, so a redelivered
    message asks nothing twice (and the runtime keeps one open hand-off per conversation)."""
    before = turn.conversation
    hours = turn.policy.support_hours
    opens = hours.next_open(turn.now)
    lead_id = before.slots.get("techops.lead_id")
    command = RequestHandOff(
        command_id=f"{_key(turn.event)}:handoff",
        reason="customer",
        flow=before.place.flow,
        lead_id=lead_id if isinstance(lead_id, str) else None,
    )
    slots = {
        **CLEARED,
        OPEN_NOW: hours.is_open(turn.now),
        OPENS_AT: opens.isoformat() if opens else None,
        NOTED: False,
    }
    return Outcome(goto="waiting", slots=slots, commands=(command,))


# -- prompts ------------------------------------------------------------------------------------


def _start_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["calling"]),)


def _waiting_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    slots = conversation.slots
    if slots.get(OPEN_NOW) is not False:
        return (Text(body=TEXTS["calling"]),)
    hours = policy.support_hours.describe()
    opens = slots.get(OPENS_AT)
    if isinstance(opens, str) and opens:
        when = slot_label(datetime.fromisoformat(opens))
        return (Text(body=TEXTS["closed_now"].format(hours=hours, opens=when)),)
    return (Text(body=TEXTS["closed_now_unknown"].format(hours=hours)),)


def _unanswered_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["unanswered"], buttons=(CALLBACK, KEEP, LEAVE_NOW)),)


def _operator(conversation: Conversation) -> str:
    name = conversation.slots.get(OPERATOR)
    return name if isinstance(name, str) and name else "Nossa equipe"


def _with_human_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["with_human_prompt"].format(operator=_operator(conversation))),)


def _confirm_leave_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    text = (
        "leave_question"
        if conversation.slots.get(RETURN) == "with_human"
        else ("leave_waiting_question")
    )
    return (Buttons(body=TEXTS[text], buttons=(LEAVE_YES, LEAVE_NO)),)


# -- what the customer says ---------------------------------------------------------------------


def _forward(turn: Turn, *, acknowledge: bool) -> Outcome:
    """Pass the customer's words to the person; while waiting, acknowledge the first once."""
    event = turn.event
    if isinstance(event, TextReceived):
        text = event.body
    elif isinstance(event, MediaReceived):
        text = f"[{event.media_kind}] {event.caption or ''}".strip()
    elif isinstance(event, ButtonChosen | ListRowChosen):
        text = event.title
    else:
        text = f"[{event.kind}]"
    command = ForwardToHuman(command_id=f"{_key(event)}:forward", text=text)
    if acknowledge and not turn.slots.get(NOTED):
        return Outcome(
            say=(Text(body=TEXTS["noted"]),),
            slots={NOTED: True},
            commands=(command,),
            prompt=False,
        )
    return Outcome(commands=(command,), prompt=False)


def _waiting_says(turn: Turn) -> Outcome:
    typed = _typed(turn)
    if typed and any(matches_phrase(typed, p) for p in _ASKS_HUMAN):
        return Outcome(say=(Text(body=TEXTS["already_waiting"]),), prompt=False)
    return _forward(turn, acknowledge=True)


def _unanswered_says(turn: Turn) -> Outcome:
    choice, typed = _choice(turn), _typed(turn)
    if choice == CALLBACK.id or typed in _YES:
        command = RequestCallback(command_id=f"{_key(turn.event)}:callback")
        return Outcome(
            goto="waiting",
            say=(Text(body=TEXTS["callback_noted"]),),
            commands=(command,),
            prompt=False,
        )
    if choice == KEEP.id or typed in _NO:
        return Outcome(goto="waiting", say=(Text(body=TEXTS["keep_waiting"]),), prompt=False)
    if choice == LEAVE_NOW.id:
        return _leave(turn)
    return _forward(turn, acknowledge=True)


def _with_human_says(turn: Turn) -> Outcome:
    return _forward(turn, acknowledge=False)


def _asks_to_leave(state: str) -> Rule:
    def ask(_turn: Turn) -> Outcome:
        return Outcome(goto="confirm_leave", slots={RETURN: state})

    return Rule(handler=ask, goes_to=("confirm_leave",), label="menu")


def _leave(turn: Turn) -> Outcome:
    command = EndHandOff(command_id=f"{_key(turn.event)}:end", reason="customer_left")
    return Outcome(
        goto="menu.main",
        say=(Text(body=TEXTS["left"]),),
        slots={**CLEARED, RETURN: None},
        commands=(command,),
        reset_trail=True,
    )


def _confirm_leave_says(turn: Turn) -> Outcome:
    choice, typed = _choice(turn), _typed(turn)
    if choice == LEAVE_YES.id or typed in _YES:
        return _leave(turn)
    back = turn.slots.get(RETURN)
    target = back if back in ("waiting", "unanswered", "with_human") else "waiting"
    if choice == LEAVE_NO.id or typed in _NO:
        return Outcome(goto=target, say=(Text(body=TEXTS["stay"]),), slots={RETURN: None})
    return Outcome()  # the question again


# -- news from the operators --------------------------------------------------------------------


def _queued(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HandOffQueued)
    text = (
        TEXTS["position_first"]
        if event.position <= 1
        else TEXTS["position"].format(position=event.position)
    )
    return Outcome(say=(Text(body=text),), slots={HANDOFF_SLOT: event.handoff_id}, prompt=False)


def _joined(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HumanJoined)
    slots = {HANDOFF_SLOT: event.handoff_id, OPERATOR: event.operator}
    if turn.conversation.place.state == "with_human" and turn.slots.get(OPERATOR) == event.operator:
        return Outcome(prompt=False)
    say = Text(body=TEXTS["joined"].format(operator=event.operator))
    return Outcome(goto="handoff.with_human", say=(say,), slots=slots, prompt=False)


def reply_message(turn: Turn, operator: str, body: str) -> Message:
    """The operator's words as the customer sees them; outside the 24 h customer-service
    window only an approved template may go, so the template carries them."""
    last = turn.conversation.last_activity_at
    template = Template(name=REPLY_TEMPLATE, body_params=(operator, body))
    if last is not None and turn.now - last > WINDOW:
        return template
    text = f"{TEXTS['reply_header'].format(operator=operator)} {body}"
    return Text(body=text, fallback=template)


def _said(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, OperatorSaid)
    say = (reply_message(turn, event.operator, event.body),)
    slots = {HANDOFF_SLOT: event.handoff_id, OPERATOR: event.operator}
    if turn.conversation.place.state in ("with_human", "confirm_leave"):
        return Outcome(say=say, slots=slots, prompt=False)
    return Outcome(goto="handoff.with_human", say=say, slots=slots, prompt=False, merge=False)


def _left(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, HumanLeft)
    text = TEXTS["closed" if event.closed else "handed_back"].format(operator=event.operator)
    return Outcome(
        goto="menu.main",
        say=(Text(body=text),),
        slots={**CLEARED, RETURN: None},
        reset_trail=True,
        prompt=not event.closed,
    )


def _quiet(_turn: Turn) -> Outcome:
    return Outcome(prompt=False)


def _news(state: str) -> dict[str, Rule]:
    """How a state of this flow takes the operators' news."""
    to_human = ("handoff.with_human",)
    rules = {
        "handoff_queued": Rule(handler=_queued if state != "with_human" else _quiet),
        "human_joined": Rule(handler=_joined, goes_to=to_human),
        "operator_said": Rule(handler=_said, goes_to=to_human),
        "human_left": Rule(handler=_left, goes_to=("menu.main",)),
        "handoff_unanswered": Rule(handler=_quiet),
    }
    if state == "waiting":
        rules["handoff_unanswered"] = Rule(
            handler=lambda _turn: Outcome(goto="unanswered"), goes_to=("unanswered",)
        )
    return rules


def _customer(handler: Rule) -> dict[str, Rule]:
    return {kind: handler for kind in ("text", "choice", "media", ANY)}


_ENTER = Rule(handler=request, goes_to=("waiting",), label="atendente")

STATES: dict[str, State] = {
    "start": State(
        name="start",
        prompt=_start_prompt,
        on_enter=_ENTER,
        rules={ANY: Rule(handler=request, goes_to=("waiting",))},
    ),
    "waiting": State(
        name="waiting",
        prompt=_waiting_prompt,
        rules={
            **_customer(Rule(handler=_waiting_says)),
            **_news("waiting"),
            LEAVE: _asks_to_leave("waiting"),
        },
        resting=True,
        attended=True,
    ),
    "unanswered": State(
        name="unanswered",
        prompt=_unanswered_prompt,
        rules={
            **_customer(Rule(handler=_unanswered_says, goes_to=("waiting", "menu.main"))),
            **_news("unanswered"),
            LEAVE: _asks_to_leave("unanswered"),
        },
        resting=True,
        attended=True,
    ),
    "with_human": State(
        name="with_human",
        prompt=_with_human_prompt,
        rules={
            **_customer(Rule(handler=_with_human_says)),
            **_news("with_human"),
            LEAVE: _asks_to_leave("with_human"),
        },
        resting=True,
        attended=True,
    ),
    "confirm_leave": State(
        name="confirm_leave",
        prompt=_confirm_leave_prompt,
        rules={
            **_customer(
                Rule(
                    handler=_confirm_leave_says,
                    goes_to=("menu.main", "waiting", "unanswered", "with_human"),
                )
            ),
            **_news("confirm_leave"),
            LEAVE: Rule(handler=lambda _turn: Outcome(), label="menu"),
        },
        resting=True,
        attended=True,
    ),
}

FLOW = Flow(
    name="handoff",
    title="Atendimento humano",
    entry="start",
    states=STATES,
    interrupts={
        "human_joined": Rule(
            handler=_joined, goes_to=("handoff.with_human",), label="human_joined"
        ),
        "operator_said": Rule(
            handler=_said, goes_to=("handoff.with_human",), label="operator_said"
        ),
    },
)
