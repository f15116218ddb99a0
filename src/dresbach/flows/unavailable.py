"""The entry state of an area that is not open yet: says so plainly and offers a way on."""

from __future__ import annotations

from dresbach.domain.conversation import Conversation
from dresbach.domain.events import ButtonChosen, ListRowChosen
from dresbach.domain.messages import Button, Buttons, Message
from dresbach.domain.policy import Policy
from dresbach.flows.machine import Outcome, Rule, State, Turn

MENU = Button(id="go:menu", title="Menu principal")
HUMAN = Button(id="go:human", title="Falar com atendente")


def unavailable_state(notice: str, *, offer_human: bool = True) -> State:
    """A state that tells the area is not available yet, with buttons back to the menu."""
    buttons = (MENU, HUMAN) if offer_human else (MENU,)

    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        return (Buttons(body=notice, buttons=buttons),)

    def choose(turn: Turn) -> Outcome:
        event = turn.event
        if isinstance(event, ButtonChosen | ListRowChosen) and event.choice_id == HUMAN.id:
            return Outcome(goto="handoff.start")
        return Outcome(goto="menu.main")

    targets = ("menu.main", "handoff.start") if offer_human else ("menu.main",)
    rule = Rule(handler=choose, goes_to=targets)
    return State(name="start", prompt=prompt, rules={"choice": rule, "text": rule})
