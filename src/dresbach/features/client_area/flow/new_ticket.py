"""A new ticket, one question per message: the department, the subject, then the message.

    tickets → department → ticket_subject → ticket_message → opening_ticket ─ticket_opened─▶ home
    tickets → ticket_form ─flow_reply─▶ finishing_ticket ─flow_ticket_finished─▶ home
                          └"Digitar aqui"▶ department (the chat version)

With a ticket Flow published and its key loaded (`Policy.ticket_flow_id`), "Abrir novo chamado"
sends the Flow (WhatsApp's own form: department, subject and message at once, checked and
opened by `features/client_area/ticket_form.py`) and a "Digitar aqui" button for the chat
version. The Flow's completion (`flow_reply`) hands its token to `FinishFlowTicket`, which tells
the conversation, in the chat version's words, only what the Flow opened for this session.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import MISSED, tapped, typed, unclear
from dresbach.features.client_area.flow.display import clip, text_prompt
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.flow.tickets import TEXT_MAX, file_rule, sending, written
from dresbach.features.client_area.login.steps import flow_token_of
from dresbach.features.client_area.model import (
    ClientDataUnavailable,
    FinishFlowTicket,
    FlowTicketFinished,
    OpenTicket,
    TicketOpened,
)
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import FlowCompleted
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, FlowInvite, Message, Text
from dresbach.kernel.policy import Policy

SUBJECT_MIN = 3
SUBJECT_MAX = 120
MESSAGE_MIN = 10
OPENING = "ticket_open"
FLOW_OPENING = "ticket_flow"
TYPE_HERE = Button(id="ca:tk:type_here", title=BUTTONS["type_here"])
AREA = Button(id="ca:area", title=BUTTONS["area"])
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


def one_line(text: str) -> str:
    """A subject as it is taken: every run of spaces and line breaks as one space."""
    return _SPACES.sub(" ", text)


def _subject(turn: Turn) -> Outcome:
    subject = written(one_line(typed(turn) or ""), SUBJECT_MIN, SUBJECT_MAX)
    if isinstance(subject, Outcome):
        return subject
    return Outcome(goto=ClientArea.TICKET_MESSAGE, slots={s.SUBJECT: subject, s.FILES: None})


def _message(turn: Turn) -> Outcome:
    message = written(typed(turn) or "", MESSAGE_MIN, TEXT_MAX)
    if isinstance(message, Outcome):
        return message
    return _open(turn, message, s.files(turn.slots))


def _open(turn: Turn, message: str, attached: tuple[str, ...]) -> Outcome:
    command = OpenTicket(
        command_id=f"{event_key(turn.event)}:ticket",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        department_id=s.text(turn.slots, s.DEPARTMENT),
        subject=s.text(turn.slots, s.SUBJECT),
        message=message,
        attachments=attached,
    )
    return Outcome(
        goto=ClientArea.OPENING_TICKET,
        slots={s.WAITING: OPENING, s.SUBJECT: None, s.FILES: None},
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


# -- the ticket Flow ----------------------------------------------------------------------------


def form_prompt(_conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    chat = Buttons(body=TEXTS["ticket_flow_or_chat"], buttons=(TYPE_HERE, AREA))
    if not policy.ticket_flow_id:  # unpublished meanwhile: the chat version only
        return (chat,)
    invite = FlowInvite(
        body=TEXTS["ticket_flow"],
        cta=BUTTONS["open_ticket"],
        flow_id=policy.ticket_flow_id,
        purpose="ticket",
    )
    return (invite, chat)


def _form_tapped(turn: Turn) -> Outcome:
    """ "Digitar aqui": the chat version (the departments, then one question per message)."""
    if tapped(turn) == TYPE_HERE.id:
        return loading.fetch(turn, "departments", ClientArea.DEPARTMENT)
    return MISSED  # a section named, or this screen's options in brief (`navigation`)


def _form_replied(turn: Turn) -> Outcome:
    """The ticket Flow was completed: only its token counts (what the Flow opened is looked up
    by it, for this session's client); the rest of the reply is not read."""
    event = turn.event
    assert isinstance(event, FlowCompleted)
    token = flow_token_of(event.response_json)
    if token is None:
        return unclear(TEXTS["options_reask"])
    command = FinishFlowTicket(
        command_id=f"{event_key(event)}:ticket_flow",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        flow_token=token,
    )
    return Outcome(
        goto=ClientArea.FINISHING_TICKET, slots={s.WAITING: FLOW_OPENING}, commands=(command,)
    )


def _form_finished(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, FlowTicketFinished)
    if turn.slots.get(s.WAITING) != FLOW_OPENING:
        return loading.silent()
    if event.result == "opened":
        text = TEXTS["ticket_opened"].format(
            number=clip(event.number, 40), department=clip(event.department, 80) or "—"
        )
        return Outcome(
            goto=ClientArea.HOME,
            say=(Text(body=text),),
            slots={s.WAITING: None},
            reset_trail=True,
        )
    return Outcome(
        goto=ClientArea.TICKET_FORM,
        say=(Text(body=TEXTS["ticket_flow_expired"]),),
        slots={s.WAITING: None},
    )


def _replied_elsewhere(turn: Turn) -> Outcome:
    """A ticket Flow completed while the customer is on another screen of the area: its
    completion is checked all the same (the ticket was opened when the Flow was sent)."""
    event = turn.event
    assert isinstance(event, FlowCompleted)
    if _outcome_of(event.response_json) != "ticket_opened":
        return MISSED
    return _form_replied(turn)


def _outcome_of(response_json: str) -> str | None:
    try:
        response = json.loads(response_json)
    except ValueError:
        return None
    outcome = response.get("outcome") if isinstance(response, dict) else None
    return outcome if isinstance(outcome, str) else None


ELSEWHERE = Rule(handler=_replied_elsewhere, goes_to=(ClientArea.FINISHING_TICKET,))


def completed_anywhere(state: State) -> State:
    """`state` taking a ticket Flow's completion, unless it reads completions itself."""
    if "flow_reply" in state.rules:
        return state
    return replace(state, rules={**state.rules, "flow_reply": ELSEWHERE})


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
        rules={
            "text": Rule(handler=_message, goes_to=(ClientArea.OPENING_TICKET,)),
            "media": file_rule(_open, MESSAGE_MIN, ClientArea.OPENING_TICKET),
        },
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
    State(
        name=ClientArea.TICKET_FORM,
        prompt=form_prompt,
        rules={
            "choice": Rule(handler=_form_tapped, goes_to=(ClientArea.DEPARTMENT,)),
            "text": Rule(handler=_form_tapped, goes_to=(ClientArea.DEPARTMENT,)),
            "flow_reply": Rule(handler=_form_replied, goes_to=(ClientArea.FINISHING_TICKET,)),
        },
    ),
    State(
        name=ClientArea.FINISHING_TICKET,
        prompt=text_prompt("opening_ticket"),
        rules={
            "flow_ticket_finished": Rule(
                handler=_form_finished, goes_to=(ClientArea.HOME, ClientArea.TICKET_FORM)
            ),
            "text": SENDING,
            "choice": SENDING,
        },
        resting=True,
    ),
)
