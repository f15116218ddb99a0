"""Correction (LGPD art. 18 III): first what we hold is counted (nothing to correct is said at
once, never after the new value was asked for), then which field, then its new value, one
question per message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dresbach.features.privacy.flow.answers import OPTION_PREFIX, field_of
from dresbach.features.privacy.flow.prompts import say
from dresbach.features.privacy.flow.texts import BUTTONS, FIELD_NAMES, HELD, TEXTS
from dresbach.features.privacy.model import (
    CorrectableDataCounted,
    CorrectPersonalData,
    CountCorrectableData,
    PersonalDataCorrected,
)
from dresbach.features.privacy.states import Elsewhere, Privacy
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import email_of, event_key, name_of
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy

HELD_SLOT = "privacy.correctable"
"""The fields this user's records hold (`name`, `email`), as counted when they asked."""


def check(turn: Turn) -> Outcome:
    """ "Corrigir meus dados": count what we hold before asking anything."""
    command = CountCorrectableData(command_id=f"{event_key(turn.event)}:privacy:count")
    return Outcome(goto=Privacy.CORRECT_CHECKING, commands=(command,), slots={HELD_SLOT: None})


def counted(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, CorrectableDataCounted):  # pragma: no cover - the table's kind
        return Outcome(prompt=False)
    held = [field for field, count in (("name", event.names), ("email", event.emails)) if count]
    if not held:
        return Outcome(goto=Privacy.START, say=(say("correct_nothing", turn.policy),))
    return Outcome(goto=Privacy.CORRECT_WHICH, slots={HELD_SLOT: held})


def _held(slots: Mapping[str, Any]) -> list[str]:
    found = slots.get(HELD_SLOT)
    return [f for f in ("name", "email") if isinstance(found, list) and f in found]


def which_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    held = _held(conversation.slots)
    named = HELD["both"] if len(held) == 2 else HELD[held[0]] if held else HELD["both"]
    keys = (*held, "other") if held else ("name", "email", "other")
    buttons = tuple(Button(id=f"{OPTION_PREFIX}{k}", title=BUTTONS[k]) for k in keys)
    return (Buttons(body=TEXTS["correct_which"].format(held=named), buttons=buttons),)


def which(turn: Turn) -> Outcome:
    field = field_of(turn.event)
    if field in ("name", "email") and field not in _held(turn.slots):
        absent = TEXTS["correct_absent"].format(field=FIELD_NAMES[field])
        return Outcome(say=(Text(body=absent),))
    if field == "name":
        return Outcome(goto=Privacy.CORRECT_NAME)
    if field == "email":
        return Outcome(goto=Privacy.CORRECT_EMAIL)
    if field == "other":
        return Outcome(goto=Privacy.START, say=(say("correct_other", turn.policy),))
    return Outcome(say=(say("not_understood", turn.policy),), missed="unclear")


def _record(turn: Turn, field: str, value: str) -> Outcome:
    command = CorrectPersonalData(
        command_id=f"{event_key(turn.event)}:privacy:correct",
        field="name" if field == "name" else "email",
        value=value,
    )
    return Outcome(goto=Privacy.CORRECTING, commands=(command,))


def new_name(turn: Turn) -> Outcome:
    event = turn.event
    name = name_of(event.body) if isinstance(event, TextReceived) else None
    if name is None:
        return Outcome(say=(say("bad_name", turn.policy),), prompt=False)
    return _record(turn, "name", name)


def new_email(turn: Turn) -> Outcome:
    event = turn.event
    email = email_of(event.body) if isinstance(event, TextReceived) else None
    if email is None:
        return Outcome(say=(say("bad_email", turn.policy),), prompt=False)
    return _record(turn, "email", email)


def _told(turn: Turn) -> tuple[Message, ...]:
    event = turn.event
    if not isinstance(event, PersonalDataCorrected):
        return ()
    field = FIELD_NAMES[event.field]
    if event.records == 0:
        body = TEXTS["corrected_none"].format(field=field)
    elif event.records == 1:
        body = TEXTS["corrected_one"].format(field=field)
    else:
        body = TEXTS["corrected_many"].format(field=field, count=event.records)
    return (Text(body=body),)


def corrected(turn: Turn) -> Outcome:
    """Done: say what changed, then the main menu."""
    return Outcome(goto=Elsewhere.MENU_MAIN, say=_told(turn), reset_trail=True)


def corrected_elsewhere(turn: Turn) -> Outcome:
    """Done while the customer was elsewhere: say it where they are."""
    return Outcome(say=_told(turn), prompt=False)
