"""The DNS findings: a missing domain, no address, addresses pointing elsewhere, no ``www``,
nameservers that are not ours. Pure.

The addresses we expect are the account's server IPs (``Expectations.server_addresses``) and the
WHM account's own ``ip``/``ipv6``; with none known, where the domain points is not judged. An
address elsewhere while the site answers normally is only a notice: a proxy such as Cloudflare
in front of our server looks exactly like that.
"""

from __future__ import annotations

import ipaddress

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.model import (
    AccountSummary,
    CheckReport,
    DnsAnswers,
    Expectations,
    Finding,
    Nameservers,
    Registration,
    Severity,
)
from dresbach.features.sitecheck.model import FindingKind as K
from dresbach.features.sitecheck.texts import RECORDS
from dresbach.features.sitecheck.wording import finding


def expected_addresses(site: Expectations, usage: AccountSummary | None) -> list[str]:
    """The server's addresses, IPv4 first; the WHM account's own ones lead their family."""
    own = [usage.ip, *usage.ipv6] if usage is not None else []
    found = [_canonical(a) for a in own if a]
    found += sorted(_canonical(a) for a in site.server_addresses)
    unique = list(dict.fromkeys(a for a in found if a))
    return sorted(unique, key=lambda a: ":" in a)  # stable: IPv4 before IPv6


def nameservers_are_ours(ns: Nameservers, site: Expectations) -> bool | None:
    """``None`` when it cannot be said (no NS found, or ours not configured)."""
    ours = {_host(h) for h in site.our_nameservers}
    found = {_host(h) for h in ns.hosts}
    if ns.status != "found" or not found or not ours:
        return None
    return found <= ours


def dns_findings(
    report: CheckReport,
    site: Expectations,
    *,
    usage: AccountSummary | None,
    site_answers: bool,
) -> list[Finding]:
    domain = report.domain
    dns = report.dns if isinstance(report.dns, DnsAnswers) else None
    ns = report.nameservers if isinstance(report.nameservers, Nameservers) else None
    ours = nameservers_are_ours(ns, site) if ns is not None else None
    expected = expected_addresses(site, usage)
    found: list[Finding] = []
    elsewhere: Finding | None = None
    if dns is not None:
        apex, www = dns.apex, dns.www
        if apex.status == "nxdomain":
            found.append(
                finding(K.DOMAIN_MISSING, Severity.CRITICAL, domain=domain, site=site.billing_site)
            )
        elif not apex.addresses and not www.addresses and apex.status == "nodata":
            records = _records(domain, expected, [])
            found.append(finding(K.DNS_MISSING, Severity.CRITICAL, domain=domain, records=records))
        else:
            elsewhere = _elsewhere(report, site, dns, expected, ours, ns, site_answers)
            if elsewhere is not None:
                found.append(elsewhere)
            if apex.addresses and www.status in ("nxdomain", "nodata"):
                found.append(finding(K.WWW_MISSING, Severity.WARNING, domain=domain))
    proxied = elsewhere is not None and elsewhere.severity is Severity.NOTICE
    if ns is not None and ours is False and not proxied:  # a proxy's nameservers are its own
        broken = any(f.severity is Severity.CRITICAL for f in found)
        right = bool(expected) and dns is not None and bool(dns.apex.addresses) and not found
        found.append(_foreign_nameservers(report, site, ns, critical=broken, pointing_right=right))
    return found


def _elsewhere(
    report: CheckReport,
    site: Expectations,
    dns: DnsAnswers,
    expected: list[str],
    ours: bool | None,
    ns: Nameservers | None,
    site_answers: bool,
) -> Finding | None:
    if not expected:
        return None
    seen = [_canonical(a) for a in (*dns.apex.addresses, *dns.www.addresses)]
    foreign = [a for a in dict.fromkeys(seen) if a not in expected]
    if not foreign:
        return None
    fields = {
        "domain": report.domain,
        "found": wording.listing(foreign),
        "expected": wording.listing(expected),
        "records": _records(report.domain, expected, foreign),
    }
    if site_answers:
        return finding(
            K.DNS_ELSEWHERE,
            Severity.NOTICE,
            explanation="explanation_proxy",
            action="action_proxy",
            details=fields,
        )
    if ours is True:
        return finding(K.DNS_ELSEWHERE, Severity.CRITICAL, action="action_ours", details=fields)
    if ours is False and ns is not None:
        provider = wording.listing(_host(h) for h in ns.hosts)
        return finding(
            K.DNS_ELSEWHERE,
            Severity.CRITICAL,
            action="action_foreign",
            provider=provider,
            details=fields,
        )
    return finding(K.DNS_ELSEWHERE, Severity.CRITICAL, details=fields)


def _foreign_nameservers(
    report: CheckReport,
    site: Expectations,
    ns: Nameservers,
    *,
    critical: bool,
    pointing_right: bool,
) -> Finding:
    registration = report.registration
    registered_with_us = isinstance(registration, Registration) and registration.record is not None
    fields = {
        "domain": report.domain,
        "found": wording.listing(_host(h) for h in ns.hosts),
        "ours": wording.bullets(_host(h) for h in site.our_nameservers),
        "site": site.billing_site,
    }
    if pointing_right:
        return finding(
            K.NAMESERVERS_FOREIGN,
            Severity.NOTICE,
            explanation="explanation_fine",
            action="action_fine",
            details=fields,
        )
    action = "action" if registered_with_us else "action_registrar"
    severity = Severity.CRITICAL if critical else Severity.NOTICE
    return finding(K.NAMESERVERS_FOREIGN, severity, action=action, details=fields)


def _records(domain: str, expected: list[str], foreign: list[str]) -> str:
    """The records that make the domain point at our server, one bullet each."""
    v4 = [a for a in expected if ":" not in a]
    v6 = [a for a in expected if ":" in a]
    lines = []
    if v4:
        lines.append(RECORDS["a_apex"].format(domain=domain, address=v4[0]))
    if v6:
        lines.append(RECORDS["aaaa_apex"].format(domain=domain, address=v6[0]))
    lines.append(RECORDS["www"].format(domain=domain))
    if not v6:
        lines += [RECORDS["drop_aaaa"].format(address=a) for a in foreign if ":" in a]
    return wording.bullets(lines)


def _canonical(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return address.strip().lower()


def _host(name: str) -> str:
    return name.strip().rstrip(".").lower()
