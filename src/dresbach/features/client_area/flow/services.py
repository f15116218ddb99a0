"""Serviços ativos: the list (product, domain, status, next due date) and one service's details,
from which its panels can be opened (`access`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    pay_elsewhere,
    says,
    tapped,
    typed,
)
from dresbach.features.client_area.flow.display import clip, cut, joined, lines
from dresbach.features.client_area.flow.home import to_home
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.limits import INTERACTIVE_BODY
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message
from dresbach.kernel.policy import Policy

AREA = Button(id="ca:area", title=BUTTONS["area"])
TO_LIST = Button(id="ca:svc:list", title=BUTTONS["to_services"])
ACCESS = Button(id="ca:svc:access", title=BUTTONS["access"])


def services(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return s.items(slots, s.SERVICES)


def chosen(slots: Mapping[str, Any]) -> dict[str, str] | None:
    wanted = slots.get(s.SERVICE)
    return next((item for item in services(slots) if item.get("id") == wanted), None)


def name_of(service: dict[str, str]) -> str:
    return service.get("domain") or service.get("product") or service.get("id", "")


def mailboxes(service: dict[str, str]) -> list[str]:
    return [m.strip() for m in service.get("mailboxes", "").split(",") if m.strip()]


def service_row(service: dict[str, str]) -> tuple[str, str]:
    due = service.get("next_due", "")
    note = joined(
        service.get("product", "") if service.get("domain") else "",
        service.get("status", ""),
        f"vence {due}" if due else "",
    )
    return name_of(service), note


def services_body(_slots: Mapping[str, Any], count: int) -> str:
    return TEXTS["services"].format(count=count)


LISTING = Listing(
    name=ClientArea.SERVICES,
    items=services,
    row=service_row,
    body=services_body,
    button=TEXTS["services_button"],
    parent=ClientArea.HOME,
    what="services",
)


def _pick(_turn: Turn, service: dict[str, str]) -> Outcome:
    return Outcome(goto=ClientArea.SERVICE, slots={s.SERVICE: service.get("id")})


# -- one service --------------------------------------------------------------------------------


def details(service: dict[str, str]) -> str:
    found = dict(service)
    count = len(mailboxes(service))
    found["mailboxes"] = str(count) if count else ""
    shown = lines(found, ("domain", "status", "next_due", "username", "reseller", "mailboxes"))
    title = f"*{clip(service.get('product', '') or name_of(service), 100)}*"
    return "\n".join((title, *(clip(line, 120) for line in shown)))


def service_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    service = chosen(conversation.slots)
    if service is None:
        return (Buttons(body=TEXTS["service_missing"], buttons=(TO_LIST, AREA)),)
    question = TEXTS["service_question"]
    body = cut(details(service), INTERACTIVE_BODY - len(question) - 2)
    return (Buttons(body=f"{body}\n\n{question}", buttons=(ACCESS, TO_LIST, AREA)),)


def _service_choice(turn: Turn, choice: str | None) -> Outcome:
    if choice == "access" and chosen(turn.slots) is not None:
        return Outcome(goto=ClientArea.ACCESS_KIND)
    if choice == "list":
        return Outcome(goto=ClientArea.SERVICES)
    if choice == "area":
        return to_home(turn)
    return MISSED


def _service_tapped(turn: Turn) -> Outcome:
    if tapped(turn) == AREA.id:
        return to_home(turn)
    return _service_choice(turn, choice_of(turn, "ca:svc:"))


def _service_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "acessar", "acesso", "painel", "cpanel", "webmail", "whm"):
        return _service_choice(turn, "access")
    if says(text, "lista", "outros servicos", "servicos"):
        return _service_choice(turn, "list")
    return MISSED


_FROM_SERVICE = (ClientArea.ACCESS_KIND, ClientArea.SERVICES, ClientArea.HOME)

STATES: tuple[State, ...] = (
    listing_state(LISTING, pick=_pick, picks_to=(ClientArea.SERVICE,), empty="services_empty"),
    State(
        name=ClientArea.SERVICE,
        prompt=service_prompt,
        rules={
            "choice": Rule(handler=_service_tapped, goes_to=_FROM_SERVICE),
            "text": Rule(handler=_service_typed, goes_to=_FROM_SERVICE),
        },
    ),
)
