"""The application service the edge calls: take parsed events in, one transaction each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dresbach.domain.events import Event, StatusReported
from dresbach.domain.policy import Policy
from dresbach.runtime.database import Database
from dresbach.runtime.sealing import Sealer
from dresbach.runtime.unit_of_work import Taken, record_statuses, take_in

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Pipeline:
    db: Database
    policy: Policy
    on_enqueued: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utcnow
    sealer: Sealer | None = None

    async def take_in(self, event: Event, payload: dict[str, Any]) -> Taken:
        taken = await self.db.run(
            take_in, self.db.engine, event, payload, self.clock(), self.policy, self.sealer
        )
        if not taken.duplicate:
            self.on_enqueued()
        return taken

    async def take_in_all(
        self, events: Sequence[tuple[Event, dict[str, Any]]], statuses: Sequence[StatusReported]
    ) -> list[Taken]:
        taken = [await self.take_in(event, payload) for event, payload in events]
        if statuses:
            await self.db.run(record_statuses, self.db.engine, list(statuses))
        return taken
