"""The check runner with the real adapters against local servers (#15.2): a DNS server, web
sites over HTTP and HTTPS, the fake WHM over HTTP; WHMCS and the incidents are small fakes of
their ports. Every check runs at once; a slow or failing one becomes "não foi possível
verificar" and the others keep their results; the whole run keeps its deadline."""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from dresbach.features.client_area.adapters.whm import WhmPanel
from dresbach.features.client_area.hosting import AccountSummary, Domain
from dresbach.features.sitecheck.adapters.dns_resolver import DnsPythonResolver
from dresbach.features.sitecheck.adapters.http_probe import HttpxProbe
from dresbach.features.sitecheck.adapters.tls_inspector import TlsInspector
from dresbach.features.sitecheck.checks import CheckTimeouts, SiteChecks, SiteTarget
from dresbach.features.sitecheck.diagnosis import diagnose
from dresbach.features.sitecheck.model import (
    CheckReport,
    DnsAnswers,
    Expectations,
    HttpAnswer,
    IncidentStatus,
    Nameservers,
    OpenIncident,
    Registration,
    ServiceState,
    Unverified,
)
from dresbach.features.sitecheck.ports import AccountUsage
from dresbach.features.sitecheck.replies import replies
from dresbach.kernel.errors import TransientError
from tests.fakes.whm import DEFAULT_TOKEN, FakeWhm, WhmState
from tests.support.dns_server import LocalDns
from tests.support.servers import free_port
from tests.support.sites import Sites, local_sites

SERVER_IP = "203.0.113.10"
EXPECT = Expectations(
    billing_site="https://cliente.dresbach.com.br",
    server_addresses=frozenset({SERVER_IP}),
    our_nameservers=("ns1.dresbach.com.br", "ns2.dresbach.com.br"),
)


class Billing:
    """WHMCS as the port sees it, with a delay and a failure to inject."""

    def __init__(self, *, delay: float = 0.0, error: Exception | None = None) -> None:
        self.delay, self.error = delay, error
        self.services = {"42": ServiceState(status="Active")}
        expires = date(2030, 1, 1)
        self.domains = {
            "ok.test": Domain(domain_id="7", name="ok.test", status="Active", expires=expires)
        }

    async def service_state(self, service_id: str) -> ServiceState:
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.services[service_id]

    async def registration(self, domain: str) -> Registration:
        return Registration(record=self.domains.get(domain))


class Incidents:
    def __init__(self, incident: OpenIncident | None = None, *, hang: bool = False) -> None:
        self.incident, self.hang = incident, hang
        self.asked: list[str | None] = []

    async def open_incident(self, server: str | None) -> OpenIncident | None:
        self.asked.append(server)
        if self.hang:
            await asyncio.Event().wait()
        return self.incident


@pytest.fixture(scope="module")
def dns_server() -> Iterator[LocalDns]:
    with LocalDns() as server:
        for name in ("ok.test", "erro.test", "expirado.test", "parado.test"):
            server.zone(name, "ns1.dresbach.com.br.", "ns2.dresbach.com.br.")
            server.add(name, "A", SERVER_IP)
            server.add(f"www.{name}", "CNAME", f"{name}.")
        server.silent.add("mudo.test")
        yield server


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with local_sites(tmp_path_factory.mktemp("sites"), free_port()) as running:
        yield running


@pytest.fixture(scope="module")
def whm() -> Iterator[FakeWhm]:
    with FakeWhm(state=WhmState(seeded=False)) as server:
        server.state.add_account("okuser", domain="ok.test", inodes_limit=250_000)
        server.state.add_account(
            "devedor", domain="erro.test", suspended=True, suspend_reason="Overdue on Payment"
        )
        yield server


def run(
    dns_server: LocalDns,
    sites: Sites,
    target: SiteTarget,
    *,
    whm: FakeWhm | None = None,
    timeouts: CheckTimeouts | None = None,
    **ports: Any,
) -> CheckReport:
    async def main() -> CheckReport:
        trust = ssl.create_default_context()
        sites.ca.configure_trust(trust)
        routes = sites.connect_to()
        probe = HttpxProbe(connect_to=routes, timeout=3.0)
        panel: AccountUsage | None = None
        if whm is not None:
            panel = WhmPanel(
                url=whm.url, user="root", token=DEFAULT_TOKEN, clock=lambda: datetime.now(UTC)
            )
        checks = SiteChecks(
            resolver=DnsPythonResolver(
                nameservers=["127.0.0.1"], port=dns_server.port, timeout=0.3, lifetime=0.8
            ),
            probe=probe,
            inspector=TlsInspector(trust=trust, connect_to=routes, timeout=3.0),
            timeouts=timeouts or CheckTimeouts(per_check=5.0, deadline=8.0),
            **ports,
        )
        try:
            return await checks.run(target, panel=panel)
        finally:
            await probe.aclose()
            if isinstance(panel, WhmPanel):
                await panel.aclose()

    return asyncio.run(main())


