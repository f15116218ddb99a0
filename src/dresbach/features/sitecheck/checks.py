"""The check runner: every check of one site at once, each under its own timeout, all under one
deadline, and a :class:`CheckReport` back whatever happens.

A check that runs out of time, or whose port raises (WHM down, our resolver unreachable, a bug),
becomes :class:`Unverified` ("não foi possível verificar" in the ticket); the others keep their
results. ``run`` never raises for a failure outside; it is cancelled like any coroutine.

Which checks run depends on what is known: the DNS, HTTP and certificate checks need only the
domain (the public check); the WHMCS service needs its id; the WHM account needs its username and
the panel of its server; the incident check needs the incidents port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dresbach.features.sitecheck.ports import (
    AccountUsage,
    BillingRecords,
    CertificateInspector,
    DnsResolver,
    HttpProbe,
    Incidents,
)
from dresbach.features.sitecheck.results import (
    CheckReport,
    DnsAnswers,
    IncidentStatus,
    Unverified,
)
from dresbach.kernel.errors import DresbachError

__all__ = ["CheckTimeouts", "SiteChecks", "SiteTarget"]

log = logging.getLogger(__name__)

_DETAIL = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteTarget:
    """The site to check: its domain and, after a login, its service, account and server."""

    domain: str
    service_id: str | None = None
    username: str | None = None
    server: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckTimeouts:
    """Seconds per check (``per_check``, or ``overrides`` by check name) and for all of them
    (``deadline``). The HTTP probe's own timeout should be shorter than its check's, so that a
    site that does not answer is a finding ("sem resposta") rather than "não verificado"."""

    per_check: float = 12.0
    deadline: float = 20.0
    overrides: Mapping[str, float] = field(default_factory=dict)

    def of(self, check: str) -> float:
        return min(self.overrides.get(check, self.per_check), self.deadline)


class SiteChecks:
    """Runs the checks through the ports it is given."""

    def __init__(
        self,
        *,
        resolver: DnsResolver,
        probe: HttpProbe,
        inspector: CertificateInspector,
        billing: BillingRecords | None = None,
        incidents: Incidents | None = None,
        timeouts: CheckTimeouts | None = None,
    ) -> None:
        self._resolver = resolver
        self._probe = probe
        self._inspector = inspector
        self._billing = billing
        self._incidents = incidents
        self._timeouts = timeouts or CheckTimeouts()

    async def run(self, target: SiteTarget, *, panel: AccountUsage | None = None) -> CheckReport:
        """Every applicable check of ``target``; ``panel`` is the WHM of the account's server."""
        jobs = self._jobs(target, panel)
        tasks = {
            name: asyncio.create_task(self._guarded(name, job), name=f"sitecheck:{name}")
            for name, job in jobs.items()
        }
        try:
            done, pending = await asyncio.wait(tasks.values(), timeout=self._timeouts.deadline)
        finally:
            for task in tasks.values():
                if not task.done():
                    task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        results: dict[str, Any] = {}
        for name, task in tasks.items():
            if task in done:
                results[name] = task.result()
            else:
                results[name] = Unverified(reason="timeout", detail="prazo total esgotado")
        return CheckReport(
            domain=_site(target.domain),
            username=target.username,
            server=target.server,
            **results,
        )

    def _jobs(
        self, target: SiteTarget, panel: AccountUsage | None
    ) -> dict[str, Callable[[], Awaitable[object]]]:
        domain = _site(target.domain)
        jobs: dict[str, Callable[[], Awaitable[object]]] = {
            "dns": lambda: self._dns(domain),
            "nameservers": lambda: self._resolver.nameservers(domain),
            "https": lambda: self._probe.home_page(domain, "https"),
            "http": lambda: self._probe.home_page(domain, "http"),
            "certificate": lambda: self._inspector.certificate(domain),
        }
        billing, incidents = self._billing, self._incidents
        if billing is not None:
            jobs["registration"] = lambda: billing.registration(domain)
            if target.service_id:
                service_id = target.service_id
                jobs["service"] = lambda: billing.service_state(service_id)
        if panel is not None and target.username:
            username = target.username
            jobs["usage"] = lambda: panel.account_summary(username, hostname=target.server)
        if incidents is not None:
            server = target.server
            jobs["incident"] = lambda: self._incident(incidents, server)
        return jobs

    async def _dns(self, domain: str) -> DnsAnswers:
        apex, www = await asyncio.gather(
            self._resolver.addresses(domain), self._resolver.addresses(f"www.{domain}")
        )
        return DnsAnswers(apex=apex, www=www)

    @staticmethod
    async def _incident(incidents: Incidents, server: str | None) -> IncidentStatus:
        return IncidentStatus(open=await incidents.open_incident(server))

    async def _guarded(self, name: str, job: Callable[[], Awaitable[object]]) -> object:
        try:
            async with asyncio.timeout(self._timeouts.of(name)):
                return await job()
        except TimeoutError:
            return Unverified(reason="timeout")
        except DresbachError as error:
            log.info("site check %s could not be verified: %s", name, error)
            return Unverified(reason="error", detail=str(error)[:_DETAIL])
        except Exception as error:
            log.exception("site check %s failed", name)
            return Unverified(reason="error", detail=type(error).__name__)


def _site(domain: str) -> str:
    """The site's domain as the checks use it: ``WWW.Cliente.com.br.`` → ``cliente.com.br`` (its
    ``www`` is checked beside it)."""
    site = domain.strip().rstrip(".").lower()
    return site.removeprefix("www.") if site.count(".") >= 2 else site
