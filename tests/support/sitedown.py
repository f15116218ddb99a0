"""The site-down assistant in transcripts: the customer talks to the pure core, and the
`site_check` job runs for real (`SiteDownService`) against the outside world as the site checks'
ports see it, set from a `CheckReport` (`tests.support.sitecheck.healthy()` and its changes).

``SiteDownChat.checks_run()`` runs the job the last `RunSiteCheck` asked for and hands its
`SiteChecked` back to the conversation, as the job worker and the door would.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from typing import Any

from dresbach.features.client_area.hosting import Department, Domain, Service
from dresbach.features.sitecheck.assistant.service import SiteDownService
from dresbach.features.sitecheck.assistant.settings import SiteCheckSettings
from dresbach.features.sitecheck.flow.model import RunSiteCheck, SiteChecked
from dresbach.features.sitecheck.model import (
    AccountSummary,
    CheckReport,
    DnsAnswers,
    HttpAnswer,
    IncidentStatus,
    NameLookup,
    Nameservers,
    OpenIncident,
    Registration,
    ServiceState,
    TlsResult,
    Unverified,
)
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.messages import Message
from dresbach.platform.work.jobs import Job
from tests.support.client_area_transcript import ClientAreaTranscript
from tests.support.sitecheck import DOMAIN, NOW, OUR_NS, SERVER_IP, SITE, healthy

SERVICE_ID = "s1"
DEPARTMENTS = (Department(department_id="1", name="Financeiro"),)
SUPPORT = Department(department_id="2", name="Suporte Técnico")


def _or_raise(value: Any) -> Any:
    if value is None or isinstance(value, Unverified):
        raise TransientError("não respondeu")  # the port could not look
    return value


@dataclass
class World:
    """The outside world the ports look at, and who asked it what."""

    report: CheckReport = field(default_factory=healthy)
    asked: list[str] = field(default_factory=list)
    slow: float = 0.0
    """Seconds the home page takes to answer."""

    # DnsResolver
    async def addresses(self, name: str) -> NameLookup:
        self.asked.append(f"dns {name}")
        dns: DnsAnswers = _or_raise(self.report.dns)
        return dns.www if name.startswith("www.") else dns.apex

    async def nameservers(self, domain: str) -> Nameservers:
        self.asked.append(f"ns {domain}")
        result: Nameservers = _or_raise(self.report.nameservers)
        return result

    # HttpProbe
    async def home_page(self, domain: str, scheme: str) -> HttpAnswer:
        self.asked.append(f"{scheme} {domain}")
        await asyncio.sleep(self.slow)
        result: HttpAnswer = _or_raise(getattr(self.report, scheme))
        return result

    # CertificateInspector
    async def certificate(self, domain: str) -> TlsResult:
        self.asked.append(f"tls {domain}")
        result: TlsResult = _or_raise(self.report.certificate)
        return result

    # AccountUsage (WHM accountsummary)
    async def account_summary(
        self, username: str, *, hostname: str | None = None
    ) -> AccountSummary:
        self.asked.append(f"whm {username}")
        result: AccountSummary = _or_raise(self.report.usage)
        return result

    # Incidents
    async def open_incident(self, server: str | None) -> OpenIncident | None:
        self.asked.append(f"incident {server}")
        status: IncidentStatus = _or_raise(self.report.incident)
        return status.open

    # ClientDirectory (what the billing records and the ticket use), for client "c-1001"
    async def services(self, client_id: str) -> list[Service]:
        self.asked.append(f"whmcs services {client_id}")
        state = self.report.service
        if not isinstance(state, ServiceState):
            raise TransientError("WHMCS não respondeu")
        return [
            Service(
                service_id=SERVICE_ID,
                product="Hospedagem Plus",
                domain=DOMAIN,
                status=state.status,
                next_due=None,
                username="cliente",
                suspension_reason=state.suspension_reason,
                server_hostname="srv1.dresbach.com.br",
                server_ip=SERVER_IP,
            )
        ]

    async def domains(self, client_id: str) -> list[Domain]:
        self.asked.append(f"whmcs domains {client_id}")
        registration = self.report.registration
        if not isinstance(registration, Registration):
            raise TransientError("WHMCS não respondeu")
        return [registration.record] if registration.record else []

    async def departments(self) -> list[Department]:
        return [*DEPARTMENTS, SUPPORT]


@dataclass
class HelpDesk:
    """Tickets as `ClientAreaService.file_ticket` opens them; `fails` refuses the next one."""

    opened: list[dict[str, str]] = field(default_factory=list)
    fails: bool = False

    async def file_ticket(
        self, who: str, client_id: str, department_id: str, subject: str, message: str
    ) -> str:
        if self.fails:
            raise PermanentError("WHMCS recusou o chamado")
        self.opened.append(
            {
                "client_id": client_id,
                "department": department_id,
                "subject": subject,
                "body": message,
            }
        )
        return str(482913 + len(self.opened) - 1)


@dataclass
class SiteDownChat(ClientAreaTranscript):
    world: World = field(default_factory=World)
    desk: HelpDesk = field(default_factory=HelpDesk)
    told: list[InternalEvent] = field(default_factory=list)
    department: str = "2"
    progress_after: float = 8.0

    def service(self) -> SiteDownService:
        async def tell(event: InternalEvent) -> None:
            self.told.append(event)

        service = SiteDownService(
            tell=tell,
            file_ticket=self.desk.file_ticket,
            directory=self.world,  # type: ignore[arg-type]
            resolver=self.world,
            probe=self.world,  # type: ignore[arg-type]
            inspector=self.world,
            incidents=self.world,
            usage=self.world,
            settings=SiteCheckSettings(
                sitecheck_department=self.department,
                sitecheck_nameservers=",".join(OUR_NS),
                billing_site=SITE,
                sitecheck_timeout_seconds=2.0,
                sitecheck_deadline_seconds=3.0,
            ),
            clock=lambda: NOW,
        )
        service.progress_after = self.progress_after
        return service

    def checks_run(self, **changes: Any) -> list[Message]:
        """The job of the last `RunSiteCheck` runs against the world (``changes`` to
        ``healthy()`` first); what it tells (its progress, its `SiteChecked`) reaches the
        conversation, in order."""
        if changes:
            self.world.report = healthy(**changes)
        command = self.of(RunSiteCheck)[-1]
        assert self.conversation is not None
        job = Job(
            id=1,
            command_id=command.command_id,
            kind="site_check",
            conversation_key=self.conversation.key,
            payload={k: v for k, v in asdict(command).items() if k != "command_id"},
            attempts=0,
        )
        before = len(self.told)
        asyncio.run(self.service().run_check(job))
        events = self.told[before:]
        assert isinstance(events[-1], SiteChecked)
        replies: list[Message] = []
        for event in events:
            replies += self.receives(event)
        return replies

    def said_all(self) -> str:
        return "\n".join(body for who, body in self.said if who == "bot")
