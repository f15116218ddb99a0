"""The conversation core: `step(conversation, event, now, policy) -> Decision`. Pure.

Order of concerns for one event: house-wide events (reactions, identity changes), first contact,
inactivity, global commands, then the current state's transition table, then the fallback.

Two manners hold in every state, here and not in the flows: a greeting or thanks is answered
("Boa tarde!", "De nada!") where the state would not take it as an answer, and a message not
understood is said to be so once; from the second miss in a row a person is offered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import MappingProxyType

from dresbach.features.menu.flow.table import time_of_day
from dresbach.features.menu.flow.texts import BUTTONS, TEXTS, WHAT
from dresbach.kernel.conversation import Conversation, Decision, Place
from dresbach.kernel.events import (
    Event,
    IdentityChanged,
    InboundEvent,
    InternalEvent,
    MediaReceived,
    ReactionReceived,
    TextReceived,
)
from dresbach.kernel.machine.global_commands import global_command
from dresbach.kernel.machine.intents import courtesy
from dresbach.kernel.machine.machine import (
    ANY,
    CANCEL,
    LEAVE,
    Miss,
    Outcome,
    Rule,
    State,
    Turn,
    qualify,
)
from dresbach.kernel.machine.registry import FLOWS
from dresbach.kernel.messages import (
    Button,
    Buttons,
    ListMenu,
    Message,
    Text,
    with_preface,
)
from dresbach.kernel.policy import Policy

MAIN = Place(flow="menu", state="main")
IDLE = Place(flow="menu", state="idle")
NEW = Place(flow="menu", state="new")
AT_REST = {MAIN, IDLE, NEW}
MISSES = "router.misses"
"""How many messages in a row were not understood (kept only while the count goes on)."""
HUMAN = Button(id="go:human", title=BUTTONS["human"])


def prompt_of(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    place = conversation.place
    return FLOWS[place.flow].state(place.state).prompt(conversation, policy)


def _arrive(
    conversation: Conversation,
    place: Place,
    policy: Policy,
    *,
    say: tuple[Message, ...] = (),
    prompt: bool = True,
    reset_trail: bool = False,
    merge: bool = True,
) -> tuple[Conversation, tuple[Message, ...]]:
    """Move to `place`, remembering where we were for `voltar`; say `say` then the prompt."""
    trail = () if reset_trail or place == MAIN else conversation.trail
    if place != conversation.place and not reset_trail and conversation.place not in AT_REST:
        trail = (*trail, conversation.place)
    if place.flow != conversation.place.flow and place.flow != "handoff":
        trail = ()
    moved = replace(conversation, place=place, trail=trail)
    replies = prompt_of(moved, policy) if prompt else ()
    if merge and len(say) == 1 and isinstance(say[0], Text) and replies:
        return moved, with_preface(replies, say[0].body)
    return moved, (*say, *replies)


def _to_main(conversation: Conversation, policy: Policy, preface: str | None) -> Decision:
    cleared = replace(conversation, slots=MappingProxyType({}), trail=())
    moved, replies = _arrive(
        cleared, MAIN, policy, say=(Text(body=preface),) if preface else (), reset_trail=True
    )
    return Decision(conversation=moved, replies=replies)


def _global(turn: Turn, command: str) -> Decision:
    conversation, policy = turn.conversation, turn.policy
    if command == "menu":
        return _to_main(conversation, policy, None)
    if command == "cancel":
        return _cancel(turn)
    if command == "quit":
        cleared = replace(conversation, slots=MappingProxyType({}), trail=(), place=IDLE)
        return Decision(conversation=cleared, replies=prompt_of(cleared, policy))
    if command == "human":
        target = Place(flow="handoff", state=FLOWS["handoff"].entry)
        return _enter(turn, target, Outcome())
    if command == "privacy":  # leaves what was under way, as `menu` does
        cleared = replace(conversation, slots=MappingProxyType({}), trail=())
        target = Place(flow="privacy", state=FLOWS["privacy"].entry)
        return _enter(replace(turn, conversation=cleared), target, Outcome(reset_trail=True))
    # back
    if not conversation.trail:
        if conversation.place in AT_REST:
            return _to_main(conversation, policy, TEXTS["at_start"])
        return _to_main(conversation, policy, None)
    previous = conversation.trail[-1]
    moved = replace(conversation, place=previous, trail=conversation.trail[:-1])
    return Decision(conversation=moved, replies=prompt_of(moved, policy))


def _cancel(turn: Turn) -> Decision:
    """`cancelar` says only what it did: the state's own CANCEL rule where cancelling means more
    than leaving (a booked meeting is asked about first), else back to the menu, saying whether
    something was dropped, or could not be undone (a resting state waits for news outside)."""
    conversation, policy = turn.conversation, turn.policy
    place = conversation.place
    state = FLOWS[place.flow].states.get(place.state)
    if state is not None and CANCEL in state.rules:
        return _dispatch(conversation, turn.event, turn.now, policy, kind=CANCEL)
    if place in AT_REST:
        return _to_main(conversation, policy, TEXTS["nothing_to_cancel"])
    if state is not None and state.resting:
        return _to_main(conversation, policy, TEXTS["cancelled_under_way"])
    return _to_main(conversation, policy, TEXTS["cancelled"])


def _fallback(conversation: Conversation, event: Event, policy: Policy) -> Decision:
    """The answer to a defect (a move its table does not declare): as if not understood."""
    notice, miss = _notice(event)
    if miss == "unclear":
        notice = f"{TEXTS['not_understood_opening']} {notice}"
    return Decision(
        conversation=conversation, replies=with_preface(prompt_of(conversation, policy), notice)
    )


def _notice(event: Event) -> tuple[str, Miss]:
    """No rule for this event here: a text not understood, or a kind of message not read."""
    if isinstance(event, TextReceived):
        return TEXTS["not_understood"], "unclear"
    kind = event.media_kind if isinstance(event, MediaReceived) else event.kind
    return TEXTS["unsupported"].format(what=WHAT.get(kind, WHAT["unsupported"])), "invalid"


def _missed(event: Event) -> Outcome:
    notice, miss = _notice(event)
    return Outcome(say=(Text(body=notice),), missed=miss)


def _opened(outcome: Outcome, misses: int) -> tuple[Message, ...]:
    """An unclear miss's words, opened with "não entendi" the first time and "ainda não
    consegui entender" after (never the same apology twice in a row)."""
    opening = TEXTS["still_not_understood" if misses else "not_understood_opening"]
    if not outcome.say:
        return (Text(body=opening),)
    first, rest = outcome.say[0], outcome.say[1:]
    if isinstance(first, Text | Buttons | ListMenu):
        return (replace(first, body=f"{opening} {first.body}"), *rest)
    return (Text(body=opening), *outcome.say)


