"""The Área do Cliente's WhatsApp commands (`/fatura`, `/suporte`) and conversation starters:
each leads to its section, straight away in a live session, else right after the login.

    (anywhere) ─/fatura─▶ start ─(session)─▶ invoices       start … checking_code ─▶ invoices

A command enters the area (a global command, from anywhere); arriving at `start` it asks for
its section as an understood message does: the section of its route's intent (`SECTION_OF`),
kept in `s.RESUME` for the login to open (`resume.resumed`). The starters are texts the
understanding tier routes (billing, support_ticket) as it does any other message.
"""

from __future__ import annotations

from typing import Final

from dresbach.features.client_area.flow import home
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.login.resume import SECTION_OF
from dresbach.features.client_area.login.session import expiry
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.global_commands import GlobalCommand, slash_of
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.text import normalize

COMMANDS: Final = (
    GlobalCommand(
        name="billing",
        words=(),
        flow=ClientArea.flow,
        slash="fatura",
        hint="Ver as suas faturas e baixar o PDF (Área do Cliente)",
    ),
    GlobalCommand(
        name="support_ticket",
        words=(),
        flow=ClientArea.flow,
        slash="suporte",
        hint="Acompanhar ou abrir um chamado de suporte (Área do Cliente)",
    ),
)
"""Named by the intent whose section they open. Keep what was under way, as the hand-off
does: a live session is not left."""

ICE_BREAKERS: Final[dict[str, str]] = {
    "billing": "Quero a segunda via da minha fatura",
    "support_ticket": "Preciso de suporte técnico para o meu site",
}
"""The starters (pt-BR, at most 80 characters) that lead here, by the intent they are."""


def alone(intent: str) -> tuple[str, ...]:
    """The starter of `intent` as its route's whole message (tapped, it arrives as a text): it
    leads there before the tier is asked."""
    text = ICE_BREAKERS.get(intent)
    return (normalize(text),) if text else ()


_INTENTS: Final = {c.slash: c.name for c in COMMANDS}


def _commanded(turn: Turn) -> Outcome:
    """At the area's start after `/fatura` or `/suporte`: its section at once in a live
    session, else kept for after the login."""
    event = turn.event
    slashed = slash_of(event.body) if isinstance(event, TextReceived) else None
    intent = _INTENTS.get(slashed or "")
    if intent is None:
        return Outcome()
    section = SECTION_OF[intent]
    if s.text(turn.slots, s.CLIENT_ID) and expiry(turn.slots, turn.now) is None:
        return home.OPENERS[section](turn)
    return Outcome(slots={s.RESUME: section})


ENTERED = Rule(
    handler=_commanded,
    goes_to=(ClientArea.INVOICES, ClientArea.TICKETS),
    label="/fatura, /suporte (sessão aberta)",
)
