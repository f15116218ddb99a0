"""The site check's job against the fake WHMCS over HTTP (#15.2): the service's status and
suspension reason (`GetClientsProducts`), the domain's expiry (`GetClientsDomains`), and the
ticket opened when nothing explains the problem (`OpenTicket`), pre-filled with every check's
result in the department the settings name. DNS, HTTP, TLS and WHM are fakes of their ports."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory
from dresbach.features.sitecheck.assistant.service import SiteDownService
from dresbach.features.sitecheck.assistant.settings import SiteCheckSettings
from dresbach.features.sitecheck.flow.model import SiteChecked
from dresbach.features.sitecheck.texts import FINDINGS
from dresbach.features.sitecheck.texts_ticket import TICKET
from dresbach.kernel.events import InternalEvent
from dresbach.platform.work.jobs import Job
from tests.fakes.whmcs import (
    DEFAULT_IDENTIFIER,
    DEFAULT_SECRET,
    DOCUMENT_FIELD_ID,
    FakeWhmcs,
    WhmcsState,
)
from tests.support.sitecheck import DOMAIN, NOW, OUR_NS, SERVER_IP, SITE, https
from tests.support.sitedown import World

CLIENT, SERVICE = "1", "10"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeWhmcs]:
    with FakeWhmcs(state=WhmcsState(clock=lambda: NOW)) as running:
        yield running


@pytest.fixture
def whmcs(server: FakeWhmcs) -> FakeWhmcs:
    server.state.reset()
    server.state.products[10]["domain"] = DOMAIN  # Ana's hosting, on the site of the fakes
    server.state.domains[30]["domainname"] = DOMAIN
    return server


@dataclass
class Run:
    told: list[InternalEvent] = field(default_factory=list)

    @property
    def event(self) -> SiteChecked:
        event = self.told[-1]
        assert isinstance(event, SiteChecked)
        return event

    @property
    def said(self) -> str:
        return "\n\n".join(self.event.messages)


def check(whmcs: FakeWhmcs, *, department: str = "1", **changes: Any) -> Run:
    """The `site_check` job of Ana's service, as the worker runs it."""
    run = Run()
    world = World()
    if changes:
        from tests.support.sitecheck import healthy

        world.report = healthy(**changes)

    async def main() -> None:
        directory = WhmcsDirectory(
            url=whmcs.url,
            identifier=DEFAULT_IDENTIFIER,
            secret=DEFAULT_SECRET,
            document_field=DOCUMENT_FIELD_ID,
            clock=lambda: NOW,
            timeout=5.0,
        )

        async def tell(event: InternalEvent) -> None:
            run.told.append(event)

        async def file_ticket(
            who: str, client_id: str, department_id: str, subject: str, message: str
        ) -> str:
            ticket = await directory.open_ticket(client_id, department_id, subject, message)
            return ticket.number

        service = SiteDownService(
            tell=tell,
            file_ticket=file_ticket,
            directory=directory,
            resolver=world,
            probe=world,  # type: ignore[arg-type]
            inspector=world,
            incidents=world,
            usage=world,
            settings=SiteCheckSettings(
                sitecheck_department=department,
                sitecheck_nameservers=",".join(OUR_NS),
                billing_site=SITE,
                sitecheck_timeout_seconds=3.0,
                sitecheck_deadline_seconds=5.0,
            ),
            clock=lambda: NOW,
        )
        job = Job(
            id=1,
            command_id="wamid.1:sitecheck",
            kind="site_check",
            conversation_key="wa:5511",
            payload={
                "domain": DOMAIN,
                "client_id": CLIENT,
                "service_id": SERVICE,
                "reported": "meu site caiu",
            },
            attempts=0,
        )
        try:
            await service.run_check(job)
        finally:
            await directory.aclose()

    asyncio.run(main())
    return run


def test_a_service_whmcs_suspended_for_an_overdue_invoice_is_explained(whmcs: FakeWhmcs) -> None:
    whmcs.state.products[10]["status"] = "Suspended"
    whmcs.state.products[10]["suspensionreason"] = "Overdue on Payment"
    run = check(whmcs)
    assert FINDINGS["suspended_overdue"]["title"] in run.said
    assert SITE in run.said
    assert run.event.ticket is None
    assert whmcs.state.calls_of("OpenTicket") == []


def test_an_abuse_suspension_leads_to_a_person(whmcs: FakeWhmcs) -> None:
    whmcs.state.products[10]["status"] = "Suspended"
    whmcs.state.products[10]["suspensionreason"] = "Phishing reported"
    run = check(whmcs)
    assert FINDINGS["suspended_abuse"]["title"] in run.said
    assert "*atendente*" in run.said


def test_a_domain_whmcs_says_expired_is_explained(whmcs: FakeWhmcs) -> None:
    whmcs.state.domains[30]["status"] = "Expired"
    whmcs.state.domains[30]["expirydate"] = "2026-11-01"
    run = check(whmcs)
    assert FINDINGS["domain_expired"]["title"] in run.said
    assert "01/11/2026" in run.said


def test_nothing_explained_opens_the_whmcs_ticket_with_every_check(whmcs: FakeWhmcs) -> None:
    run = check(whmcs, https=https(outcome="timeout", status=None, seconds=None))
    [params] = whmcs.state.calls_of("OpenTicket")
    assert params["clientid"] == CLIENT
    assert params["deptid"] == "1"  # DRESBACH_SITECHECK_DEPARTMENT
    assert params["subject"] == TICKET["subject"].format(domain=DOMAIN)
    body = params["message"]
    assert 'Relato do cliente: "meu site caiu"' in body
    assert "Conta cPanel: anasouza, no servidor srv1.dresbach.com.br" in body  # from WHMCS
    assert "Situação no WHMCS: Active" in body
    assert "Registro no WHMCS: Active, vence em 10/03/2027" in body
    assert f"Endereços do servidor da conta: {SERVER_IP}" in body  # WHMCS serverip
    assert f"https://{DOMAIN}/: sem resposta no tempo limite" in body
    assert "Nenhum incidente aberto no servidor" in body
    [ticket] = [t for t in whmcs.state.tickets.values() if t["subject"] == params["subject"]]
    assert ticket["replies"][0]["message"] == body
    number = ticket["tid"]
    assert run.event.ticket == number
    assert f"Abri o chamado #{number} no departamento Suporte Técnico" in run.said


def test_without_a_department_in_the_settings_the_first_one_gets_the_ticket(
    whmcs: FakeWhmcs,
) -> None:
    check(whmcs, department="", https=https(outcome="timeout", status=None, seconds=None))
    [params] = whmcs.state.calls_of("OpenTicket")
    assert params["deptid"] == "1"


def test_whmcs_down_still_explains_what_the_public_checks_found(whmcs: FakeWhmcs) -> None:
    whmcs.state.fail_next(503, 503, 503, 503, 503, 503)
    run = check(whmcs, https=https(outcome="answered", status=500))
    assert FINDINGS["server_error"]["title"].format(status=500) in run.said
