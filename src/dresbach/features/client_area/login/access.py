"""Acessos: a one-time login link to cPanel, Webmail (for one mailbox) or WHM (resellers only).

    home → access_service → access_kind → (mailbox) → opening_access ─access_link─▶ home

The link is shown once, with the time it expires in Brasília, and is never kept in the slots.
A demo link (the embedded panel) says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

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
from dresbach.features.client_area.flow.display import clip, local_time, text_prompt
from dresbach.features.client_area.flow.labels import ACCESS_NAMES, BUTTONS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.services import (
    AREA,
    chosen,
    mailboxes,
    name_of,
    service_row,
    services,
)
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.login.guard import payment_content
from dresbach.features.client_area.model import (
    AccessLinkReady,
    ClientDataUnavailable,
    RequestAccessLink,
)
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.limits import violations
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text, UrlButton
from dresbach.kernel.policy import Policy

Kind = Literal["cpanel", "webmail", "whm"]

KINDS: dict[Kind, Button] = {
    "cpanel": Button(id="ca:acc:cpanel", title=BUTTONS["cpanel"]),
    "webmail": Button(id="ca:acc:webmail", title=BUTTONS["webmail"]),
    "whm": Button(id="ca:acc:whm", title=BUTTONS["whm"]),
}


def reseller(service: dict[str, str]) -> bool:
    return service.get("reseller", "").strip().lower() == "sim"


# -- which service ------------------------------------------------------------------------------


def _access_body(_slots: Mapping[str, Any], _count: int) -> str:
    return TEXTS["access_service"]


SERVICE_LISTING = Listing(
    name=ClientArea.ACCESS_SERVICE,
    items=services,
    row=service_row,
    body=_access_body,
    button=TEXTS["services_button"],
    parent=ClientArea.HOME,
    what="services",
)


def _pick_service(_turn: Turn, service: dict[str, str]) -> Outcome:
    return Outcome(goto=ClientArea.ACCESS_KIND, slots={s.SERVICE: service.get("id")})


# -- which access -------------------------------------------------------------------------------


def kind_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    service = chosen(conversation.slots)
    if service is None:
        return (Buttons(body=TEXTS["service_missing"], buttons=(AREA,)),)
    kinds: tuple[Kind, ...] = (
        ("cpanel", "webmail", "whm") if reseller(service) else ("cpanel", "webmail")
    )
    body = TEXTS["access_kind"].format(service=clip(name_of(service), 100))
    return (Buttons(body=body, buttons=tuple(KINDS[k] for k in kinds)),)


def request(turn: Turn, kind: Kind, mailbox: str | None = None) -> Outcome:
    """Ask for the link and wait for it."""
    service = chosen(turn.slots)
    if service is None:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    command = RequestAccessLink(
        command_id=f"{event_key(turn.event)}:access:{kind}",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        service_id=service.get("id", ""),
        kind=kind,
        mailbox=mailbox,
    )
    what = f"{ACCESS_NAMES[kind]} de {clip(mailbox or name_of(service), 100)}"
    return Outcome(goto=ClientArea.OPENING_ACCESS, slots={s.ACCESS: what}, commands=(command,))


def _open(turn: Turn, kind: str | None) -> Outcome:
    service = chosen(turn.slots)
    if service is None:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    if kind == "cpanel":
        return request(turn, "cpanel")
    if kind == "whm":
        return request(turn, "whm") if reseller(service) else reask(TEXTS["no_whm"])
    if kind != "webmail":
        return MISSED
    boxes = mailboxes(service)
    if not boxes:
        return reask(TEXTS["no_mailboxes"])
    if len(boxes) == 1:
        return request(turn, "webmail", boxes[0])
    return Outcome(goto=ClientArea.MAILBOX, slots={s.page_slot("mailbox"): 0})


def _kind_tapped(turn: Turn) -> Outcome:
    if tapped(turn) == AREA.id:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    return _open(turn, choice_of(turn, "ca:acc:"))


def _kind_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    for kind, phrases in (
        ("cpanel", ("cpanel", "c panel", "painel")),
        ("webmail", ("webmail", "web mail", "email", "e mail")),
        ("whm", ("whm", "revenda")),
    ):
        if says(text, *phrases):
            return _open(turn, kind)
    return MISSED


# -- which mailbox ------------------------------------------------------------------------------


def _boxes(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    service = chosen(slots)
    return [{"id": box} for box in mailboxes(service)] if service else []


def _box_row(item: dict[str, str]) -> tuple[str, str]:
    box = item["id"]
    return box, box if len(box) > 24 else ""


def _mailbox_body(_slots: Mapping[str, Any], _count: int) -> str:
    return TEXTS["mailbox"]


MAILBOX_LISTING = Listing(
    name=ClientArea.MAILBOX,
    items=_boxes,
    row=_box_row,
    body=_mailbox_body,
    button=TEXTS["mailbox_button"],
    parent=ClientArea.ACCESS_KIND,
)


def _pick_box(turn: Turn, item: dict[str, str]) -> Outcome:
    return request(turn, "webmail", item["id"])


# -- the link -----------------------------------------------------------------------------------


def _ready(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, AccessLinkReady)
    what = s.text(turn.slots, s.ACCESS)
    if not what:
        return Outcome(prompt=False)
    if payment_content(event.url) is not None:  # never: a panel link is not a payment page
        return _failed(turn)
    return Outcome(
        goto=ClientArea.HOME,
        say=(_link(event, what),),
        slots={s.ACCESS: None},
        merge=False,
        reset_trail=True,
    )


def _link(event: AccessLinkReady, what: str) -> Message:
    """The link behind a button that opens it (WhatsApp's `cta_url`); as a text only where a
    button cannot hold it (not an http(s) link)."""
    words = {
        "what": what,
        "demo": TEXTS["demo"] if event.demo else "",
        "at_time": local_time(event.expires_at),
    }
    opens = BUTTONS.get(f"open_{event.kind_of_access}", BUTTONS["open_access"])
    button = UrlButton(
        body=TEXTS["access_button"].format(**words), display_text=opens, url=event.url
    )
    if violations(button):
        return Text(body=TEXTS["access_ready"].format(url=event.url, **words))
    return button


def _failed(turn: Turn) -> Outcome:
    if not isinstance(turn.event, ClientDataUnavailable | AccessLinkReady) or not s.text(
        turn.slots, s.ACCESS
    ):
        return Outcome(prompt=False)
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=TEXTS["access_unavailable"]),),
        slots={s.ACCESS: None},
        reset_trail=True,
    )


def _waiting(turn: Turn) -> Outcome:
    text = typed(turn)
    if text is not None and asks_to_pay(text):
        return pay_elsewhere()
    return note(TEXTS["still_loading"])


_KIND_TARGETS = (ClientArea.OPENING_ACCESS, ClientArea.MAILBOX, ClientArea.HOME)
_WAITING = Rule(handler=_waiting)

STATES: tuple[State, ...] = (
    listing_state(
        SERVICE_LISTING,
        pick=_pick_service,
        picks_to=(ClientArea.ACCESS_KIND,),
        empty="services_empty",
        single=True,
    ),
    State(
        name=ClientArea.ACCESS_KIND,
        prompt=kind_prompt,
        rules={
            "choice": Rule(handler=_kind_tapped, goes_to=_KIND_TARGETS),
            "text": Rule(handler=_kind_typed, goes_to=_KIND_TARGETS),
        },
    ),
    listing_state(
        MAILBOX_LISTING, pick=_pick_box, picks_to=(ClientArea.OPENING_ACCESS, ClientArea.HOME)
    ),
    State(
        name=ClientArea.OPENING_ACCESS,
        prompt=text_prompt("opening_access"),
        rules={
            "access_link": Rule(handler=_ready, goes_to=(ClientArea.HOME,)),
            "client_data_unavailable": Rule(handler=_failed, goes_to=(ClientArea.HOME,)),
            "text": _WAITING,
            "choice": _WAITING,
        },
        resting=True,
    ),
)
