"""What the records announce about servers, for any flow to say where it matters: an outage
under way on the servers named (none: on every server). A feature that keeps such news puts
them in `Conversation.notices[SERVER_NOTICES]` at every step (`StepHooks.enrich`); a flow that
learns which servers a customer's services are on says the ones that touch them, first, and
emits what each says it emits (the incidents keep who was warned, to tell them of the end)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from dresbach.kernel.commands import Command
from dresbach.kernel.conversation import Conversation

SERVER_NOTICES: Final = "server_notices"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerNotice:
    servers: tuple[str, ...]
    """The hostnames it is about; empty: every server."""
    text: str
    """What the customer reads (pt-BR)."""
    heard: Command | None = None
    """What saying it to a customer emits, opaque here (the incidents': record them as one who
    asked, so that the closing tells them too)."""

    def touches(self, servers: Iterable[str]) -> bool:
        if not self.servers:
            return True
        ours = {s.strip().lower() for s in self.servers}
        return any(server.strip().lower() in ours for server in servers if server)


def touching(conversation: Conversation, servers: Iterable[str]) -> tuple[ServerNotice, ...]:
    """The notices about any of `servers` (or about every server)."""
    wanted = tuple(servers)
    found = conversation.notices.get(SERVER_NOTICES) or ()
    return tuple(n for n in found if isinstance(n, ServerNotice) and n.touches(wanted))


def heard(notices: Iterable[ServerNotice]) -> tuple[Command, ...]:
    """What saying `notices` emits."""
    return tuple(n.heard for n in notices if n.heard is not None)
