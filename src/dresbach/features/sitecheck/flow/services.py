"""The site-down assistant after the login: the client's services with a site, listed (or a
domain typed over the list), the one picked checked with its account."""

from __future__ import annotations

from typing import Any, Final

from dresbach.features.client_area.flow import slots as area
from dresbach.features.client_area.model import ClientDataFetched
from dresbach.features.sitecheck.flow.model import SiteDown
from dresbach.features.sitecheck.flow.steps import SERVICES, WAITING, domain_of, run, typed
from dresbach.features.sitecheck.flow.texts import TEXTS
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.limits import ROW_DESCRIPTION, ROW_TITLE
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy

CHOICE: Final = "sd:svc:"
MAX_ROWS: Final = 10


def _services(slots: Any) -> list[dict[str, str]] | None:
    value = slots.get(SERVICES)
    return (
        [dict(item) for item in value if isinstance(item, dict)]
        if isinstance(value, list)
        else None
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def services_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    found = _services(conversation.slots)
    if not found:
        return (Text(body=TEXTS["loading_services"]),)
    rows = tuple(
        ListRow(
            id=f"{CHOICE}{item['id']}",
            title=_clip(item["domain"], ROW_TITLE),
            description=_clip(item.get("product", ""), ROW_DESCRIPTION) or None,
        )
        for item in found[:MAX_ROWS]
    )
    return (
        ListMenu(
            body=TEXTS["pick_service"],
            button=TEXTS["pick_button"],
            sections=(ListSection(title=None, rows=rows),),
        ),
    )


def listed(turn: Turn) -> Outcome:
    """The client's services arrived: the ones with a site, listed; none, the domain."""
    event = turn.event
    if (
        not isinstance(event, ClientDataFetched)
        or event.what != "services"
        or turn.slots.get(WAITING) != "services"
    ):
        return Outcome(prompt=False)
    found = [
        {"id": item["id"], "domain": item["domain"], "product": item.get("product", "")}
        for item in area.as_items(event.items)
        if item.get("id") and domain_of(item.get("domain", ""))
    ]
    if not found:
        return Outcome(goto=SiteDown.DOMAIN, slots={WAITING: None, SERVICES: []})
    return Outcome(slots={WAITING: None, SERVICES: found})


def unavailable(turn: Turn) -> Outcome:
    if turn.slots.get(WAITING) != "services":
        return Outcome(prompt=False)
    return Outcome(
        goto=SiteDown.DOMAIN,
        say=(Text(body=TEXTS["services_unavailable"]),),
        slots={WAITING: None, SERVICES: []},
    )


def picked(turn: Turn) -> Outcome:
    chosen = choice_of(turn, CHOICE)
    for item in _services(turn.slots) or []:
        if item["id"] == chosen:
            return run(turn, item["domain"], service_id=item["id"])
    return Outcome(missed="unclear")


def typed_service(turn: Turn) -> Outcome:
    """A domain typed over the list: its service when it is one of the client's."""
    domain = domain_of(typed(turn) or "")
    if domain is None:
        if turn.slots.get(WAITING) == "services":
            return Outcome(say=(Text(body=TEXTS["loading_services"]),), prompt=False)
        return Outcome(missed="invalid", say=(Text(body=TEXTS["invalid_domain"]),))
    site = domain.removeprefix("www.")
    for item in _services(turn.slots) or []:
        if item["domain"].lower().removeprefix("www.") == site:
            return run(turn, domain, service_id=item["id"])
    return run(turn, domain)
