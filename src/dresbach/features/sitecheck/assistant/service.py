"""The job behind the site-down assistant: run every check of one site (each under its timeout,
all under one deadline), explain what they found, and, when nothing explains it and the customer
is logged in, open a ticket pre-filled with every check's result. The result reaches the
conversation as a `SiteChecked` event.

From the domain alone (no login) only the public checks run: DNS, HTTP and the certificate (and
an incident open for every server); never the account, the billing or the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from dresbach.features.client_area.hosting import Service
from dresbach.features.client_area.ports import ClientDirectory
from dresbach.features.sitecheck.adapters.billing import DirectoryBilling
from dresbach.features.sitecheck.assistant.settings import SiteCheckSettings
from dresbach.features.sitecheck.checks import CheckTimeouts, SiteChecks, SiteTarget
from dresbach.features.sitecheck.diagnosis import diagnose
from dresbach.features.sitecheck.flow.model import SiteChecked, SiteCheckProgress
from dresbach.features.sitecheck.flow.texts import TEXTS
from dresbach.features.sitecheck.model import Diagnosis, Expectations, TicketDraft
from dresbach.features.sitecheck.ports import (
    AccountUsage,
    CertificateInspector,
    DnsResolver,
    HttpProbe,
    Incidents,
)
from dresbach.features.sitecheck.replies import replies, ticket_opened
from dresbach.features.sitecheck.texts import REPLIES
from dresbach.kernel.errors import DresbachError, PermanentError
from dresbach.kernel.events import InternalEvent
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

Tell = Callable[[InternalEvent], Awaitable[None]]
"""Delivers an event to its conversation (`ClientAreaService.tell`)."""
FileTicket = Callable[[str, str, str, str, str], Awaitable[str]]
"""Opens and audits a ticket: (who, client id, department id, subject, message) → its number
(`ClientAreaService.file_ticket`)."""


class SiteDownService:
    progress_after: float = 8.0
    """Seconds after which the customer is told the checks are still running."""

    def __init__(
        self,
        *,
        tell: Tell,
        file_ticket: FileTicket,
        directory: ClientDirectory,
        resolver: DnsResolver,
        probe: HttpProbe,
        inspector: CertificateInspector,
        incidents: Incidents,
        usage: AccountUsage | None,
        settings: SiteCheckSettings,
        clock: Callable[[], datetime],
    ) -> None:
        self.tell, self.file_ticket, self.directory = tell, file_ticket, directory
        self.resolver, self.probe, self.inspector = resolver, probe, inspector
        self.incidents, self.usage = incidents, usage
        self.settings, self.clock = settings, clock
        self.timeouts = CheckTimeouts(
            per_check=settings.sitecheck_timeout_seconds,
            deadline=settings.sitecheck_deadline_seconds,
        )

    async def aclose(self) -> None:
        """Close what the probes hold open (the HTTP client's connections)."""
        close = getattr(self.probe, "aclose", None)
        if close is not None:
            await close()

    async def run_check(self, job: Job) -> None:
        """The `site_check` job: never raises; a failure says so to the customer."""
        p = job.payload
        domain = str(p["domain"])
        ticket: str | None = None
        progress = asyncio.create_task(self._progress(job))
        try:
            messages, ticket, domain = await self._check(job, domain)
        except Exception:
            log.exception("site check of %s failed", domain)
            messages = [TEXTS["check_failed"].format(domain=domain)]
        finally:
            progress.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await progress
        await self.tell(
            SiteChecked(
                event_id=f"{job.command_id}:checked",
                conversation_key=job.conversation_key or "",
                timestamp=self.clock(),
                command=job.command_id,
                domain=domain,
                messages=tuple(messages),
                ticket=ticket,
            )
        )

    async def _progress(self, job: Job) -> None:
        """Once, if the checks are still running after `progress_after` seconds."""
        await asyncio.sleep(self.progress_after)
        await self.tell(
            SiteCheckProgress(
                event_id=f"{job.command_id}:progress",
                conversation_key=job.conversation_key or "",
                timestamp=self.clock(),
                command=job.command_id,
            )
        )

    async def _check(self, job: Job, domain: str) -> tuple[list[str], str | None, str]:
        p = job.payload
        client_id: str | None = p.get("client_id") or None
        service = await self._service(client_id, p.get("service_id"))
        checks = SiteChecks(
            resolver=self.resolver,
            probe=self.probe,
            inspector=self.inspector,
            billing=DirectoryBilling(self.directory, client_id) if client_id else None,
            incidents=self.incidents,
            timeouts=self.timeouts,
        )
        target = SiteTarget(
            domain=domain,
            service_id=service.service_id if service else None,
            username=service.username if service else None,
            server=service.server_hostname if service else None,
        )
        report = await checks.run(target, panel=self.usage if client_id else None)
        diagnosis = diagnose(
            report, self.expectations(service), self.clock(), reported=p.get("reported") or None
        )
        messages, ticket = await self._told(job, diagnosis, client_id)
        return messages, ticket, report.domain

    def expectations(self, service: Service | None) -> Expectations:
        addresses = frozenset({service.server_ip}) if service and service.server_ip else frozenset()
        return Expectations(
            billing_site=self.settings.billing_site,
            server_addresses=addresses,
            our_nameservers=self.settings.our_nameservers,
        )

    async def _service(self, client_id: str | None, service_id: object) -> Service | None:
        """The client's service being checked (None: public, none picked, or unknown)."""
        if not client_id or not service_id:
            return None
        try:
            services = await self.directory.services(client_id)
        except DresbachError as error:
            log.info("site check without the service: %s", type(error).__name__)
            return None
        return next((s for s in services if s.service_id == str(service_id)), None)

    async def _told(
        self, job: Job, diagnosis: Diagnosis, client_id: str | None
    ) -> tuple[list[str], str | None]:
        """What the customer reads, and the ticket opened when nothing explains the problem."""
        messages = [text.body for text in replies(diagnosis)]
        if diagnosis.ticket is None:
            return messages, None
        opening = REPLIES["opening_ticket"]
        if client_id is None:
            return [m for m in messages if m != opening] + [TEXTS["public_unexplained"]], None
        opened = await self._open_ticket(job, client_id, diagnosis.ticket)
        if opened is None:
            return [m for m in messages if m != opening] + [TEXTS["ticket_failed"]], None
        number, department = opened
        return [*messages, ticket_opened(number, department).body], number

    async def _open_ticket(
        self, job: Job, client_id: str, draft: TicketDraft
    ) -> tuple[str, str] | None:
        """The ticket's number and department, in the department of the settings (else the
        help desk's first); None when the help desk fails (not retried: no idempotency key)."""
        try:
            departments = await self.directory.departments()
            wanted = self.settings.sitecheck_department
            chosen = next((d for d in departments if d.department_id == wanted), None)
            if chosen is None and not wanted and departments:
                chosen = departments[0]
            department_id = chosen.department_id if chosen else wanted
            if not department_id:
                raise PermanentError("no support department to open the ticket in")
            number = await self.file_ticket(
                job.conversation_key or "", client_id, department_id, draft.subject, draft.body
            )
        except DresbachError as error:
            log.warning("site check ticket not opened: %s", error)
            return None
        return number, chosen.name if chosen else department_id
