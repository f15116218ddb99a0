"""How a flow is written down: states, each with a prompt and a table `event kind -> Rule`.

A Rule names the states it may lead to, so the table itself is the picture of the flow: the
README diagrams, the reachability lint and the runtime check of every transition read it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from dresbach.kernel.commands import Command
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import Event
from dresbach.kernel.machine.states import States
from dresbach.kernel.messages import Message
from dresbach.kernel.policy import Policy

ANY = "*"
LEAVE = "leave"
"""The rule an attended state gives the global `menu` command (asked before leaving a person)."""
CANCEL = "cancel"
"""The rule a state gives the global `cancelar` where leaving is not all it means (a booked
meeting is asked about first); without one, `cancelar` leaves for the menu."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """What a handler sees: the conversation, the event, the time and the policy."""

    conversation: Conversation
    event: Event
    now: datetime
    policy: Policy

    @property
    def slots(self) -> Mapping[str, Any]:
        return self.conversation.slots


Miss = Literal["unclear", "invalid"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a handler decided. `goto` is a state of the same flow or `flow.state`; None stays.
    `say` goes before the prompt of the state reached (shown unless `prompt` is False)."""

    goto: str | None = None
    say: tuple[Message, ...] = ()
    slots: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    commands: tuple[Command, ...] = ()
    prompt: bool = True
    reset_trail: bool = False
    merge: bool = True
    """Merge a single `say` text into the prompt's first message (one bubble instead of two)."""
    missed: Miss | None = None
    """The message was not understood: "unclear" (the router opens `say` with "não entendi",
    said once: "ainda não consegui entender" after) or an answer that does not fit, "invalid"
    (`say` tells why). The router counts the misses in a row and, from the second on, offers a
    person: one mechanism for every state."""


Handler = Callable[[Turn], Outcome]
Prompt = Callable[[Conversation, Policy], tuple[Message, ...]]
Guard = Callable[[Conversation, Message], str | None]
"""A last check before a message leaves: returns why it must not be sent, or None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    handler: Handler
    goes_to: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    name: str
    prompt: Prompt
    rules: Mapping[str, Rule] = field(default_factory=lambda: MappingProxyType({}))
    resting: bool = False
    """A resting state waits for something outside the user (a payment, a human); the global
    commands are its way out."""
    sensitive: bool = False
    """What the user types here is a secret (a password, a code): the inbox keeps no copy."""
    attended: bool = False
    """A person is (or is about to be) in charge: the bot says nothing on its own here, news for
    other flows is held back, and the global commands other than `menu` are plain text."""
    listens: bool = False
    """Free text here is read at the menu level: what the state's own rules do not understand
    is given to the understanding tier (`routes`) before "não entendi"."""
    on_enter: Rule | None = None
    """An entry action: runs when the state is reached, with the conversation as it was before
    the move; its outcome adds slots, commands and words, and may move on (to its `goes_to`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    name: str
    title: str
    entry: str
    states: Mapping[str, State]
    guard: Guard | None = None
    interrupts: Mapping[str, Rule] = field(default_factory=lambda: MappingProxyType({}))
    """Internal events this flow answers wherever the conversation is (e.g. a payment confirmed
    after the customer went back to the menu). Other internal events without a rule in the
    current state are dropped silently, never answered with "não entendi"."""
    shortcuts: tuple[str, ...] = ()
    """States any state of this flow may lead to besides what its own rules declare: a section
    the customer names in words from any screen (the Área do Cliente). Drawn once, from
    anywhere."""
    names: type[States] | None = None
    """The enum of this flow's state names (`states.States`): the lint holds the table to it."""
    keeps_trail: bool = False
    """Entering this flow from another keeps the way back (`voltar` returns to where the
    customer was): the hand-off, which a person may close."""

    def state(self, name: str) -> State:
        return self.states[name]


def qualify(flow: str, target: str) -> tuple[str, str]:
    """`state` or `flow.state` as (flow, state)."""
    if "." in target:
        f, s = target.split(".", 1)
        return f, s
    return flow, str(target)  # a state's enum member, as the plain name it stands for


ANYWHERE = "anywhere"


def edges(flow: Flow) -> list[tuple[str, str, str, str]]:
    """Every declared transition as (from_state, event_kind, to_flow, to_state); interrupts
    and shortcuts come from ANYWHERE."""
    found = []
    for kind, rule in flow.interrupts.items():
        for target in rule.goes_to:
            to_flow, to_state = qualify(flow.name, target)
            found.append((ANYWHERE, rule.label or kind, to_flow, to_state))
    for target in flow.shortcuts:
        to_flow, to_state = qualify(flow.name, target)
        found.append((ANYWHERE, "atalho", to_flow, to_state))
    for state in flow.states.values():
        if state.on_enter is not None:
            for target in state.on_enter.goes_to:
                to_flow, to_state = qualify(flow.name, target)
                found.append((state.name, state.on_enter.label or "enter", to_flow, to_state))
        for kind, rule in state.rules.items():
            for target in rule.goes_to:
                to_flow, to_state = qualify(flow.name, target)
                found.append((state.name, rule.label or kind, to_flow, to_state))
    return found
