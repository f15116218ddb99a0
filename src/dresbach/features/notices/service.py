"""The notices' use cases: the WHMCS poll (a timer sweep, every `DRESBACH_NOTICES_POLL_MINUTES`,
from the cursors it keeps) and one event a WHMCS hook reported. Each notice is looked up once
per event (a kind turned off, an event already sent, a client without a phone or who said
"parar" send nothing), and each goes once, whoever reports it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dresbach.features.notices import detection, records
from dresbach.features.notices.model import Contact, Notice
from dresbach.features.notices.ports import Billing
from dresbach.features.notices.settings import NoticesSettings
from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.clock import utcnow
from dresbach.platform.store.database import Database

log = logging.getLogger(__name__)


@dataclass(slots=True, kw_only=True)
class Outcome:
    """What one poll (or hook) did, by `via` (`text`, `template`, `opted_out`, `already`,
    `off`, `no_phone`)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, via: str) -> None:
        self.counts[via] = self.counts.get(via, 0) + 1

    @property
    def sent(self) -> int:
        return self.counts.get("text", 0) + self.counts.get("template", 0)


class NoticesService:
    def __init__(
        self,
        db: Database,
        billing: Billing | None,
        settings: NoticesSettings,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.db, self.billing, self.settings = db, billing, settings
        self.clock, self.on_enqueued = clock, on_enqueued

    async def aclose(self) -> None:
        if self.billing is not None:
            await self.billing.aclose()

    async def sweep(self) -> None:
        """The timer: a poll when one is due, by one process of however many run the timer
        (never when the poll is off or WHMCS is not set)."""
        minutes = self.settings.notices_poll_minutes
        if self.billing is None or minutes <= 0:
            return
        now = self.clock().astimezone(UTC)
        every = timedelta(minutes=minutes)
        if await self.db.run(records.claim_poll, self.db.engine, now, every):
            await self.poll()

    async def poll(self) -> Outcome:
        """Read WHMCS, send what is due, move the cursors on."""
        assert self.billing is not None, "the poll needs WHMCS"
        now = self.clock()
        today = now.astimezone(SAO_PAULO).date()
        cursors = await self.db.run(records.read_cursors, self.db.engine)
        invoices = await self.billing.open_invoices()
        tickets = await self.billing.answered_tickets()
        notices = [
            *detection.invoice_notices(
                invoices, today, self.settings.notices_due_days, cursors.invoice_id
            ),
            *detection.suspension_notices(await self.billing.suspended_services(), today),
            *detection.domain_notices(
                await self.billing.domains(), today, self.settings.notices_expiry_days
            ),
            *detection.ticket_notices(tickets, now, cursors.answered_at),
        ]
        outcome = await self.send(notices, now)
        moved = detection.moved(cursors, invoices, tickets)
        await self.db.run(records.keep_cursors, self.db.engine, moved, now)
        if outcome.counts:
            log.info("notices poll: %s", outcome.counts)
        return outcome

    async def hooked(self, notice: Notice) -> Outcome:
        """One event a WHMCS hook reported (signed): sent as the poll would, once."""
        return await self.send([notice], self.clock())

    async def send(self, notices: list[Notice], now: datetime) -> Outcome:
        """Send each notice once, asking WHMCS for a client's phone once."""
        outcome = Outcome()
        off = self.settings.notices_turned_off
        wanted = [n for n in notices if n.kind not in off]
        for _ in range(len(notices) - len(wanted)):
            outcome.add("off")
        done = await self.db.run(records.sent_keys, self.db.engine, [n.event_key for n in wanted])
        contacts: dict[str, Contact | None] = {}
        site = self.settings.notices_billing_site
        for notice in wanted:
            if notice.event_key in done:
                outcome.add("already")
                continue
            if notice.client_id not in contacts:
                contacts[notice.client_id] = await self._contact(notice.client_id)
            contact = contacts[notice.client_id]
            if contact is None or contact.number is None:
                outcome.add("no_phone")
                continue
            sent = await self.db.run(records.send_once, self.db.engine, notice, contact, site, now)
            outcome.add(sent.via)
        if outcome.sent:
            self.on_enqueued()
        return outcome

    async def _contact(self, client_id: str) -> Contact | None:
        if self.billing is None:
            return None
        return await self.billing.contact(client_id)
