"""The Área do Cliente's WhatsApp commands (`/fatura`, `/suporte`) and conversation starters:
each leads to its screen, straight away in a live session, else right after the login.

    (anywhere) ─/fatura─▶ start ─(session)─▶ invoices       start … checking_code ─▶ invoices
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.login.session import expiry
from dresbach.features.client_area.model import DataKind
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.global_commands import GlobalCommand, slash_of
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.text import normalize

LEADS: Final[dict[str, tuple[DataKind, ClientArea]]] = {
    "invoices": ("invoices", ClientArea.INVOICES),
    "tickets": ("tickets", ClientArea.TICKETS),
}
"""Where each lead goes, and the data it shows."""

COMMANDS: Final = (
    GlobalCommand(
        name="invoices",
        words=(),
        flow=ClientArea.flow,
        slash="fatura",
        hint="Ver as suas faturas e baixar o PDF (Área do Cliente)",
    ),
    GlobalCommand(
        name="tickets",
        words=(),
        flow=ClientArea.flow,
        slash="suporte",
        hint="Acompanhar ou abrir um chamado de suporte (Área do Cliente)",
    ),
)
"""Keep what was under way, as the hand-off does: a live session is not left."""

ICE_BREAKERS: Final[dict[str, str]] = {
    "invoices": "Quero a segunda via da minha fatura",
    "tickets": "Preciso de suporte técnico para o meu site",
}
"""The starters (pt-BR, at most 80 characters) that lead here; the menu's intents bring them to
the area ("segunda via", "suporte"), and these words then to their screen."""

_SLASHES: Final = {c.slash: c.name for c in COMMANDS}
_STARTERS: Final = {normalize(text): lead for lead, text in ICE_BREAKERS.items()}


def asked_for(turn: Turn) -> str | None:
    """The lead a message is: a WhatsApp command of the area, or one of its starters."""
    event = turn.event
    if not isinstance(event, TextReceived):
        return None
    slashed = slash_of(event.body)
    if slashed is not None:
        return _SLASHES.get(slashed)
    return _STARTERS.get(normalize(event.body))


def lead(turn: Turn, where: str, client_id: str) -> Outcome:
    """Fetch the data of `where` for `client_id` and go there (the way back starts again)."""
    what, goto = LEADS[where]
    in_session = replace(
        turn, conversation=turn.conversation.with_slots(**{s.CLIENT_ID: client_id})
    )
    return loading.fetch(in_session, what, goto, reset_trail=True, more={s.AFTER_LOGIN: None})


def _entered(turn: Turn) -> Outcome:
    """At the area's start: a lead goes on at once in a live session, else is kept for after the
    login; anything else forgets an older lead."""
    where = asked_for(turn)
    if where is None:
        return Outcome(slots={s.AFTER_LOGIN: None}) if turn.slots.get(s.AFTER_LOGIN) else Outcome()
    client_id = s.text(turn.slots, s.CLIENT_ID)
    if client_id and expiry(turn.slots, turn.now) is None:
        return lead(turn, where, client_id)
    return Outcome(slots={s.AFTER_LOGIN: where})


ENTERED = Rule(
    handler=_entered,
    goes_to=tuple(goto for _what, goto in LEADS.values()),
    label="/fatura, /suporte (sessão aberta)",
)
