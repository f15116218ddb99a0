"""The ticket opened when nothing explains the problem: every check's result, in pt-BR, for our
team. Pure. Nothing secret goes in (no password, token or document: the checks hold none)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.diagnosis_dns import expected_addresses, nameservers_are_ours
from dresbach.features.sitecheck.model import (
    AccountSummary,
    CheckReport,
    DnsAnswers,
    Expectations,
    Finding,
    HttpAnswer,
    IncidentStatus,
    NameLookup,
    Nameservers,
    Registration,
    ServiceState,
    TicketDraft,
    TlsResult,
    Unverified,
)
from dresbach.features.sitecheck.texts_ticket import CHECK_NAMES, TICKET

T = TypeVar("T")
_REPORTED = 1000


def ticket_draft(
    report: CheckReport,
    site: Expectations,
    findings: Sequence[Finding],
    now: datetime,
    *,
    tz: ZoneInfo,
    reported: str | None = None,
) -> TicketDraft:
    """The ticket's subject and body; ``reported`` is what the customer said, when known."""
    domain = report.domain
    usage = report.usage if isinstance(report.usage, AccountSummary) else None
    intro = [TICKET["intro"].format(domain=domain, moment=wording.moment(now, tz))]
    if reported and reported.strip():
        intro.append(TICKET["reported"].format(text=wording.clip(reported, _REPORTED)))
    sections = [
        "\n".join(intro),
        _section("hosting", _hosting(report)),
        _section("domain", _domain(report, site, usage)),
        _section("site", _site(report, now, tz)),
        _section("incidents", _incidents(report, tz)),
    ]
    if findings:
        sections.append(_section("notices", [f.title for f in findings]))
    return TicketDraft(subject=TICKET["subject"].format(domain=domain), body="\n\n".join(sections))


def _section(name: str, lines: list[str]) -> str:
    return "\n".join([TICKET[name], *(f"- {line}" for line in lines)])


def _each(
    report: CheckReport, check: str, value: object, kind: type[T], say: Callable[[T], list[str]]
) -> list[str]:
    """``say(value)`` for a result; otherwise why there is none."""
    if isinstance(value, kind):
        return say(value)
    what = CHECK_NAMES[check].format(domain=report.domain)
    if isinstance(value, Unverified):
        if value.reason == "timeout":
            return [TICKET["unverified_timeout"].format(what=what)]
        detail = wording.clip(value.detail, 200) or "erro"
        return [TICKET["unverified_error"].format(what=what, detail=detail)]
    return [TICKET["not_run"].format(what=what)]


def _hosting(report: CheckReport) -> list[str]:
    lines = []
    if report.username:
        key = "account_server" if report.server else "account"
        lines.append(TICKET[key].format(username=report.username, server=report.server))
    lines += _each(report, "service", report.service, ServiceState, _service)
    lines += _each(report, "usage", report.usage, AccountSummary, _usage)
    return lines


def _service(state: ServiceState) -> list[str]:
    if state.suspension_reason:
        reason = wording.clip(state.suspension_reason, 200)
        return [TICKET["service_reason"].format(status=state.status, reason=reason)]
    return [TICKET["service"].format(status=state.status)]


def _usage(usage: AccountSummary) -> list[str]:
    lines = []
    if usage.suspended:
        reason = wording.clip(usage.suspend_reason or "", 200) or "não informado"
        lines.append(TICKET["whm_suspended"].format(reason=reason))
    else:
        lines.append(TICKET["whm_active"])
    used = wording.size(usage.disk_used_mb)
    if usage.disk_limit_mb:
        limit, ratio = wording.size(usage.disk_limit_mb), usage.disk_used_mb / usage.disk_limit_mb
        lines.append(TICKET["disk"].format(used=used, limit=limit, percent=wording.percent(ratio)))
    else:
        lines.append(TICKET["disk_unlimited"].format(used=used))
    if usage.inodes_used is None:
        lines.append(TICKET["inodes_unknown"])
    elif usage.inodes_limit:
        ratio = usage.inodes_used / usage.inodes_limit
        lines.append(
            TICKET["inodes"].format(
                used=wording.integer(usage.inodes_used),
                limit=wording.integer(usage.inodes_limit),
                percent=wording.percent(ratio),
            )
        )
    else:
        lines.append(TICKET["inodes_unlimited"].format(used=wording.integer(usage.inodes_used)))
    return lines


