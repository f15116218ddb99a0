"""Tickets: the customer's tickets with their status, one ticket's last replies, and a reply.

    home → tickets → ticket → ticket_reply → sending_reply ─ticket_replied─▶ home
    tickets → department → … (`new_ticket`)

The replies shown are the last three, cut, and cleaned like everything the systems send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    note,
    pay_elsewhere,
    reask,
    says,
    tapped,
    typed,
)
from dresbach.features.client_area.flow.display import clip, cut, joined, lines, text_prompt
from dresbach.features.client_area.flow.labels import BUTTONS, ROWS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.model import ClientDataUnavailable, ReplyTicket, TicketReplied
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import MediaReceived
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, ListRow, Message, Text
from dresbach.kernel.policy import Policy

LAST_REPLIES = 3
REPLY_SHOWN = 500
TEXT_MIN = 2
TEXT_MAX = 4000

NEW = ListRow(id="ca:tk:new", title=ROWS["new_ticket"], description=ROWS["new_ticket.note"])
NEW_WORDS = ("novo ticket", "abrir ticket", "abrir um ticket", "abrir chamado", "novo chamado")
REPLY = Button(id="ca:tk:reply", title=BUTTONS["reply"])
TO_TICKETS = Button(id="ca:tk:list", title=BUTTONS["to_tickets"])
AREA = Button(id="ca:area", title=BUTTONS["area"])


def tickets(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return s.items(slots, s.TICKETS)


def number_of(ticket: dict[str, str]) -> str:
    return clip(ticket.get("number", "") or ticket.get("id", ""), 40)


def ticket_row(ticket: dict[str, str]) -> tuple[str, str]:
    updated = ticket.get("updated", "")
    note = joined(
        ticket.get("status", ""),
        ticket.get("department", ""),
        f"atualizado em {updated}" if updated else "",
    )
    return f"#{number_of(ticket)} {ticket.get('subject', '')}", note


def _body(_slots: Mapping[str, Any], count: int) -> str:
    return TEXTS["tickets"].format(count=count) if count else TEXTS["tickets_empty"]


LISTING = Listing(
    name=ClientArea.TICKETS,
    items=tickets,
    row=ticket_row,
    body=_body,
    button=TEXTS["tickets_button"],
    parent=ClientArea.HOME,
    extra=(NEW,),
    what="tickets",
)


def _pick(turn: Turn, ticket: dict[str, str]) -> Outcome:
    key = ticket.get("id", "")
    return loading.fetch(turn, "ticket", ClientArea.TICKET, key=key, more={s.TICKET_ID: key})


def _new(turn: Turn, value: str) -> Outcome | None:
    if value == NEW.id or says(value, *NEW_WORDS) or value.strip() == NEW.title:
        if turn.policy.ticket_flow_id:  # the ticket Flow (`new_ticket`), the chat below it
            return Outcome(goto=ClientArea.TICKET_FORM)
        return loading.fetch(turn, "departments", ClientArea.DEPARTMENT)
    return None


# -- one ticket ---------------------------------------------------------------------------------


def _is_reply(item: dict[str, str]) -> bool:
    return item.get("kind") == "reply" or ("message" in item and "subject" not in item)


def ticket_of(slots: Mapping[str, Any]) -> dict[str, str]:
    """The ticket's own fields: from its details, else from the list."""
    wanted = s.text(slots, s.TICKET_ID)
    own = next((i for i in s.items(slots, s.TICKET) if not _is_reply(i)), None)
    listed = next((t for t in tickets(slots) if t.get("id") == wanted), {})
    return {**listed, **(own or {})} or {"id": wanted}


def details(slots: Mapping[str, Any]) -> str:
    ticket = ticket_of(slots)
    title = TEXTS["ticket_title"].format(
        number=number_of(ticket), subject=clip(ticket.get("subject", ""), 200)
    )
    parts = ["\n".join((title, *lines(ticket, ("status", "department", "updated"))))]
    replies = [i for i in s.items(slots, s.TICKET) if _is_reply(i)][-LAST_REPLIES:]
    if not replies:
        parts.append(TEXTS["ticket_no_replies"])
    else:
        parts.append(TEXTS["ticket_replies"])
        for reply in replies:
            who = joined(f"*{clip(reply.get('author', ''), 80)}*", clip(reply.get("when", ""), 40))
            parts.append(f"{who}\n{cut(reply.get('message', ''), REPLY_SHOWN)}")
    return "\n\n".join(parts)


def ticket_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    if not loading.loaded(conversation.slots, "ticket"):
        return (Text(body=TEXTS["loading_ticket"]),)
    return (
        Text(body=details(conversation.slots)),
        Buttons(body=TEXTS["ticket_question"], buttons=(REPLY, TO_TICKETS, AREA)),
    )


def _ticket_choice(turn: Turn, choice: str | None) -> Outcome:
    if not loading.loaded(turn.slots, "ticket"):
        return loading.while_loading(turn)
    if choice == REPLY.id:
        return Outcome(goto=ClientArea.TICKET_REPLY, slots={s.FILES: None})
    if choice == TO_TICKETS.id:
        return Outcome(goto=ClientArea.TICKETS)
    if choice == AREA.id:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    return MISSED


def _ticket_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if loading.loaded(turn.slots, "ticket") and asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "responder", "resposta"):
        return _ticket_choice(turn, REPLY.id)
    return _ticket_choice(turn, None)


