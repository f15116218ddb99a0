"""How a question of the funnel is written: one state, one question, each answer validated.

An answer moves on to the next question, or back to the summary when the customer is correcting
that answer (`lead.FIXING`). A re-ask stays in the state; the router merges it into the question
it repeats, so re-ask texts state what went wrong and ask nothing themselves. Every typed answer
is first checked for a price question (`prices.priced`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.machine.machine import Handler, Outcome, Prompt, Rule, State, Turn
from dresbach.kernel.messages import ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy

Reader = Callable[[str, Turn], Outcome]
"""Reads a typed answer (the text, the turn) into an Outcome."""


def advance(turn: Turn, following: TechOps, changes: dict[str, Any]) -> Outcome:
    """Go on to the next question, or back to the summary after a correction."""
    if turn.slots.get(lead.FIXING):
        return Outcome(goto=TechOps.SUMMARY, slots={**changes, lead.FIXING: False})
    return Outcome(goto=following, slots=changes)


def reask(text: str, **slots: Any) -> Outcome:
    """Stay, say what was wrong; the question follows in the same message (a miss)."""
    return Outcome(say=(Text(body=text),), slots=slots, missed="invalid")


def unclear(text: str) -> Outcome:
    """Stay: not understood (the router says so), then what to do, then the question."""
    return Outcome(say=(Text(body=text),), missed="unclear")


def rows(prefix: str, titles: Mapping[str, str], notes: Mapping[str, str]) -> ListSection:
    """One list section with a row per option, ids `prefix + key`."""
    found = tuple(
        ListRow(id=f"{prefix}{key}", title=title, description=notes.get(key))
        for key, title in titles.items()
    )
    return ListSection(title=None, rows=found)


def text_prompt(key: str) -> Prompt:
    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        return (Text(body=TEXTS[key]),)

    return prompt


def typed_question(name: TechOps, read: Reader, *goes_to: TechOps) -> State:
    """A question answered in free text; its prompt is `TEXTS[name]`."""
    rule = Rule(handler=priced(read), goes_to=goes_to)
    return State(name=name, prompt=text_prompt(name), rules={"text": rule})


def options_question(
    name: TechOps, prompt: Prompt, tapped: Handler, read: Reader, *goes_to: TechOps
) -> State:
    """A question answered by tapping an option (or typing it)."""
    rules = {
        "choice": Rule(handler=tapped, goes_to=goes_to),
        "text": Rule(handler=priced(read), goes_to=goes_to),
    }
    return State(name=name, prompt=prompt, rules=rules)
