"""The summary ("Confira…"), its confirmation, and the list of answers to correct.

Confirming qualifies the lead and shows the offer at once, so both statuses are recorded in the
same step: `qualified`, then `offered`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import is_no, is_yes, says
from dresbach.features.techops.flow.labels import AREA_NAMES, FIELDS, SIZES, URGENCIES
from dresbach.features.techops.flow.prices import priced
from dresbach.features.techops.flow.questions import unclear
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.documents import Document, DocumentError
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, ListMenu, ListRow, ListSection, Message
from dresbach.kernel.policy import Policy

SHORT_DESCRIPTION = 280
_QUESTION_MARKS = re.compile(r"\s*[?¿]+")

FIELD_STATES: dict[str, str] = {
    "area": TechOps.START,
    "description": TechOps.DESCRIPTION,
    "company": TechOps.COMPANY,
    "size": TechOps.SIZE,
    "urgency": TechOps.URGENCY,
    "email": TechOps.EMAIL,
    "name": TechOps.NAME,
    "cnpj": TechOps.CNPJ_CHOICE,
}

REQUIRED = tuple(key for key in lead.ANSWERS if key != lead.CNPJ)


def echo(words: str) -> str:
    """The customer's words as the summary repeats them: with their question marks turned into
    full stops, so that the summary still asks one question only ("Está tudo certo?")."""
    return _QUESTION_MARKS.sub(".", words)


def shortened(description: str) -> str:
    """The description as the summary shows it: its start, when it is long."""
    description = echo(description)
    if len(description) <= SHORT_DESCRIPTION:
        return description
    return description[: SHORT_DESCRIPTION - 1].rstrip() + "…"


def echoed_forms(words: str) -> tuple[str, ...]:
    """Every form in which the summary may show the customer's words (for the guard)."""
    return (words, echo(words), shortened(words))


def formatted_cnpj(value: str | None) -> str:
    """In full: the customer checks what they typed (it is their chat). The runtime keeps the
    message masked at rest, with the clear one sealed until it is sent; leads keep it masked."""
    if not value:
        return TEXTS["no_cnpj"]
    try:
        return Document(kind="cnpj", value=value).formatted
    except DocumentError:  # pragma: no cover - only valid numbers are kept
        return "**.***.***/****-**"


def summary_body(slots: Mapping[str, Any]) -> str:
    def shown(key: str, labels: Mapping[str, str] | None = None) -> str:
        value = slots.get(key)
        if not value:
            return TEXTS["missing"]
        return labels.get(value, str(value)) if labels else str(value)

    return TEXTS["summary"].format(
        area=shown(lead.AREA, AREA_NAMES),
        description=shortened(shown(lead.DESCRIPTION)),
        company=echo(shown(lead.COMPANY)),
        size=shown(lead.SIZE, SIZES),
        urgency=shown(lead.URGENCY, URGENCIES),
        email=shown(lead.EMAIL),
        name=shown(lead.NAME),
        cnpj=formatted_cnpj(slots.get(lead.CNPJ)),
    )


def summary_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    body = summary_body(conversation.slots)
    buttons = (
        Button(id="summary:ok", title=BUTTONS["summary_ok"]),
        Button(id="summary:fix", title=BUTTONS["summary_fix"]),
    )
    # Fits one interactive body (1024): the answers are bounded and the description shortened.
    return (Buttons(body=f"{body}\n\n{TEXTS['summary_question']}", buttons=buttons),)


def confirm(turn: Turn) -> Outcome:
    """The summary is right: record the lead as qualified and offered, show the offer."""
    if any(not turn.slots.get(key) for key in REQUIRED):
        return Outcome(goto=TechOps.FIX, slots={lead.FIXING: False})
    fee = lead.fee_of(turn.policy, turn.slots[lead.AREA])
    changes: dict[str, Any] = {
        lead.FIXING: False,
        lead.OFFERED: True,
        lead.FEE: str(fee) if fee is not None else None,
    }
    status = turn.slots.get(lead.STATUS)
    commands = []
    if status not in ("qualified", "offered"):
        command, remembered = lead.record(turn, "qualified")
        commands.append(command)
        changes.update(remembered)
    if status != "offered" or lead.answers(turn.slots) != turn.slots.get(lead.RECORDED):
        command, remembered = lead.record(turn, "offered")
        commands.append(command)
        changes.update(remembered)
    return Outcome(goto=TechOps.OFFER, slots=changes, commands=tuple(commands))


def _fix(turn: Turn) -> Outcome:
    return Outcome(goto=TechOps.FIX)


def _summary_tapped(turn: Turn) -> Outcome:
    choice = choice_of(turn, "summary:")
    if choice == "ok":
        return confirm(turn)
    if choice == "fix":
        return _fix(turn)
    return unclear(TEXTS["summary_reask"])


def _summary_typed(typed: str, turn: Turn) -> Outcome:
    if is_yes(typed):
        return confirm(turn)
    if is_no(typed) or says(typed, "corrigir", "alterar", "mudar", "errado", "trocar"):
        return _fix(turn)
    return unclear(TEXTS["summary_reask"])


# -- corrections ------------------------------------------------------------------------------

_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "area": ("area",),
    "description": ("situacao", "descricao", "problema"),
    "company": ("empresa", "nome da empresa"),
    "size": ("porte", "tamanho", "pessoas", "funcionarios"),
    "urgency": ("urgencia", "prazo"),
    "email": ("email", "e mail"),
    "name": ("nome", "meu nome"),
    "cnpj": ("cnpj",),
}


def fix_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    rows = tuple(ListRow(id=f"fix:{key}", title=title) for key, title in FIELDS.items())
    section = ListSection(title=None, rows=rows)
    return (ListMenu(body=TEXTS["fix"], button=TEXTS["fix_button"], sections=(section,)),)


def _correct(field: str | None) -> Outcome:
    if field not in FIELD_STATES:
        return unclear(TEXTS["fix_reask"])
    return Outcome(goto=FIELD_STATES[field], slots={lead.FIXING: True})


def _fix_tapped(turn: Turn) -> Outcome:
    return _correct(choice_of(turn, "fix:"))


def _fix_typed(typed: str, _turn: Turn) -> Outcome:
    found = [f for f, words in _FIELD_WORDS.items() if says(typed, *words)]
    if "company" in found and "name" in found:  # "nome da empresa"
        found.remove("name")
    return _correct(found[0] if len(found) == 1 else None)


_TO_FIELDS = tuple(dict.fromkeys(FIELD_STATES.values()))

STATES: tuple[State, ...] = (
    State(
        name=TechOps.SUMMARY,
        prompt=summary_prompt,
        rules={
            "choice": Rule(handler=_summary_tapped, goes_to=(TechOps.OFFER, TechOps.FIX)),
            "text": Rule(handler=priced(_summary_typed), goes_to=(TechOps.OFFER, TechOps.FIX)),
        },
    ),
    State(
        name=TechOps.FIX,
        prompt=fix_prompt,
        rules={
            "choice": Rule(handler=_fix_tapped, goes_to=_TO_FIELDS),
            "text": Rule(handler=priced(_fix_typed), goes_to=_TO_FIELDS),
        },
    ),
)
