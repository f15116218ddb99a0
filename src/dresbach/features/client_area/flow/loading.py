"""Asking the billing and hosting systems for data, and waiting for it.

A choice that needs data emits `FetchClientData` and goes to the state that shows it, with the
data's slot emptied: until the `client_data` event arrives, that state rests on a "buscando…"
prompt (so `voltar` from the next screen lands on a list, never on a dead loading screen). The
event is taken only when it answers the request being waited for (`client_area.waiting`);
`client_data_unavailable` sends the customer back to the area's menu with "try again shortly".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import asks_to_pay, note, pay_elsewhere, typed
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.model import (
    ClientDataFetched,
    ClientDataUnavailable,
    DataKind,
    FetchClientData,
)
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.messages import Text


def mark(what: str, key: str | None) -> str:
    return f"{what}:{key}" if key else what


def fetch(
    turn: Turn,
    what: DataKind,
    goto: ClientArea,
    *,
    key: str | None = None,
    reset_trail: bool = False,
    more: Mapping[str, Any] | None = None,
) -> Outcome:
    """Ask for one kind of data and go where it will be shown."""
    waited = mark(what, key)
    command = FetchClientData(
        command_id=f"{event_key(turn.event)}:fetch:{waited}",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        what=what,
        key=key,
    )
    return Outcome(
        goto=goto,
        slots={s.WAITING: waited, s.SOURCES[what]: None, **(more or {})},
        commands=(command,),
        reset_trail=reset_trail,
    )


def arrived(turn: Turn, what: DataKind) -> list[dict[str, str]] | None:
    """The items of the data being waited for, when this event brings them."""
    event = turn.event
    if (
        isinstance(event, ClientDataFetched)
        and event.what == what
        and turn.slots.get(s.WAITING) == mark(what, event.key)
    ):
        return s.as_items(event.items)
    return None


def kept(what: DataKind, found: list[dict[str, str]], **more: Any) -> dict[str, Any]:
    """The slots that keep data that arrived (and stop waiting)."""
    return {s.SOURCES[what]: found, s.WAITING: None, **more}


def loaded(slots: Mapping[str, Any], what: DataKind) -> bool:
    return isinstance(slots.get(s.SOURCES[what]), list)


def silent() -> Outcome:
    return Outcome(prompt=False)


def while_loading(turn: Turn) -> Outcome:
    """Something said while the data is on its way."""
    text = typed(turn)
    if text is not None and asks_to_pay(text):
        return pay_elsewhere()
    return note(TEXTS["still_loading"])


def _unavailable(turn: Turn) -> Outcome:
    event = turn.event
    waited = s.text(turn.slots, s.WAITING)
    if not isinstance(event, ClientDataUnavailable) or waited.split(":")[0] != event.what:
        return silent()
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=TEXTS["data_unavailable"]),),
        slots={s.WAITING: None},
        reset_trail=True,
    )


UNAVAILABLE = Rule(handler=_unavailable, goes_to=(ClientArea.HOME,))
