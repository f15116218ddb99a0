"""The open incidents, said before anything else to whoever writes about an outage: no login,
no ticket, no hand-off is opened for it. Pure: the incidents come in the conversation's
notices, loaded from the records at every step."""

from __future__ import annotations

from dresbach.features.incidents.model import NOTICE, Incident, IncidentAsked
from dresbach.features.incidents.texts import TEXTS
from dresbach.kernel.hours import when_label
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.notices import SERVER_NOTICES, ServerNotice
from dresbach.kernel.machine.routes import Ahead
from dresbach.kernel.messages import Text

OUTAGE_INTENTS = ("site_down",)
"""The intents of the understanding tier that are an outage ("meu site caiu", "site fora do
ar", "está tudo fora")."""


def said(incident: Incident) -> str:
    """One incident as the customer reads it, with when it was last updated (São Paulo)."""
    return TEXTS["open"].format(
        title=incident.title, message=incident.message, when=when_label(incident.updated_at)
    )


def open_now(turn: Turn) -> tuple[Incident, ...]:
    found = turn.conversation.notices.get(NOTICE) or ()
    return tuple(i for i in found if isinstance(i, Incident) and i.is_open)


def answer(turn: Turn) -> Outcome | None:
    """The open incidents (the latest updated first), and who asked kept; None when none."""
    found = sorted(open_now(turn), key=lambda i: i.updated_at, reverse=True)
    if not found:
        return None
    ids = tuple(i.incident_id for i in found)
    asked = IncidentAsked(
        command_id=f"incident-asked:{turn.conversation.key}:{turn.now.isoformat()}",
        incident_ids=ids,
    )
    say = tuple(Text(body=said(i)) for i in found)
    return Outcome(say=say, commands=(asked,), prompt=False, merge=False)


def warned(incident: Incident, key: str = "") -> IncidentAsked:
    """What a client shown `incident` before their services emits: kept as one who asked, so
    that its closing tells them too (once: one asker per incident and conversation)."""
    return IncidentAsked(
        command_id=f"incident-warned:{key}:{incident.incident_id}",
        incident_ids=(incident.incident_id,),
    )


def notices_of(found: tuple[Incident, ...], key: str = "") -> dict[str, tuple[object, ...]]:
    """What the open incidents put in the notices of conversation `key`: themselves (for
    `answer`), and as server notices, which the Área do Cliente says to a client whose services
    they touch, keeping them as warned."""
    open_ = tuple(i for i in found if i.is_open)
    return {
        NOTICE: found,
        SERVER_NOTICES: tuple(
            ServerNotice(servers=i.servers, text=said(i), heard=warned(i, key)) for i in open_
        ),
    }


AHEAD = tuple(Ahead(intent=intent, answer=answer) for intent in OUTAGE_INTENTS)