def _courtesy(turn: Turn, kind: str) -> Outcome:
    """ "Boa tarde! 😊" to a greeting (the time of day, whatever the customer said), then what
    is open here again; "De nada!" to thanks, and nothing more (what is open is just above)."""
    if kind == "thanks":
        key = "thanked_at_rest" if turn.conversation.place in AT_REST else "thanked"
        return Outcome(say=(Text(body=TEXTS[key]),), prompt=False)
    return Outcome(say=(Text(body=TEXTS["greeted_back"].format(hello=time_of_day(turn.now))),))


def _heard(turn: Turn, state: State, rule: Rule | None, misses: int) -> tuple[Outcome, bool]:
    """The state's outcome for an inbound message, with the house's manners: courtesy where
    the state would not take it (a sensitive state is asked first: a code is never thanks),
    and a miss opened as `_opened` says. Returns the outcome and whether it was a miss."""
    event, place = turn.event, turn.conversation.place
    kind = None
    if isinstance(event, TextReceived) and place != NEW and not state.attended:
        kind = courtesy(event.body)
        if kind == "greeting" and place == IDLE:  # the idle menu greets back on its own
            kind = None
        if kind and not state.sensitive and courtesy(event.body, agreeing=False):
            return _courtesy(turn, kind), False
    outcome = rule.handler(turn) if rule is not None else _missed(event)
    if outcome.missed and kind:
        return _courtesy(turn, kind), False
    if outcome.missed == "unclear":
        outcome = replace(outcome, say=_opened(outcome, misses), merge=True)
    return outcome, outcome.missed is not None


def _counted(decision: Decision, missed: bool, misses: int) -> Decision:
    """Count a miss; from the second in a row, offer a person, in words and with a button."""
    if not missed:
        return decision
    count = misses + 1
    conversation = decision.conversation.with_slots(**{MISSES: count})
    replies = decision.replies
    if count >= 2:
        replies = (*replies, Buttons(body=TEXTS["offer_person"], buttons=(HUMAN,)))
    return replace(decision, conversation=conversation, replies=replies)


def _apply(turn: Turn, outcome: Outcome, declared: tuple[str, ...]) -> Decision:
    conversation = turn.conversation
    if outcome.slots:
        conversation = conversation.with_slots(**outcome.slots)
    if outcome.goto is None:
        replies = prompt_of(conversation, turn.policy) if outcome.prompt else ()
        if len(outcome.say) == 1 and isinstance(outcome.say[0], Text) and replies:
            replies = with_preface(replies, outcome.say[0].body)
        else:
            replies = (*outcome.say, *replies)
        return Decision(conversation=conversation, replies=replies, commands=outcome.commands)
    if outcome.goto not in declared:
        defect = f"{conversation.place} -> {outcome.goto} is not declared in the table"
        fallback = _fallback(turn.conversation, turn.event, turn.policy)
        return replace(fallback, defects=(defect,))
    flow, state = qualify(conversation.place.flow, outcome.goto)
    target = Place(flow=flow, state=state)
    if state not in FLOWS[flow].states:
        return replace(
            _fallback(turn.conversation, turn.event, turn.policy),
            defects=(f"no state {target}",),
        )
    return _enter(replace(turn, conversation=conversation), target, outcome)


