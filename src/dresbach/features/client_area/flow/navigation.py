"""Typed words on every screen of the area after the login, the same everywhere by construction
(`understood` wraps each of those states in the table):

1. a button's or a row's own title typed back is that tap (read from the screen's prompt);
2. then the screen's own reading of the words ("responder", a domain's name, "mais"…);
3. what the screen did not understand (`MISSED`) may name a section of the area ("faturas",
   "domínios", "sair da área", "menu da área"): it opens from wherever the customer is, as the
   area's menu would open it (a tap on an older message's menu row does the same);
4. anything else the understanding tier may still understand (every such screen `listens`):
   "quero a 2a via do boleto" opens the invoices at once, the session being open;
5. what stays lost is answered briefly, with the screen's options and a short line, never the
   whole screen again (a page of DNS records is not sent twice).
"""

from __future__ import annotations

from dataclasses import replace

from dresbach.features.client_area.flow import home
from dresbach.features.client_area.flow.answers import MISSED, says, tapped, typed
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.machine.choices import brief as options_again
from dresbach.kernel.machine.choices import named, tap
from dresbach.kernel.machine.machine import Handler, Outcome, Rule, State, Turn

AREA_WORDS = ("menu da area", "inicio da area", "voltar para a area", "area do cliente")
SECTIONS: dict[str, tuple[str, ...]] = {**home.WORDS, "area": AREA_WORDS}
"""Each section of the area and the words that name it, from any screen."""

AREA_ID = "ca:area"
TARGETS = (*home.TARGETS, ClientArea.HOME)
"""Where a section named on any screen leads: the flow's shortcuts."""


def section_of(text: str) -> str | None:
    """The one section the words name, if exactly one."""
    found = [key for key, phrases in SECTIONS.items() if says(text, *phrases)]
    return found[0] if len(found) == 1 else None


def open_section(turn: Turn, section: str) -> Outcome:
    if section == "area":
        return home.to_home(turn)
    return home.OPENERS[section](turn)


def brief(state: State, turn: Turn) -> Outcome:
    """ "Não entendi" with the screen's options, not the screen; the whole screen again only
    where it offers nothing to tap."""
    shown = state.prompt(turn.conversation, turn.policy)
    if state.name == ClientArea.HOME:
        again = options_again(shown, buttons=TEXTS["home_reask"], rows=TEXTS["home_reask"])
    else:
        again = options_again(shown, buttons=TEXTS["missed_buttons"], rows=TEXTS["missed_list"])
    return Outcome(say=again, prompt=False, missed="unclear") if again else MISSED


def _on_text(state: State, own: Handler, on_choice: Handler) -> Handler:
    def handler(turn: Turn) -> Outcome:
        event = turn.event
        if isinstance(event, TextReceived):
            option = named(event.body, state.prompt(turn.conversation, turn.policy))
            if option is not None:
                return on_choice(replace(turn, event=tap(event, option)))
        outcome = own(turn)
        if outcome is not MISSED:
            return outcome
        section = section_of(typed(turn) or "")
        return open_section(turn, section) if section else brief(state, turn)

    return handler


def _on_choice(state: State, own: Handler) -> Handler:
    def handler(turn: Turn) -> Outcome:
        outcome = own(turn)
        if outcome is not MISSED:
            return outcome
        section = choice_of(turn, "ca:home:") or ("area" if tapped(turn) == AREA_ID else None)
        return open_section(turn, section) if section in SECTIONS else brief(state, turn)

    return handler


def _widened(rule: Rule, handler: Handler, *more: str) -> Rule:
    """`rule` with `handler`; the sections are the flow's shortcuts, declared once."""
    return Rule(
        handler=handler, goes_to=tuple(dict.fromkeys((*rule.goes_to, *more))), label=rule.label
    )


def understood(state: State) -> State:
    """`state` reading typed words as every screen of the area does (see the module), and
    listening at the menu level."""
    text, choice = state.rules.get("text"), state.rules.get("choice")
    if choice is None or state.resting:  # free text (a reply, a subject) or a wait: as it is
        return state
    rules = dict(state.rules)
    rules["choice"] = _widened(choice, _on_choice(state, choice.handler))
    if text is not None:
        on_choice = rules["choice"]
        rules["text"] = _widened(
            text, _on_text(state, text.handler, on_choice.handler), *on_choice.goes_to
        )
    return replace(state, rules=rules, listens=True)
