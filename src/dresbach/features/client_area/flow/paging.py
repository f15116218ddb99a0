"""Lists of the customer's things (services, domains, tickets…) within WhatsApp's 10 rows.

A list that fits shows every item and a "Voltar" row. A longer one is paged: each page shows as
many items as fit beside "Ver mais" and "Voltar" (and any fixed row, such as "Abrir novo
ticket"); "Voltar" goes to the previous page, or out of the list from the first. The page is kept
in ``client_area.page.<list>``. Row ids name the item by its key, so a tap on an old message
still picks the right item, or is told the list changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    pay_elsewhere,
    reask,
    typed,
    wants_more,
)
from dresbach.features.client_area.flow.display import clip
from dresbach.features.client_area.flow.labels import ROWS
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.model import DataKind
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import ButtonChosen, ListRowChosen
from dresbach.kernel.limits import MAX_ROWS, ROW_DESCRIPTION, ROW_TITLE
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.machine.notices import heard, touching
from dresbach.kernel.messages import ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize

MORE = "ca:more"
BACK = "ca:back"
PICK = "ca:pick:"

Items = Callable[[Mapping[str, Any]], list[dict[str, str]]]
Pick = Callable[[Turn, dict[str, str]], Outcome]


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    name: ClientArea
    items: Items
    row: Callable[[dict[str, str]], tuple[str, str]]
    """The title and the description of an item's row (cut to the limits here)."""
    body: Callable[[Mapping[str, Any], int], str]
    """The list's text, given the slots and the number of items."""
    button: str
    parent: ClientArea
    """Where "Voltar" leads from the first page."""
    key: str = "id"
    extra: tuple[ListRow, ...] = ()
    what: DataKind | None = None
    """The data the list shows, when it is fetched on the way in."""


def row_ids(found: list[dict[str, str]], key: str) -> list[str]:
    """One id per item, from its key (made unique when the systems repeat one)."""
    ids: list[str] = []
    for index, item in enumerate(found):
        candidate = f"{PICK}{item.get(key, '')[:150] or index}"
        ids.append(candidate if candidate not in ids else f"{candidate}~{index}")
    return ids


def layout(count: int, extras: int) -> tuple[int, int]:
    """Items per page and number of pages, keeping "Voltar" (and "Ver mais") in 10 rows."""
    room = MAX_ROWS - extras - 1
    if count <= room:
        return room, 1
    per_page = room - 1
    return per_page, math.ceil(count / per_page)


def page_of(listing: Listing, slots: Mapping[str, Any], pages: int) -> int:
    page = slots.get(s.page_slot(listing.name))
    return min(max(page, 0), pages - 1) if isinstance(page, int) else 0


def rows_of(listing: Listing, slots: Mapping[str, Any]) -> tuple[tuple[ListRow, ...], int, int]:
    """The rows of the current page, the page (from 0) and the number of pages."""
    found = listing.items(slots)
    per_page, pages = layout(len(found), len(listing.extra))
    page = page_of(listing, slots, pages)
    ids = row_ids(found, listing.key)
    rows: list[ListRow] = []
    for index in range(page * per_page, min(len(found), (page + 1) * per_page)):
        title, note = listing.row(found[index])
        rows.append(
            ListRow(
                id=ids[index],
                title=clip(title, ROW_TITLE) or "—",
                description=clip(note, ROW_DESCRIPTION) or None,
            )
        )
    rows += listing.extra
    if page < pages - 1:
        rows.append(ListRow(id=MORE, title=ROWS["more"], description=ROWS["more.note"]))
    rows.append(
        ListRow(id=BACK, title=ROWS["back"], description=ROWS["back.note"] if page else None)
    )
    return tuple(rows), page, pages


def list_prompt(listing: Listing) -> Callable[[Conversation, Policy], tuple[Message, ...]]:
    def prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        slots = conversation.slots
        if listing.what and not loading.loaded(slots, listing.what):
            return (Text(body=TEXTS[f"loading_{listing.what}"]),)
        rows, page, pages = rows_of(listing, slots)
        body = listing.body(slots, len(listing.items(slots)))
        if pages > 1:
            body += "\n\n" + TEXTS["page"].format(page=page + 1, pages=pages)
        section = ListSection(title=None, rows=rows)
        return (ListMenu(body=body, button=listing.button, sections=(section,)),)

    return prompt


