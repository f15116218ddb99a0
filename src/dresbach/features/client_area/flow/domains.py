"""Domínios e DNS: the domains (expiry, nameservers) and one domain's records, a page at a time;
a domain registered with us also offers its changes (`domain_changes`).

Only the records a customer usually looks for are shown: A, AAAA, CNAME, MX and TXT.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    pay_elsewhere,
    tapped,
    typed,
    wants_more,
)
from dresbach.features.client_area.flow.display import clip, joined, lines
from dresbach.features.client_area.flow.labels import BUTTONS, FIELDS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import (
    Button,
    Buttons,
    Message,
    Text,
)
from dresbach.kernel.policy import Policy

RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT")
RECORDS_PER_PAGE = 10
PAGE = s.page_slot("dns")

MORE = Button(id="ca:dns:more", title=BUTTONS["more"])
CHANGE = Button(id="ca:dns:change", title=BUTTONS["domain_change"])
BACK = Button(id="ca:dns:back", title=BUTTONS["back"])
AREA = Button(id="ca:area", title=BUTTONS["area"])


def domains(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return s.items(slots, s.DOMAINS)


def _nameservers(domain: dict[str, str]) -> str:
    return ", ".join(ns.strip() for ns in domain.get("nameservers", "").split(",") if ns.strip())


def domain_row(domain: dict[str, str]) -> tuple[str, str]:
    expires = domain.get("expires", "")
    note = joined(domain.get("status", ""), f"expira {expires}" if expires else "")
    return domain.get("name", ""), joined(note, _nameservers(domain))


def _body(_slots: Mapping[str, Any], count: int) -> str:
    return TEXTS["domains"].format(count=count)


LISTING = Listing(
    name=ClientArea.DOMAINS,
    items=domains,
    row=domain_row,
    body=_body,
    button=TEXTS["domains_button"],
    parent=ClientArea.HOME,
    key="name",
    what="domains",
)


def _pick(turn: Turn, domain: dict[str, str]) -> Outcome:
    name = domain.get("name", "")
    return loading.fetch(turn, "dns", ClientArea.DNS, key=name, more={s.DOMAIN: name, PAGE: 0})


# -- one domain's records ---------------------------------------------------------------------


def records(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return [r for r in s.items(slots, s.DNS) if r.get("type", "").upper() in RECORD_TYPES]


def record_line(record: dict[str, str]) -> str:
    kind = record.get("type", "").upper()
    priority = record.get("priority", "")
    ttl = record.get("ttl", "")
    extra = joined(
        f"{FIELDS['priority']} {priority}" if kind == "MX" and priority else "",
        f"{FIELDS['ttl']} {ttl}" if ttl else "",
        sep=", ",
    )
    line = (
        f"• {kind} {clip(record.get('name', '') or '@', 80)} → {clip(record.get('value', ''), 160)}"
    )
    return f"{line} ({extra})" if extra else line


def _page(slots: Mapping[str, Any]) -> tuple[int, int, list[dict[str, str]]]:
    found = records(slots)
    pages = max(1, math.ceil(len(found) / RECORDS_PER_PAGE))
    page = slots.get(PAGE)
    page = min(max(page, 0), pages - 1) if isinstance(page, int) else 0
    return page, pages, found


def shown_domain(slots: Mapping[str, Any]) -> dict[str, str]:
    name = s.text(slots, s.DOMAIN)
    found = next((d for d in domains(slots) if d.get("name") == name), None)
    return found or {"name": name}


def dns_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    slots = conversation.slots
    if not loading.loaded(slots, "dns"):
        return (Text(body=TEXTS["loading_dns"]),)
    domain = shown_domain(slots)
    page, pages, found = _page(slots)
    header = [f"*{clip(domain.get('name', ''), 100)}*"]
    header += lines(domain, ("status", "expires"))
    if _nameservers(domain):
        header.append(f"{FIELDS['nameservers']}: {clip(_nameservers(domain), 300)}")
    first = page * RECORDS_PER_PAGE
    shown = found[first : first + RECORDS_PER_PAGE]
    if shown:
        title = TEXTS["dns_records"].format(
            first=first + 1, last=first + len(shown), count=len(found)
        )
        listing = "\n".join((title, *(record_line(r) for r in shown)))
        nav = TEXTS["dns_nav"].format(first=first + 1, last=first + len(shown), count=len(found))
    else:
        listing, nav = TEXTS["dns_empty"], TEXTS["dns_nav_empty"]
    more = page < pages - 1
    buttons: tuple[Button, ...] = (MORE, BACK, AREA) if more else (BACK, AREA)
    if domain.get("id"):  # a domain registered with us: its changes are one tap away
        buttons = (MORE, CHANGE, BACK) if more else (CHANGE, BACK, AREA)
    return (
        Text(body="\n".join(header) + "\n\n" + listing),
        Buttons(body=nav, buttons=buttons),
    )


def _turn(turn: Turn, step: int) -> Outcome:
    page, pages, _found = _page(turn.slots)
    if page + step < 0:
        return Outcome(goto=ClientArea.DOMAINS)
    return Outcome(slots={PAGE: min(page + step, pages - 1)})


def _tapped(turn: Turn) -> Outcome:
    if not loading.loaded(turn.slots, "dns"):
        return loading.while_loading(turn)
    choice = tapped(turn)
    if choice == MORE.id:
        return _turn(turn, 1)
    if choice == BACK.id:
        return _turn(turn, -1)
    if choice == AREA.id:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    if choice == CHANGE.id and shown_domain(turn.slots).get("id"):
        return Outcome(goto=ClientArea.DOMAIN_CHANGE)
    return MISSED


def _typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if not loading.loaded(turn.slots, "dns"):
        return loading.while_loading(turn)
    if asks_to_pay(text):
        return pay_elsewhere()
    if wants_more(text):
        return _turn(turn, 1)
    return MISSED


def _fetched(turn: Turn) -> Outcome:
    found = loading.arrived(turn, "dns")
    if found is None:
        return loading.silent()
    return Outcome(slots=loading.kept("dns", found, **{PAGE: 0}))


_TARGETS = (ClientArea.DOMAINS, ClientArea.HOME, ClientArea.DOMAIN_CHANGE)


STATES: tuple[State, ...] = (
    listing_state(LISTING, pick=_pick, picks_to=(ClientArea.DNS,), empty="domains_empty"),
    State(
        name=ClientArea.DNS,
        prompt=dns_prompt,
        rules={
            "choice": Rule(handler=_tapped, goes_to=_TARGETS),
            "text": Rule(handler=_typed, goes_to=_TARGETS),
            "client_data": Rule(handler=_fetched),
            "client_data_unavailable": loading.UNAVAILABLE,
        },
    ),
)
