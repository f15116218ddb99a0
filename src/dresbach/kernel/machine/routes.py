"""Where an understood message leads: the destinations the features register for the intents
of the understanding tier, and the answers tried before a login.

The router asks the tier (`kernel.understanding`, trained once at start-up and handed over in
the `Machine`) in every state that listens at the menu level: after the exact words (global
commands, a number, a tap), before "não entendi". A sure intent goes to its route; two close
intents are offered as "Você quis dizer…?" with both as buttons (`intent:<name>`); a lost
message is not understood (the router's two-stage fallback: once, then a person).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from dresbach.kernel.events import ButtonChosen, Event, ListRowChosen, TextReceived
from dresbach.kernel.machine.machine import Handler, Outcome, Turn
from dresbach.kernel.messages import Button, Buttons
from dresbach.kernel.text import matches_any_phrase, normalize
from dresbach.kernel.understanding import Model, Sure, Thresholds, Unsure, decide

INTENT_PREFIX = "intent:"
"""The id of a "Você quis dizer…?" button: `intent:<name>`."""

COURTESY = ("greeting", "thanks")
"""Intents the house's manners answer wherever the conversation is (`router._courtesy`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """One intent's destination, registered by the feature that serves it. `goes_to` names
    every place (`flow.state`) the handler may lead to; `title` is the button offered when the
    tier hesitates between two (up to 20 characters)."""

    intent: str
    title: str
    handler: Handler
    goes_to: tuple[str, ...]
    words: tuple[str, ...] = ()
    """Exact phrases (normalized) that lead here before the tier is asked."""
    alone: tuple[str, ...] = ()
    """Phrases that lead here before the tier when they are the whole message ("já paguei",
    where "já paguei a fatura" is the tier's)."""
    after: tuple[str, ...] = ()
    """Exact phrases that lead here only when the tier is not sure of anything."""
    answer_first: bool = False
    """A ready answer (`Answers`) is tried first: the route would ask for a login."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Answers:
    """Ready answers to questions (the FAQ): `find` gives the outcome showing one, or None."""

    find: Callable[[Turn], Outcome | None]
    goes_to: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Ahead:
    """What goes before an intent's route and its ready answers while the records say so (an
    outage under way answers "meu site caiu" before any login): `answer` gives the outcome, or
    None to let the route go on. Registered by another feature than the route's."""

    intent: str
    answer: Callable[[Turn], Outcome | None]
    goes_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Understanding:
    """The trained tier and where each intent leads."""

    model: Model
    routes: Mapping[str, Route] = field(default_factory=lambda: MappingProxyType({}))
    answers: Answers | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    ahead: Mapping[str, tuple[Ahead, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """What goes first, by intent, in the features' order."""

    @classmethod
    def of(
        cls,
        model: Model,
        routes: Sequence[Route],
        answers: Sequence[Answers] = (),
        thresholds: Thresholds | None = None,
        ahead: Sequence[Ahead] = (),
    ) -> Understanding:
        found: dict[str, Route] = {}
        for route in routes:
            if route.intent in found:
                raise ValueError(f"intent {route.intent} routed twice")
            found[route.intent] = route
        if len(answers) > 1:
            raise ValueError("one feature gives ready answers, not several")
        first: dict[str, tuple[Ahead, ...]] = {}
        for before in ahead:
            if before.intent not in found:
                raise ValueError(f"{before.intent} goes first, but no route serves it")
            first[before.intent] = (*first.get(before.intent, ()), before)
        return cls(
            model=model,
            routes=MappingProxyType(found),
            answers=answers[0] if answers else None,
            thresholds=thresholds or Thresholds(),
            ahead=MappingProxyType(first),
        )

    def first(self, intent: str, turn: Turn) -> Outcome | None:
        """What goes before the route of `intent` now, if anything."""
        for before in self.ahead.get(intent, ()):
            outcome = before.answer(turn)
            if outcome is not None:
                return outcome
        return None

    def goes_to(self) -> tuple[str, ...]:
        """Every place an understood message may lead to, from a listening state."""
        targets = [t for route in self.routes.values() for t in route.goes_to]
        targets.extend(
            t for found in self.ahead.values() for before in found for t in before.goes_to
        )
        if self.answers is not None:
            targets.extend(self.answers.goes_to)
        return tuple(dict.fromkeys(targets))

    def intent_of(self, event: Event) -> str | Unsure | None:
        """What a message at the menu level asks for: a "Você quis dizer…?" button tapped, a
        route's exact words, the tier's sure intent, its two close guesses (both routed), a
        route's fallback words, or None (lost)."""
        if isinstance(event, ButtonChosen | ListRowChosen):
            chosen = event.choice_id.removeprefix(INTENT_PREFIX)
            return chosen if event.choice_id.startswith(INTENT_PREFIX) else None
        if not isinstance(event, TextReceived):
            return None
        typed = normalize(event.body)
        if not typed:
            return None
        routes = self.routes.values()
        for route in routes:
            if typed in route.alone or matches_any_phrase(typed, route.words):
                return route.intent
        decision = decide(self.model.rank(event.body), self.thresholds)
        if isinstance(decision, Sure):
            return decision.intent
        if isinstance(decision, Unsure) and all(i in self.routes for i in decision.intents):
            return decision
        for route in routes:
            if matches_any_phrase(typed, route.after):
                return route.intent
        return None

    def asked(self, unsure: Unsure, body: str) -> Outcome:
        """ "Você quis dizer…?" (`body`) with the two intents as buttons: one question."""
        buttons = tuple(
            Button(id=f"{INTENT_PREFIX}{i}", title=self.routes[i].title) for i in unsure.intents
        )
        return Outcome(say=(Buttons(body=body, buttons=buttons),), prompt=False)
