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
from typing import TYPE_CHECKING

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
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.intents import courtesy
from dresbach.kernel.machine.listening import courtesy_answer as _courtesy
from dresbach.kernel.machine.listening import listened as _listened
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
from dresbach.kernel.messages import (
    Buttons,
    ListMenu,
    Message,
    Text,
    with_preface,
)
from dresbach.kernel.policy import Policy

if TYPE_CHECKING:
    from dresbach.kernel.machine.house import Machine

MISSES = "router.misses"
"""How many messages in a row were not understood (kept only while the count goes on)."""


def prompt_of(m: Machine, conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    place = conversation.place
    return m.flows[place.flow].state(place.state).prompt(conversation, policy)


def _arrive(
    m: Machine,
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
    at_rest = m.home.at_rest
    trail = () if reset_trail or place == m.home.main else conversation.trail
    if place != conversation.place and not reset_trail and conversation.place not in at_rest:
        trail = (*trail, conversation.place)
    if place.flow != conversation.place.flow and not m.flows[place.flow].keeps_trail:
        trail = ()
    moved = replace(conversation, place=place, trail=trail)
    replies = prompt_of(m, moved, policy) if prompt else ()
    if merge and len(say) == 1 and isinstance(say[0], Text) and replies:
        return moved, with_preface(replies, say[0].body)
    return moved, (*say, *replies)


def _to_main(
    m: Machine, conversation: Conversation, policy: Policy, preface: str | None
) -> Decision:
    cleared = replace(conversation, slots=MappingProxyType({}), trail=())
    moved, replies = _arrive(
        m,
        cleared,
        m.home.main,
        policy,
        say=(Text(body=preface),) if preface else (),
        reset_trail=True,
    )
    return Decision(conversation=moved, replies=replies)


def _global(m: Machine, turn: Turn, command: GlobalCommand) -> Decision:
    conversation, policy = turn.conversation, turn.policy
    if command.action == "menu":
        return _to_main(m, conversation, policy, None)
    if command.action == "cancel":
        return _cancel(m, turn)
    if command.action == "quit":
        cleared = replace(conversation, slots=MappingProxyType({}), trail=(), place=m.home.idle)
        return Decision(conversation=cleared, replies=prompt_of(m, cleared, policy))
    if command.action == "enter":
        assert command.flow is not None
        target = Place(flow=command.flow, state=m.flows[command.flow].entry)
        if not command.fresh:
            return _enter(m, turn, target, Outcome())
        # leaves what was under way, as `menu` does
        cleared = replace(conversation, slots=MappingProxyType({}), trail=())
        return _enter(m, replace(turn, conversation=cleared), target, Outcome(reset_trail=True))
    # back
    if not conversation.trail:
        if conversation.place in m.home.at_rest:
            return _to_main(m, conversation, policy, m.home.texts["at_start"])
        return _to_main(m, conversation, policy, None)
    previous = conversation.trail[-1]
    moved = replace(conversation, place=previous, trail=conversation.trail[:-1])
    return Decision(conversation=moved, replies=prompt_of(m, moved, policy))


def _cancel(m: Machine, turn: Turn) -> Decision:
    """`cancelar` says only what it did: the state's own CANCEL rule where cancelling means more
    than leaving (a booked meeting is asked about first), else back to the menu, saying whether
    something was dropped, or could not be undone (a resting state waits for news outside)."""
    conversation, policy, texts = turn.conversation, turn.policy, m.home.texts
    place = conversation.place
    state = m.flows[place.flow].states.get(place.state)
    if state is not None and CANCEL in state.rules:
        return _dispatch(m, conversation, turn.event, turn.now, policy, kind=CANCEL)
    if place in m.home.at_rest:
        return _to_main(m, conversation, policy, texts["nothing_to_cancel"])
    if state is not None and state.resting:
        return _to_main(m, conversation, policy, texts["cancelled_under_way"])
    return _to_main(m, conversation, policy, texts["cancelled"])


def _fallback(m: Machine, conversation: Conversation, event: Event, policy: Policy) -> Decision:
    """The answer to a defect (a move its table does not declare): as if not understood."""
    notice, miss = _notice(m, event)
    if miss == "unclear":
        notice = f"{m.home.texts['not_understood_opening']} {notice}"
    return Decision(
        conversation=conversation,
        replies=with_preface(prompt_of(m, conversation, policy), notice),
    )


def _notice(m: Machine, event: Event) -> tuple[str, Miss]:
    """No rule for this event here: a text not understood, or a kind of message not read."""
    texts, what = m.home.texts, m.home.what
    if isinstance(event, TextReceived):
        return texts["not_understood"], "unclear"
    kind = event.media_kind if isinstance(event, MediaReceived) else event.kind
    return texts["unsupported"].format(what=what.get(kind, what["unsupported"])), "invalid"


def _missed(m: Machine, event: Event) -> Outcome:
    notice, miss = _notice(m, event)
    return Outcome(say=(Text(body=notice),), missed=miss)


def _opened(m: Machine, outcome: Outcome, misses: int) -> tuple[Message, ...]:
    """An unclear miss's words, opened with "não entendi" the first time and "ainda não
    consegui entender" after (never the same apology twice in a row)."""
    opening = m.home.texts["still_not_understood" if misses else "not_understood_opening"]
    if not outcome.say:
        return (Text(body=opening),)
    first, rest = outcome.say[0], outcome.say[1:]
    if isinstance(first, Text | Buttons | ListMenu):
        return (replace(first, body=f"{opening} {first.body}"), *rest)
    return (Text(body=opening), *outcome.say)


def _heard(
    m: Machine, turn: Turn, state: State, rule: Rule | None, misses: int
) -> tuple[Outcome, bool]:
    """The state's outcome for an inbound message, with the house's manners: courtesy where
    the state would not take it (a sensitive state is asked first: a code is never thanks),
    and a miss opened as `_opened` says. Returns the outcome and whether it was a miss."""
    event, place = turn.event, turn.conversation.place
    kind = None
    if isinstance(event, TextReceived) and place != m.home.new and not state.attended:
        kind = courtesy(event.body)
        if kind == "greeting" and place == m.home.idle:  # the idle menu greets back on its own
            kind = None
        if kind and not state.sensitive and courtesy(event.body, agreeing=False):
            return _courtesy(m, turn, kind), False
    outcome = rule.handler(turn) if rule is not None else _missed(m, event)
    if outcome.missed and kind:
        return _courtesy(m, turn, kind), False
    if state.listens:
        outcome = _listened(m, turn, outcome)
    if outcome.missed == "unclear":
        outcome = replace(outcome, say=_opened(m, outcome, misses), merge=True)
    return outcome, outcome.missed is not None


def _counted(m: Machine, decision: Decision, missed: bool, misses: int) -> Decision:
    """Count a miss; from the second in a row, offer a person, in words and with a button."""
    if not missed:
        return decision
    count = misses + 1
    conversation = decision.conversation.with_slots(**{MISSES: count})
    replies = decision.replies
    if count >= 2:
        offer = Buttons(body=m.home.texts["offer_person"], buttons=(m.home.person,))
        replies = (*replies, offer)
    return replace(decision, conversation=conversation, replies=replies)


def _apply(m: Machine, turn: Turn, outcome: Outcome, declared: tuple[str, ...]) -> Decision:
    conversation = turn.conversation
    if outcome.slots:
        conversation = conversation.with_slots(**outcome.slots)
    if outcome.goto is None:
        replies = prompt_of(m, conversation, turn.policy) if outcome.prompt else ()
        if len(outcome.say) == 1 and isinstance(outcome.say[0], Text) and replies:
            replies = with_preface(replies, outcome.say[0].body)
        else:
            replies = (*outcome.say, *replies)
        return Decision(conversation=conversation, replies=replies, commands=outcome.commands)
    if outcome.goto not in declared:
        defect = f"{conversation.place} -> {outcome.goto} is not declared in the table"
        fallback = _fallback(m, turn.conversation, turn.event, turn.policy)
        return replace(fallback, defects=(defect,))
    flow, state = qualify(conversation.place.flow, outcome.goto)
    target = Place(flow=flow, state=state)
    if state not in m.flows[flow].states:
        return replace(
            _fallback(m, turn.conversation, turn.event, turn.policy),
            defects=(f"no state {target}",),
        )
    return _enter(m, replace(turn, conversation=conversation), target, outcome)


def _enter(m: Machine, turn: Turn, target: Place, outcome: Outcome) -> Decision:
    """Move to `target` saying `outcome.say`; a state with an entry action runs it first, with
    the conversation as it was, and may move on (one hop, to a target it declares)."""
    conversation = turn.conversation
    entry = m.flows[target.flow].state(target.state).on_enter
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
        m,
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
    m: Machine,
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
    state = m.flows[place.flow].states.get(place.state)
    if state is None:  # a state removed by an upgrade: start again at the menu
        return _to_main(m, conversation, policy, None)
    rule = state.rules.get(kind or event.kind) or state.rules.get(ANY)
    if rule is None and isinstance(event, InternalEvent):
        if state.attended:  # a person is in charge: the bot says nothing on its own
            return Decision(conversation=conversation)
        rule = next(
            (f.interrupts[event.kind] for f in m.flows.values() if event.kind in f.interrupts),
            None,
        )
        if rule is None:  # news for a place the conversation has left: nothing to say
            return Decision(conversation=conversation)
    turn = Turn(conversation=conversation, event=event, now=now, policy=policy)
    declared = (*rule.goes_to, *m.flows[place.flow].shortcuts) if rule is not None else ()
    if state.listens and m.understanding is not None:
        declared = (*declared, *m.understanding.goes_to(), str(m.home.main))
    if not isinstance(event, InboundEvent) or kind is not None:
        if rule is None:
            return _fallback(m, conversation, event, policy)
        return _apply(m, turn, rule.handler(turn), declared)
    outcome, missed = _heard(m, turn, state, rule, misses)
    decision = _counted(m, _apply(m, turn, outcome, declared), missed, misses)
    if outcome.missed == "unclear" and isinstance(event, TextReceived):
        return replace(decision, not_understood=True)
    return decision


def step(
    m: Machine, conversation: Conversation, event: Event, now: datetime, policy: Policy
) -> Decision:
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
        if current.place == m.home.new:  # first contact: the table greets, whatever was said
            return _dispatch(m, current, event, now, policy)
        if (
            previous_activity is not None
            and now - previous_activity > policy.inactivity_timeout
            and current.place not in m.home.at_rest
            and not _resting(m, current.place)
        ):
            return _to_main(m, current, policy, m.home.texts["timed_out"])
        command = m.command(event)
        if command is not None and _attended(m, current.place):
            # the rest is said to the person
            if command.action == "menu":
                return _dispatch(m, current, event, now, policy, kind=LEAVE)
            command = None
        if command is not None:
            turn = Turn(conversation=current, event=event, now=now, policy=policy)
            return _global(m, turn, command)
    return _dispatch(m, current, event, now, policy, misses=misses)


def _attended(m: Machine, place: Place) -> bool:
    state = m.flows[place.flow].states.get(place.state)
    return state is not None and state.attended


def _resting(m: Machine, place: Place) -> bool:
    state = m.flows[place.flow].states.get(place.state)
    return state is not None and state.resting
