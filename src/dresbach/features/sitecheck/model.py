"""What the site checks find, what we expect of a site, and what the diagnosis says. Plain data.

The checks' results live in ``results`` (re-exported here): a check's slot in
:class:`CheckReport` holds its result, :class:`Unverified` when it could not be run to its end,
or ``None`` when it was not run at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dresbach.features.client_area.hosting import AccountSummary, Domain
from dresbach.features.sitecheck.results import (
    CHECKS,
    CertificateInfo,
    CheckReport,
    DnsAnswers,
    HttpAnswer,
    IncidentStatus,
    NameLookup,
    Nameservers,
    OpenIncident,
    Registration,
    ServiceState,
    SuspensionCause,
    TlsResult,
    Unverified,
    suspension_cause,
)

__all__ = [
    "CHECKS",
    "AccountSummary",
    "CertificateInfo",
    "CheckReport",
    "Diagnosis",
    "DnsAnswers",
    "Domain",
    "Expectations",
    "Finding",
    "FindingKind",
    "HttpAnswer",
    "IncidentStatus",
    "NameLookup",
    "Nameservers",
    "OpenIncident",
    "Registration",
    "ServiceState",
    "Severity",
    "SuspensionCause",
    "TicketDraft",
    "TlsResult",
    "Unverified",
    "suspension_cause",
]


class Severity(StrEnum):
    CRITICAL = "critical"
    """It takes the site down now (suspended, DNS elsewhere, error 500, expired certificate…)."""
    WARNING = "warning"
    """The site works badly now (slow, no www, redirected elsewhere)."""
    NOTICE = "notice"
    """Not a problem yet (domain or certificate close to expiry, disk nearly full)."""


class FindingKind(StrEnum):
    """Every finding, in the order they are shown within one severity."""

    INCIDENT = "incident"
    SERVICE_CLOSED = "service_closed"
    SERVICE_PENDING = "service_pending"
    SUSPENDED_OVERDUE = "suspended_overdue"
    SUSPENDED_ABUSE = "suspended_abuse"
    SUSPENDED_OTHER = "suspended_other"
    DOMAIN_EXPIRED = "domain_expired"
    DOMAIN_MISSING = "domain_missing"
    NAMESERVERS_FOREIGN = "nameservers_foreign"
    DNS_ELSEWHERE = "dns_elsewhere"
    DNS_MISSING = "dns_missing"
    DISK_FULL = "disk_full"
    INODES_FULL = "inodes_full"
    SERVER_ERROR = "server_error"
    RESOURCE_LIMIT = "resource_limit"
    CLIENT_ERROR = "client_error"
    REDIRECT_LOOP = "redirect_loop"
    SSL_EXPIRED = "ssl_expired"
    SSL_NOT_YET_VALID = "ssl_not_yet_valid"
    SSL_WRONG_HOST = "ssl_wrong_host"
    SSL_SELF_SIGNED = "ssl_self_signed"
    SSL_UNTRUSTED = "ssl_untrusted"
    HTTPS_UNAVAILABLE = "https_unavailable"
    WWW_MISSING = "www_missing"
    REDIRECT_ELSEWHERE = "redirect_elsewhere"
    SLOW = "slow"
    DOMAIN_EXPIRING = "domain_expiring"
    SSL_EXPIRING = "ssl_expiring"
    DISK_NEARLY_FULL = "disk_nearly_full"
    INODES_NEARLY_FULL = "inodes_nearly_full"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expectations:
    """What a healthy site of ours looks like, and the thresholds of the findings.

    ``server_addresses``: the account's server IPs (WHMCS ``serverip``, a dedicated IP; the WHM
    account's ``ip``/``ipv6`` are added when known); empty when unknown. ``our_nameservers``:
    ours, from settings. ``billing_site``: where payments are made (never this conversation)."""

    billing_site: str
    server_addresses: frozenset[str] = frozenset()
    our_nameservers: tuple[str, ...] = ()
    slow_after_seconds: float = 5.0
    nearly_full_ratio: float = 0.9
    domain_notice_days: int = 30
    certificate_notice_days: int = 7


# ---- the diagnosis -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One explanation, in plain pt-BR for the customer, with what to do about it;
    ``needs_person`` when only our team can solve it (abuse, a closed service)."""

    kind: FindingKind
    severity: Severity
    title: str
    explanation: str
    what_to_do: str
    needs_person: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketDraft:
    """A ticket for our team, pre-filled with every check's result (pt-BR, no secrets)."""

    subject: str
    body: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnosis:
    """The findings, most serious first; ``ticket`` when none of them explains the problem;
    ``unverified`` the checks that could not be run to their end; ``site_answered`` whether the
    home page answered normally."""

    domain: str
    findings: tuple[Finding, ...]
    ticket: TicketDraft | None
    unverified: tuple[str, ...] = ()
    site_answered: bool = False

    @property
    def explained(self) -> bool:
        return any(f.severity is not Severity.NOTICE for f in self.findings)
