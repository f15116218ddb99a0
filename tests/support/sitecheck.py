"""Site-check tests that read like transcripts: what the checks found, what the bot says.

``healthy()`` is the report of a site where everything is fine; a test changes what it needs
(``healthy(service=ServiceState(status="Suspended", …))``) and reads ``bot_says(report)``, the
customer's messages in order, each checked against the house rules on the way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dresbach.features.client_area.hosting import AccountSummary, Domain
from dresbach.features.sitecheck.diagnosis import diagnose
from dresbach.features.sitecheck.model import (
    CertificateInfo,
    CheckReport,
    Diagnosis,
    DnsAnswers,
    Expectations,
    HttpAnswer,
    IncidentStatus,
    NameLookup,
    Nameservers,
    Registration,
    ServiceState,
    TlsResult,
)
from dresbach.features.sitecheck.replies import replies
from dresbach.kernel.limits import violations
from dresbach.kernel.messages import Text

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 12:00 in Brasília
DOMAIN = "cliente.com.br"
SITE = "https://cliente.dresbach.com.br"
OUR_NS = ("ns1.dresbach.com.br", "ns2.dresbach.com.br")
SERVER_IP = "203.0.113.10"

EXPECT = Expectations(
    billing_site=SITE, server_addresses=frozenset({SERVER_IP}), our_nameservers=OUR_NS
)

FOUND = "Verifiquei o site cliente.com.br. Veja o que encontrei:"

# A payment must never be made or linked in these texts: no Pix code, boleto line, amount or
# payment link (the site where payments are made is named, and nothing else).
_PAYMENT = re.compile(
    r"R\$|\d+,\d{2}\b|000201|copia e cola|linha digit|https?://(?!cliente\.dresbach\.com\.br)"
    r"\S*(pag|pay|boleto|fatura|invoice)",
    re.I,
)


def certificate(**changes: Any) -> CertificateInfo:
    cert = CertificateInfo(
        subject=DOMAIN,
        names=(DOMAIN, f"www.{DOMAIN}"),
        issuer="R11",
        self_issued=False,
        not_before=NOW - timedelta(days=30),
        not_after=NOW + timedelta(days=60),
    )
    return replace(cert, **changes)


def usage(**changes: Any) -> AccountSummary:
    summary = AccountSummary(
        username="cliente",
        domain=DOMAIN,
        disk_used_mb=512.0,
        disk_limit_mb=10240.0,
        inodes_used=1234,
        inodes_limit=250000,
        suspended=False,
        ip=SERVER_IP,
    )
    return replace(summary, **changes)


def lookup(name: str, *addresses: str, status: str = "found") -> NameLookup:
    return NameLookup(name=name, status=status, addresses=addresses)  # type: ignore[arg-type]


def dns(apex: tuple[str, ...] = (SERVER_IP,), www: tuple[str, ...] = (SERVER_IP,)) -> DnsAnswers:
    return DnsAnswers(apex=lookup(DOMAIN, *apex), www=lookup(f"www.{DOMAIN}", *www))


def nameservers(*hosts: str) -> Nameservers:
    return Nameservers(zone=DOMAIN, status="found", hosts=hosts or OUR_NS)


def https(**changes: Any) -> HttpAnswer:
    answer = HttpAnswer(url=f"https://{DOMAIN}/", outcome="answered", status=200, seconds=0.42)
    return replace(answer, **changes)


def http(**changes: Any) -> HttpAnswer:
    answer = HttpAnswer(
        url=f"http://{DOMAIN}/",
        outcome="answered",
        status=200,
        seconds=0.61,
        redirects=(f"https://{DOMAIN}/",),
    )
    return replace(answer, **changes)


def tls(**changes: Any) -> TlsResult:
    return replace(
        TlsResult(outcome="presented", certificate=certificate(), trusted=True), **changes
    )


def registered(**changes: Any) -> Registration:
    record = Domain(
        domain_id="7",
        name=DOMAIN,
        status="Active",
        expires=date(2027, 3, 12),
        nameservers=OUR_NS,
    )
    return Registration(record=replace(record, **changes))


def healthy(**changes: Any) -> CheckReport:
    report = CheckReport(
        domain=DOMAIN,
        username="cliente",
        server="srv1.dresbach.com.br",
        service=ServiceState(status="Active"),
        usage=usage(),
        registration=registered(),
        dns=dns(),
        nameservers=nameservers(),
        https=https(),
        http=http(),
        certificate=tls(),
        incident=IncidentStatus(open=None),
    )
    return replace(report, **changes)


def diagnosis(
    report: CheckReport, expectations: Expectations = EXPECT, **options: Any
) -> Diagnosis:
    return diagnose(report, expectations, NOW, **options)


def bot_says(report: CheckReport, expectations: Expectations = EXPECT) -> list[str]:
    """What the customer reads, each message checked: WhatsApp's limits, no question, no
    payment."""
    messages = replies(diagnosis(report, expectations))
    for message in messages:
        assert isinstance(message, Text)
        assert not violations(message), violations(message)
        assert "?" not in message.body, f"a question in a statement: {message.body!r}"
        assert not _PAYMENT.search(message.body), f"a payment in: {message.body!r}"
    return [m.body for m in messages]


def kinds(report: CheckReport, expectations: Expectations = EXPECT) -> list[str]:
    return [f.kind.value for f in diagnosis(report, expectations).findings]
