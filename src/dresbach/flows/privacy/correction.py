"""Correction (LGPD art. 18 III): which field, its new value, one question per message."""

from __future__ import annotations

from dresbach.domain.events import TextReceived
from dresbach.domain.messages import Message, Text
from dresbach.domain.privacy import CorrectPersonalData, PersonalDataCorrected
from dresbach.flows.machine import Outcome, Turn
from dresbach.flows.privacy.answers import email_of, field_of, name_of
from dresbach.flows.privacy.prompts import event_key, say
from dresbach.flows.privacy.texts import FIELD_NAMES, TEXTS


def which(turn: Turn) -> Outcome:
    field = field_of(turn.event)
    if field == "name":
        return Outcome(goto="correct_name")
    if field == "email":
        return Outcome(goto="correct_email")
    if field == "other":
        return Outcome(goto="start", say=(say("correct_other", turn.policy),))
    return Outcome(say=(say("not_understood", turn.policy),))


def _record(turn: Turn, field: str, value: str) -> Outcome:
    command = CorrectPersonalData(
        command_id=f"{event_key(turn.event)}:privacy:correct",
        field="name" if field == "name" else "email",
        value=value,
    )
    return Outcome(goto="correcting", commands=(command,))


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
    return Outcome(goto="menu.main", say=_told(turn), reset_trail=True)


def corrected_elsewhere(turn: Turn) -> Outcome:
    """Done while the customer was elsewhere: say it where they are."""
    return Outcome(say=_told(turn), prompt=False)
