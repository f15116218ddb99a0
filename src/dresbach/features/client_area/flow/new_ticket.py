"""A new ticket, one question per message: the department, the subject, then the message.

tickets → department → ticket_subject → ticket_message → opening_ticket ─ticket_opened─▶ home
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import typed
from dresbach.features.client_area.flow.display import clip, text_prompt
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.flow.tickets import TEXT_MAX, sending, written
from dresbach.features.client_area.model import ClientDataUnavailable, OpenTicket, TicketOpened
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Text

SUBJECT_MIN = 3
SUBJECT_MAX = 120
MESSAGE_MIN = 10
OPENING = "ticket_open"
_SPACES = re.compile(r"\s+")


def departments(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return s.items(slots, s.DEPARTMENTS)


def _row(department: dict[str, str]) -> tuple[str, str]:
    name = department.get("name", "")
    return name, name if len(name) > 24 else ""


def _body(_slots: Mapping[str, Any], _count: int) -> str:
    return TEXTS["department"]


LISTING = Listing(
    name=ClientArea.DEPARTMENT,
    items=departments,
    row=_row,
    body=_body,
    button=TEXTS["department_button"],
    parent=ClientArea.TICKETS,
    what="departments",
)


def _pick(_turn: Turn, department: dict[str, str]) -> Outcome:
    return Outcome(goto=ClientArea.TICKET_SUBJECT, slots={s.DEPARTMENT: department.get("id", "")})


def _subject(turn: Turn) -> Outcome:
    subject = written(_SPACES.sub(" ", typed(turn) or ""), SUBJECT_MIN, SUBJECT_MAX)
    if isinstance(subject, Outcome):
        return subject
    return Outcome(goto=ClientArea.TICKET_MESSAGE, slots={s.SUBJECT: subject})


def _message(turn: Turn) -> Outcome:
    message = written(typed(turn) or "", MESSAGE_MIN, TEXT_MAX)
    if isinstance(message, Outcome):
        return message
    command = OpenTicket(
        command_id=f"{event_key(turn.event)}:ticket",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        department_id=s.text(turn.slots, s.DEPARTMENT),
        subject=s.text(turn.slots, s.SUBJECT),
        message=message,
    )
    return Outcome(
        goto=ClientArea.OPENING_TICKET,
        slots={s.WAITING: OPENING, s.SUBJECT: None},
        commands=(command,),
    )


def _department_name(slots: Mapping[str, Any]) -> str:
    wanted = s.text(slots, s.DEPARTMENT)
    found = next((d for d in departments(slots) if d.get("id") == wanted), {})
    return clip(found.get("name", ""), 80) or "—"


def _opened(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, TicketOpened)
    if turn.slots.get(s.WAITING) != OPENING:
        return loading.silent()
    text = TEXTS["ticket_opened"].format(
        number=clip(event.number, 40), department=_department_name(turn.slots)
    )
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=text),),
        slots={s.WAITING: None, s.DEPARTMENT: None},
        reset_trail=True,
    )


def _failed(turn: Turn) -> Outcome:
    if not isinstance(turn.event, ClientDataUnavailable) or turn.slots.get(s.WAITING) != OPENING:
        return loading.silent()
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=TEXTS["ticket_failed"]),),
        slots={s.WAITING: None},
        reset_trail=True,
    )


SENDING = Rule(handler=sending)

STATES: tuple[State, ...] = (
    listing_state(
        LISTING,
        pick=_pick,
        picks_to=(ClientArea.TICKET_SUBJECT,),
        empty="departments_empty",
        single=True,
    ),
    State(
        name=ClientArea.TICKET_SUBJECT,
        prompt=text_prompt("ticket_subject"),
        rules={"text": Rule(handler=_subject, goes_to=(ClientArea.TICKET_MESSAGE,))},
    ),
    State(
        name=ClientArea.TICKET_MESSAGE,
        prompt=text_prompt("ticket_message"),
        rules={"text": Rule(handler=_message, goes_to=(ClientArea.OPENING_TICKET,))},
    ),
    State(
        name=ClientArea.OPENING_TICKET,
        prompt=text_prompt("opening_ticket"),
        rules={
            "ticket_opened": Rule(handler=_opened, goes_to=(ClientArea.HOME,)),
            "client_data_unavailable": Rule(handler=_failed, goes_to=(ClientArea.HOME,)),
            "text": SENDING,
            "choice": SENDING,
        },
        resting=True,
    ),
)
