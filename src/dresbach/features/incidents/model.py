"""An incident as the core sees it, and the command that records who asked about one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dresbach.kernel.commands import Command

NOTICE = "incidents"
"""The key of the open incidents in `Conversation.notices` (loaded at every step)."""

TITLE_MAX = 200
MESSAGE_MAX = 1000
"""An incident's message is said in one WhatsApp text with its title and time."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """An outage operators announce. `servers` empty: every server is affected."""

    incident_id: int
    title: str
    message: str
    servers: tuple[str, ...]
    opened_at: datetime
    opened_by: str
    updated_at: datetime
    updated_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def affects(self, server: str | None) -> bool:
        """Whether it touches `server` (None: any server, as for one who did not say)."""
        if not self.servers or server is None:
            return True
        wanted = server.strip().lower()
        return any(s.lower() == wanted for s in self.servers)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentAsked(Command):
    """The customer wrote about an outage while these incidents were open: keep who asked, so
    that each closing tells them once."""

    incident_ids: tuple[int, ...]