def _domain(report: CheckReport, site: Expectations, usage: AccountSummary | None) -> list[str]:
    lines = _each(report, "registration", report.registration, Registration, _registration)
    lines += _each(report, "dns", report.dns, DnsAnswers, _addresses)
    expected = expected_addresses(site, usage)
    if expected:
        lines.append(TICKET["expected"].format(addresses=", ".join(expected)))
    else:
        lines.append(TICKET["expected_unknown"])
    lines += _each(
        report, "nameservers", report.nameservers, Nameservers, lambda ns: _nameservers(ns, site)
    )
    return lines


def _registration(registration: Registration) -> list[str]:
    record = registration.record
    if record is None:
        return [TICKET["registration_none"]]
    if record.expires is None:
        return [TICKET["registration_undated"].format(status=record.status)]
    date = wording.day(record.expires)
    return [TICKET["registration"].format(status=record.status, date=date)]


def _addresses(dns: DnsAnswers) -> list[str]:
    return [_lookup(dns.apex), _lookup(dns.www)]


def _lookup(lookup: NameLookup) -> str:
    if lookup.status == "found" and lookup.addresses:
        return TICKET["lookup_found"].format(
            name=lookup.name, addresses=", ".join(lookup.addresses)
        )
    status = "nodata" if lookup.status == "found" else lookup.status
    return TICKET[f"lookup_{status}"].format(name=lookup.name)


def _nameservers(ns: Nameservers, site: Expectations) -> list[str]:
    if ns.status != "found" or not ns.hosts:
        status = "nodata" if ns.status == "found" else ns.status
        return [TICKET[f"ns_{status}"].format(zone=ns.zone)]
    hosts = ", ".join(h.rstrip(".").lower() for h in ns.hosts)
    ours = nameservers_are_ours(ns, site)
    key = {True: "ns_ours", False: "ns_foreign", None: "ns_found"}[ours]
    return [TICKET[key].format(zone=ns.zone, hosts=hosts, ours=", ".join(site.our_nameservers))]


def _site(report: CheckReport, now: datetime, tz: ZoneInfo) -> list[str]:
    lines = _each(report, "https", report.https, HttpAnswer, _http)
    lines += _each(report, "http", report.http, HttpAnswer, _http)
    lines += _each(report, "certificate", report.certificate, TlsResult, lambda t: _tls(t, now, tz))
    return lines


def _http(answer: HttpAnswer) -> list[str]:
    fields = {
        "url": answer.url,
        "status": answer.status,
        "seconds": wording.seconds(answer.seconds or 0.0),
        "targets": " → ".join(wording.clip(t, 200) for t in answer.redirects),
        "target": wording.clip(answer.left_to or "", 300),
    }
    if answer.outcome != "answered":
        return [TICKET[f"http_{answer.outcome}"].format(**fields)]
    if answer.left_to is not None:
        return [TICKET["http_left"].format(**fields)]
    key = "http_redirects" if answer.redirects else "http_answered"
    return [TICKET[key].format(**fields)]


def _tls(tls: TlsResult, now: datetime, tz: ZoneInfo) -> list[str]:
    cert = tls.certificate
    if cert is None:
        outcome = "handshake_failed" if tls.outcome == "presented" else tls.outcome
        return [TICKET[f"tls_{outcome}"]]
    left = (cert.not_after - now).days
    if cert.not_after > now:
        remaining = TICKET["certificate_left"].format(when=wording.in_days(max(left, 0)))
    elif (now - cert.not_after).days == 0:
        remaining = TICKET["certificate_gone_today"]
    else:
        remaining = TICKET["certificate_gone"].format(
            days=wording.days((now - cert.not_after).days)
        )
    if tls.trusted:
        trust = TICKET["trusted"]
    elif tls.verify_error:
        trust = TICKET["untrusted"].format(error=wording.clip(tls.verify_error, 200))
    else:
        trust = TICKET["untrusted_plain"]
    names = ", ".join(cert.names[:10]) or cert.subject or "?"
    return [
        TICKET["certificate"].format(
            names=names,
            issuer=cert.issuer or "?",
            start=wording.day(cert.not_before.astimezone(tz).date()),
            end=wording.day(cert.not_after.astimezone(tz).date()),
            left=remaining,
            trust=trust,
        )
    ]


def _incidents(report: CheckReport, tz: ZoneInfo) -> list[str]:
    def say(status: IncidentStatus) -> list[str]:
        if status.open is None:
            return [TICKET["incident_none"]]
        updated = wording.moment(status.open.updated_at, tz)
        return [TICKET["incident_open"].format(title=status.open.title, updated=updated)]

    return _each(report, "incident", report.incident, IncidentStatus, say)