def _enter(turn: Turn, target: Place, outcome: Outcome) -> Decision:
    """Move to `target` saying `outcome.say`; a state with an entry action runs it first, with
    the conversation as it was, and may move on (one hop, to a target it declares)."""
    conversation = turn.conversation
    entry = FLOWS[target.flow].state(target.state).on_enter
    if entry is not None:
        extra = entry.handler(turn)
        conversation = conversation.with_slots(**extra.slots) if extra.slots else conversation
        outcome = replace(
            outcome,
            say=(*outcome.say, *extra.say),
            commands=(*outcome.commands, *extra.commands),
            prompt=extra.prompt and outcome.prompt,
        )
        if extra.goto is not None and extra.goto in entry.goes_to:
            flow, state = qualify(target.flow, extra.goto)
            target = Place(flow=flow, state=state)
    moved, replies = _arrive(
        conversation,
        target,
        turn.policy,
        say=outcome.say,
        prompt=outcome.prompt,
        reset_trail=outcome.reset_trail,
        merge=outcome.merge,
    )
    return Decision(conversation=moved, replies=replies, commands=outcome.commands)


def _dispatch(
    conversation: Conversation,
    event: Event,
    now: datetime,
    policy: Policy,
    *,
    kind: str | None = None,
    misses: int = 0,
) -> Decision:
    """Run the current state's rule for the event (or for `kind`: LEAVE, CANCEL); an inbound
    message meets the house's manners (`_heard`), having missed `misses` times before."""
    place = conversation.place
    state = FLOWS[place.flow].states.get(place.state)
    if state is None:  # a state removed by an upgrade: start again at the menu
        return _to_main(conversation, policy, None)
    rule = state.rules.get(kind or event.kind) or state.rules.get(ANY)
    if rule is None and isinstance(event, InternalEvent):
        if state.attended:  # a person is in charge: the bot says nothing on its own
            return Decision(conversation=conversation)
        rule = next(
            (f.interrupts[event.kind] for f in FLOWS.values() if event.kind in f.interrupts), None
        )
        if rule is None:  # news for a place the conversation has left: nothing to say
            return Decision(conversation=conversation)
    turn = Turn(conversation=conversation, event=event, now=now, policy=policy)
    declared = (*rule.goes_to, *FLOWS[place.flow].shortcuts) if rule is not None else ()
    if not isinstance(event, InboundEvent) or kind is not None:
        if rule is None:
            return _fallback(conversation, event, policy)
        return _apply(turn, rule.handler(turn), declared)
    outcome, missed = _heard(turn, state, rule, misses)
    decision = _counted(_apply(turn, outcome, declared), missed, misses)
    if outcome.missed == "unclear" and isinstance(event, TextReceived):
        return replace(decision, not_understood=True)
    return decision


def step(conversation: Conversation, event: Event, now: datetime, policy: Policy) -> Decision:
    """Decide what one event does to one conversation. No I/O, no clock, no randomness."""
    if isinstance(event, ReactionReceived | IdentityChanged):
        return Decision(conversation=conversation)
    profile = event.sender.profile_name if isinstance(event, InboundEvent) else None
    previous_activity = conversation.last_activity_at
    current = replace(
        conversation,
        last_activity_at=now if isinstance(event, InboundEvent) else previous_activity,
        profile_name=profile or conversation.profile_name,
    )
    misses = 0
    if isinstance(event, InboundEvent):
        misses = int(current.slots.get(MISSES) or 0)
        if MISSES in current.slots:  # a count goes on only with another miss
            current = current.without_slots(MISSES)
        if current.place == NEW:  # first contact: the table greets, whatever was said
            return _dispatch(current, event, now, policy)
        if (
            previous_activity is not None
            and now - previous_activity > policy.inactivity_timeout
            and current.place not in AT_REST
            and not _resting(current.place)
        ):
            return _to_main(current, policy, TEXTS["timed_out"])
        command = global_command(event)
        if command is not None and _attended(current.place):
            command = "menu" if command == "menu" else None  # the rest is said to the person
            if command is not None:
                return _dispatch(current, event, now, policy, kind=LEAVE)
        if command is not None:
            return _global(Turn(conversation=current, event=event, now=now, policy=policy), command)
    return _dispatch(current, event, now, policy, misses=misses)


def _attended(place: Place) -> bool:
    state = FLOWS[place.flow].states.get(place.state)
    return state is not None and state.attended


def _resting(place: Place) -> bool:
    state = FLOWS[place.flow].states.get(place.state)
    return state is not None and state.resting
