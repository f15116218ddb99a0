"""The menu level's reading of free text: the house's courtesy and the understanding tier.

A state that `listens` hands what its own rules did not understand to the tier (`routes`):
a sure intent goes to the route its feature registered, two close ones are asked about
("Você quis dizer…?"), a ready answer (the FAQ) comes before a login; what stays lost is the
router's "não entendi" (once, then a person is offered).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.machine import Outcome, Turn, qualify
from dresbach.kernel.machine.routes import COURTESY
from dresbach.kernel.messages import Text
from dresbach.kernel.understanding import Unsure

if TYPE_CHECKING:
    from dresbach.kernel.machine.house import Machine


def courtesy_answer(m: Machine, turn: Turn, kind: str) -> Outcome:
    """ "Boa tarde! 😊" to a greeting (the time of day, whatever the customer said), then what
    is open here again; "De nada!" to thanks, and nothing more (what is open is just above)."""
    texts = m.home.texts
    if kind == "thanks":
        key = "thanked_at_rest" if turn.conversation.place in m.home.at_rest else "thanked"
        return Outcome(say=(Text(body=texts[key]),), prompt=False)
    hello = m.home.time_of_day(turn.now)
    return Outcome(say=(Text(body=texts["greeted_back"].format(hello=hello)),))


def _stays(turn: Turn, outcome: Outcome) -> bool:
    """Whether an intent's route leads where the customer already is (the privacy menu asked
    for at the privacy menu): nothing new to say, so the state's own "não entendi" stands."""
    if outcome.goto is None:
        return False
    place = turn.conversation.place
    flow, state = qualify(place.flow, outcome.goto)
    return (flow, state) == (place.flow, place.state)


def _understood(m: Machine, turn: Turn, *, manners: bool = True) -> Outcome | None:
    """The understanding tier's outcome for a message at the menu level, or None when it
    understands nothing there (the state's "não entendi" stands). A ready answer (the FAQ) is
    tried first for what would ask for a login, and, at the menu, for what the tier did not
    understand (elsewhere the screen's own options answer better than a guess)."""
    u = m.understanding
    if u is None:
        return None
    intent = u.intent_of(turn.event)
    if isinstance(intent, Unsure):
        return u.asked(intent, m.home.texts["did_you_mean"])
    if isinstance(intent, str):
        first = u.first(intent, turn)
        if first is not None:
            return first
    answers = u.answers
    route = u.routes.get(intent) if intent is not None else None
    at_menu = turn.conversation.place in m.home.at_rest
    wants_answer = route.answer_first if route is not None else at_menu
    if answers is not None and wants_answer and isinstance(turn.event, TextReceived):
        answered = answers.find(turn)
        if answered is not None:
            return answered
    if route is not None:
        routed = route.handler(turn)
        return None if _stays(turn, routed) else routed
    if intent in COURTESY and manners:
        return courtesy_answer(m, turn, intent)
    return None


def listened(m: Machine, turn: Turn, outcome: Outcome) -> Outcome:
    """A listening state's outcome with the understanding tier: where its rule did not
    understand; at the first contact (the greeting kept) and after `sair`, before the rule's
    own way to the menu."""
    place = turn.conversation.place
    if place in (m.home.new, m.home.idle):
        command = m.command(turn.event)
        if command is not None and command.action != "enter":
            # "menu", "voltar", "sair", "cancelar" as a first message are the house's own words,
            # with nothing under way to leave: the greeting and the menu, never the tier's guess
            # (it took "menu" and "sair" for a person, "voltar" for a question)
            return outcome
        understood = _understood(m, turn, manners=False)
        if understood is None:
            return outcome
        if understood.goto is None:  # "Você quis dizer…?": asked at the menu
            understood = replace(understood, goto=str(m.home.main), prompt=False)
        say = outcome.say if place == m.home.new else ()
        return replace(understood, say=(*say, *understood.say), merge=False, reset_trail=True)
    if outcome.missed != "unclear":
        return outcome
    return _understood(m, turn) or outcome