def test_a_healthy_site_fills_every_check_and_nothing_explains_it(
    dns_server: LocalDns, sites: Sites, whm: FakeWhm
) -> None:
    incidents = Incidents()
    target = SiteTarget(domain="OK.test", service_id="42", username="okuser", server="srv1")
    report = run(dns_server, sites, target, whm=whm, billing=Billing(), incidents=incidents)
    assert report.domain == "ok.test"
    assert report.service == ServiceState(status="Active")
    assert isinstance(report.usage, AccountSummary)
    assert (report.usage.disk_used_mb, report.usage.inodes_used) == (512.0, 1234)
    assert isinstance(report.dns, DnsAnswers)
    assert report.dns.www.addresses == (SERVER_IP,)
    assert isinstance(report.nameservers, Nameservers)
    assert report.nameservers.hosts == ("ns1.dresbach.com.br", "ns2.dresbach.com.br")
    assert report.incident == IncidentStatus(open=None)
    assert incidents.asked == ["srv1"]

    result = diagnose(report, EXPECT, datetime.now(UTC))
    assert result.findings == ()
    assert result.ticket is not None
    body = result.ticket.body
    assert "- https://ok.test/: código 200 em " in body
    assert "- Disco: 512 MB de 10 GB (5%)" in body
    assert "- Registro no WHMCS: Active, vence em 01/01/2030" in body
    assert "; confiável" in body


def test_a_suspended_account_explains_the_error_page(
    dns_server: LocalDns, sites: Sites, whm: FakeWhm
) -> None:
    target = SiteTarget(domain="erro.test", username="devedor", server="srv1")
    report = run(dns_server, sites, target, whm=whm)
    assert isinstance(report.https, HttpAnswer)
    assert report.https.status == 500
    assert report.service is None  # no service id: not asked
    result = diagnose(report, EXPECT, datetime.now(UTC))
    assert [f.kind.value for f in result.findings] == ["suspended_overdue"]
    said = [m.body for m in replies(result)]
    assert "Hospedagem suspensa por fatura em aberto" in said[1]


def test_an_expired_certificate_found_for_real(dns_server: LocalDns, sites: Sites) -> None:
    report = run(dns_server, sites, SiteTarget(domain="expirado.test"))
    result = diagnose(report, EXPECT, datetime.now(UTC))
    assert [f.kind.value for f in result.findings] == ["ssl_expired"]


def test_a_slow_port_is_unverified_and_the_others_keep_their_results(
    dns_server: LocalDns, sites: Sites
) -> None:
    started = time.monotonic()
    report = run(
        dns_server,
        sites,
        SiteTarget(domain="ok.test", service_id="42"),
        billing=Billing(delay=5.0),
        timeouts=CheckTimeouts(per_check=3.0, deadline=6.0, overrides={"service": 0.3}),
    )
    assert time.monotonic() - started < 3.5
    assert report.service == Unverified(reason="timeout")
    assert isinstance(report.registration, Registration)
    assert isinstance(report.dns, DnsAnswers)


def test_the_deadline_holds_whatever_hangs(dns_server: LocalDns, sites: Sites) -> None:
    started = time.monotonic()
    report = run(
        dns_server,
        sites,
        SiteTarget(domain="parado.test"),
        incidents=Incidents(hang=True),
        timeouts=CheckTimeouts(per_check=30.0, deadline=1.0),
    )
    assert time.monotonic() - started < 2.5
    assert report.incident == Unverified(reason="timeout", detail="prazo total esgotado")
    assert isinstance(report.dns, DnsAnswers)  # fast checks kept their results
    # the probe's own timeout (3 s) was never reached: the deadline cut it
    assert report.https == Unverified(reason="timeout", detail="prazo total esgotado")


def test_failures_outside_become_unverified_never_an_exception(
    dns_server: LocalDns, sites: Sites, caplog: pytest.LogCaptureFixture
) -> None:
    transient = run(
        dns_server,
        sites,
        SiteTarget(domain="ok.test", service_id="42"),
        billing=Billing(error=TransientError("WHMCS GetClientsProducts: HTTP 503")),
    )
    assert transient.service == Unverified(
        reason="error", detail="WHMCS GetClientsProducts: HTTP 503"
    )
    with caplog.at_level(logging.ERROR, logger="dresbach.features.sitecheck.checks"):
        broken = run(
            dns_server,
            sites,
            SiteTarget(domain="ok.test", service_id="42"),
            billing=Billing(error=RuntimeError("a bug with a secret in its message")),
        )
    assert broken.service == Unverified(reason="error", detail="RuntimeError")
    assert "site check service failed" in caplog.text


def test_a_silent_resolver_leaves_dns_unverified(dns_server: LocalDns, sites: Sites) -> None:
    report = run(dns_server, sites, SiteTarget(domain="mudo.test"))
    assert isinstance(report.dns, Unverified)
    assert report.dns.reason == "error"
    assert "no answer in time" in report.dns.detail
    assert isinstance(report.nameservers, Unverified)
    result = diagnose(report, EXPECT, datetime.now(UTC))
    assert result.ticket is not None
    assert re.search(
        r"- DNS do site: não foi possível verificar \(DNS A+ mudo\.test: no answer in time\)",
        result.ticket.body,
    )


def test_a_public_check_runs_only_what_the_domain_allows(
    dns_server: LocalDns, sites: Sites
) -> None:
    report = run(dns_server, sites, SiteTarget(domain=" www.OK.test. "))
    assert report.domain == "ok.test"
    assert (report.service, report.usage, report.registration, report.incident) == (
        None,
        None,
        None,
        None,
    )
    assert isinstance(report.dns, DnsAnswers)
