"""After the login, the section an understood message asked for ("a segunda via" typed at the
menu, or `/fatura`: the invoices), instead of the area's menu. The router's route (or the
command's arrival at the area's start, `starters`) left it in `s.RESUME`."""

from __future__ import annotations

from dataclasses import replace

from dresbach.features.client_area.flow import home
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Text

RESUMED = tuple(key for key in home.OPENERS if key != "logout")
"""The sections a login may open at once, when an understood message asked for one."""
RESUMED_AT = (
    ClientArea.SERVICES,
    ClientArea.ACCESS_SERVICE,
    ClientArea.DOMAINS,
    ClientArea.TICKETS,
    ClientArea.INVOICES,
)
"""Where those sections are shown: where a finished login may lead besides the area's menu."""
SECTION_OF = {
    "billing": "invoices",
    "access": "access",
    "domains_dns": "domains",
    "support_ticket": "tickets",
}
"""Each intent the area serves (its route, its WhatsApp command) and the section it opens."""


def resumed(turn: Turn, started: dict[str, object], welcome: Text) -> Outcome | None:
    """The section asked for before the login (`s.RESUME`), opened in the new session."""
    section = turn.slots.get(s.RESUME)
    if section not in RESUMED:
        return None
    inside = replace(turn, conversation=turn.conversation.with_slots(**started))
    opened = home.OPENERS[str(section)](inside)
    return replace(
        opened,
        say=(welcome, *opened.say),
        slots={**started, **opened.slots},
        reset_trail=True,
    )