def _ticket_fetched(turn: Turn) -> Outcome:
    found = loading.arrived(turn, "ticket")
    return Outcome(slots=loading.kept("ticket", found)) if found is not None else loading.silent()


# -- the reply ----------------------------------------------------------------------------------


def reply_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    number = number_of(ticket_of(conversation.slots))
    return (Text(body=TEXTS["ticket_reply"].format(number=number)),)


def refusal(text: str, minimum: int, maximum: int) -> str | None:
    """Why a text written for a ticket cannot be taken (pt-BR), or None when it can. The chat
    (`written`) and the ticket Flow (`ticket_form`) both check here."""
    body = text.strip()
    if len(body) < minimum:
        return TEXTS["text_short"]
    if len(body) > maximum:
        return TEXTS["text_long"].format(limit=maximum, length=len(body))
    return None


def written(text: str, minimum: int, maximum: int) -> str | Outcome:
    """The text, or the re-ask that says why it cannot be taken."""
    refused = refusal(text, minimum, maximum)
    if refused is not None:
        return reask(refused)
    return text.strip()


Take = Callable[[Turn, str, tuple[str, ...]], Outcome]


def file_rule(take: Take, minimum: int, goes_to: ClientArea) -> Rule:
    """A file sent while a ticket or a reply is written goes with it: with a caption long
    enough, the caption is the text and it is sent now; else it waits for the text."""

    def handler(turn: Turn) -> Outcome:
        event = turn.event
        assert isinstance(event, MediaReceived)
        attached = (*s.files(turn.slots), event.media_id)[-s.MAX_FILES :]
        caption = (event.caption or "").strip()
        if caption and refusal(caption, minimum, TEXT_MAX) is None:
            return take(turn, caption, attached)
        return Outcome(
            say=(Text(body=TEXTS["file_noted"]),), slots={s.FILES: list(attached)}, prompt=False
        )

    return Rule(handler=handler, goes_to=(goes_to,))


def _reply(turn: Turn) -> Outcome:
    body = written(typed(turn) or "", TEXT_MIN, TEXT_MAX)
    if isinstance(body, Outcome):
        return body
    return _send_reply(turn, body, s.files(turn.slots))


def _send_reply(turn: Turn, body: str, attached: tuple[str, ...]) -> Outcome:
    ticket_id = s.text(turn.slots, s.TICKET_ID)
    command = ReplyTicket(
        command_id=f"{event_key(turn.event)}:reply",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        ticket_id=ticket_id,
        message=body,
        attachments=attached,
    )
    return Outcome(
        goto=ClientArea.SENDING_REPLY,
        slots={s.WAITING: f"reply:{ticket_id}", s.FILES: None},
        commands=(command,),
    )


def _replied(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, TicketReplied)
    if turn.slots.get(s.WAITING) != f"reply:{event.ticket_id}":
        return loading.silent()
    number = number_of(ticket_of(turn.slots))
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=TEXTS["reply_sent"].format(number=number)),),
        slots={s.WAITING: None},
        reset_trail=True,
    )


def _reply_failed(turn: Turn) -> Outcome:
    waited = s.text(turn.slots, s.WAITING)
    if not isinstance(turn.event, ClientDataUnavailable) or not waited.startswith("reply:"):
        return loading.silent()
    return Outcome(
        goto=ClientArea.TICKET, say=(Text(body=TEXTS["reply_failed"]),), slots={s.WAITING: None}
    )


def sending(turn: Turn) -> Outcome:
    """Something said while a ticket or a reply is being sent."""
    text = typed(turn)
    if text is not None and asks_to_pay(text):
        return pay_elsewhere()
    return note(TEXTS["still_sending"])


_FROM_TICKET = (ClientArea.TICKET_REPLY, ClientArea.TICKETS, ClientArea.HOME)
SENDING = Rule(handler=sending)

STATES: tuple[State, ...] = (
    listing_state(
        LISTING,
        pick=_pick,
        picks_to=(ClientArea.TICKET,),
        extra=_new,
        extra_to=(ClientArea.DEPARTMENT, ClientArea.TICKET_FORM),
    ),
    State(
        name=ClientArea.TICKET,
        prompt=ticket_prompt,
        rules={
            "choice": Rule(
                handler=lambda turn: _ticket_choice(turn, tapped(turn)), goes_to=_FROM_TICKET
            ),
            "text": Rule(handler=_ticket_typed, goes_to=_FROM_TICKET),
            "client_data": Rule(handler=_ticket_fetched),
            "client_data_unavailable": loading.UNAVAILABLE,
        },
    ),
    State(
        name=ClientArea.TICKET_REPLY,
        prompt=reply_prompt,
        rules={
            "text": Rule(handler=_reply, goes_to=(ClientArea.SENDING_REPLY,)),
            "media": file_rule(_send_reply, TEXT_MIN, ClientArea.SENDING_REPLY),
        },
    ),
    State(
        name=ClientArea.SENDING_REPLY,
        prompt=text_prompt("sending_reply"),
        rules={
            "ticket_replied": Rule(handler=_replied, goes_to=(ClientArea.HOME,)),
            "client_data_unavailable": Rule(handler=_reply_failed, goes_to=(ClientArea.TICKET,)),
            "text": SENDING,
            "choice": SENDING,
        },
        resting=True,
    ),
)
