"""Per-user flood protection: a conversation sending more than N messages a minute is slowed.

Each conversation row counts its user's messages in a one-minute window that opens with the first
message after the previous window closed (`flood_window_at`, `flood_count`). The count is read
and written under the conversation lock, inside the step's transaction, so every process shares
it (SQLite or PostgreSQL) and a redelivered message, rolled back as a duplicate, never counts.

Up to the limit a message is stepped as always. Over it, the message is still kept in the inbox
(nothing is lost) but not stepped: the first one over the limit gets one polite notice, the rest
of the window gets nothing, not even a read receipt, so a flood spends none of the number's send
rate that other users need. The next window answers normally again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dresbach.kernel.events import Event, IdentityChanged, InboundEvent
from dresbach.kernel.messages import Text
from dresbach.platform.feature import installed
from dresbach.platform.store.database import utc

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """The conversation's flood window after counting one event."""

    opened_at: datetime | None
    count: int
    throttled: bool = False
    """Over the limit: keep the message, do not step it."""
    notify: bool = False
    """The first message over the limit in this window: send the notice."""

    @property
    def values(self) -> dict[str, Any]:
        """The conversation columns that keep the window."""
        return {"flood_window_at": self.opened_at, "flood_count": self.count}


def counts(event: Event) -> bool:
    """Only what a user wrote counts: not results of side effects, timers or identity changes."""
    return isinstance(event, InboundEvent) and not isinstance(event, IdentityChanged)


def count(row: Mapping[str, Any], event: Event, now: datetime, limit: int) -> Window:
    """Count `event` in the window kept in the conversation `row`; `limit` 0 never throttles."""
    opened, seen = utc(row["flood_window_at"]), row["flood_count"] or 0
    if not counts(event):
        return Window(opened_at=opened, count=seen)
    if opened is None or not opened - WINDOW < now < opened + WINDOW:
        # A new window. A message stamped a little before the window opened (another process's
        # clock, or a batch that waited) still counts in it; only a clock far off starts anew.
        opened, seen = now, 0
    seen += 1
    over = 0 < limit < seen
    return Window(opened_at=opened, count=seen, throttled=over, notify=over and seen == limit + 1)


def notice() -> Text:
    """The notice, in the home's words."""
    return Text(body=installed().machine.home.texts["flood"])
