"""The readers every flow needs, once: the id a command derives its own from, the option tapped,
and a typed name or e-mail address understood."""

from __future__ import annotations

import re

from dresbach.kernel.events import ButtonChosen, Event, InboundEvent, ListRowChosen
from dresbach.kernel.machine.machine import Turn


def event_key(event: Event) -> str:
    """The id a command derives its own id from: the WhatsApp message id or the event id."""
    return event.message_id if isinstance(event, InboundEvent) else event.event_id


def choice_of(turn: Turn, prefix: str = "") -> str | None:
    """The option tapped, without its prefix (`area:lgpd` -> `lgpd`), if it is one of ours
    (any option when no prefix is given)."""
    event = turn.event
    if isinstance(event, ButtonChosen | ListRowChosen) and event.choice_id.startswith(prefix):
        return event.choice_id.removeprefix(prefix)
    return None


_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$"
)


def email_of(typed: str) -> str | None:
    """The e-mail address in a typed answer (domain in lower case), or None when invalid."""
    address = typed.strip().strip("<>").strip()
    if len(address) > 254 or not _EMAIL.match(address):
        return None
    local, domain = address.rsplit("@", 1)
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


def name_of(typed: str) -> str | None:
    """A person's name: letters, spaces, apostrophes, dots and hyphens, 2 to 80 characters."""
    name = " ".join(typed.split())
    letters = sum(ch.isalpha() for ch in name)
    allowed = all(ch.isalpha() or ch in " '.-’" for ch in name)
    if not allowed or letters < 2 or len(name) > 80:
        return None
    return name