def _turn_page(listing: Listing, turn: Turn, step: int) -> Outcome:
    found = listing.items(turn.slots)
    _per_page, pages = layout(len(found), len(listing.extra))
    page = page_of(listing, turn.slots, pages) + step
    if page < 0:
        return Outcome(goto=listing.parent, reset_trail=listing.parent == ClientArea.HOME)
    return Outcome(slots={s.page_slot(listing.name): min(page, pages - 1)})


def _find(listing: Listing, slots: Mapping[str, Any], wanted: str) -> dict[str, str] | None:
    found = listing.items(slots)
    for row_id, item in zip(row_ids(found, listing.key), found, strict=True):
        if row_id == wanted:
            return item
    return None


def _typed_item(listing: Listing, slots: Mapping[str, Any], text: str) -> dict[str, str] | None:
    words = normalize(text).removeprefix("fatura ").removeprefix("ticket ")
    if not words:
        return None
    for item in listing.items(slots):
        title, _note = listing.row(item)
        names = (title, item.get(listing.key, ""), item.get("number", ""), item.get("name", ""))
        if any(words == normalize(name) for name in names if name):
            return item
    return None


Extra = Callable[[Turn, str], Outcome | None]
"""A fixed row tapped (its id) or typed (its title): the outcome, or None when not one."""


def listing_state(
    listing: Listing,
    *,
    pick: Pick,
    picks_to: tuple[ClientArea, ...],
    extra: Extra | None = None,
    extra_to: tuple[ClientArea, ...] = (),
    empty: str | None = None,
    single: bool = False,
) -> State:
    """The state of a list: page, pick an item (or a fixed row), or go back out.

    `empty`: the text said (back at the area's menu) when the fetched list has no item.
    `single`: a fetched list of one item is picked at once (one question fewer)."""

    def ready(turn: Turn) -> bool:
        return listing.what is None or loading.loaded(turn.slots, listing.what)

    def tapped(turn: Turn) -> Outcome:
        event = turn.event
        if not ready(turn):
            return loading.while_loading(turn)
        if not isinstance(event, ButtonChosen | ListRowChosen):  # pragma: no cover
            return Outcome()
        if event.choice_id in (MORE, BACK):
            return _turn_page(listing, turn, 1 if event.choice_id == MORE else -1)
        outcome = extra(turn, event.choice_id) if extra else None
        if outcome is not None:
            return outcome
        item = _find(listing, turn.slots, event.choice_id)
        if item is not None:
            return pick(turn, item)
        if event.choice_id.startswith(PICK):  # a row of an older version of this list
            return reask(TEXTS["stale_choice"])
        return MISSED

    def written(turn: Turn) -> Outcome:
        text = typed(turn) or ""
        if not ready(turn):
            return loading.while_loading(turn)
        if asks_to_pay(text):
            return pay_elsewhere()
        if wants_more(text):
            return _turn_page(listing, turn, 1)
        outcome = extra(turn, text) if extra else None
        if outcome is not None:
            return outcome
        item = _typed_item(listing, turn.slots, text)
        if item is not None:
            return pick(turn, item)
        return MISSED

    def fetched(turn: Turn) -> Outcome:
        assert listing.what is not None
        found = loading.arrived(turn, listing.what)
        if found is None:
            return loading.silent()
        keep = loading.kept(listing.what, found, **{s.page_slot(listing.name): 0})
        if not found and empty is not None:
            return Outcome(
                goto=ClientArea.HOME, say=(Text(body=TEXTS[empty]),), slots=keep, reset_trail=True
            )
        if len(found) == 1 and single:
            picked = pick(turn, found[0])
            return replace(picked, slots={**keep, **picked.slots})
        # an outage on the server of one of these services is said first (machine/notices.py),
        # and the client kept as warned of it, to be told of its end
        servers = [item.get("server", "") for item in found]
        news = touching(turn.conversation, servers) if listing.what == "services" else ()
        say = tuple(Text(body=n.text) for n in news)
        return Outcome(slots=keep, say=say, commands=heard(news))

    targets = tuple(dict.fromkeys((*picks_to, *extra_to, listing.parent, ClientArea.HOME)))
    rules: dict[str, Rule] = {
        "choice": Rule(handler=tapped, goes_to=targets),
        "text": Rule(handler=written, goes_to=targets),
    }
    if listing.what is not None:
        arrival = (*(picks_to if single else ()), ClientArea.HOME)
        rules["client_data"] = Rule(handler=fetched, goes_to=tuple(dict.fromkeys(arrival)))
        rules["client_data_unavailable"] = loading.UNAVAILABLE
    return State(name=listing.name, prompt=list_prompt(listing), rules=rules)
