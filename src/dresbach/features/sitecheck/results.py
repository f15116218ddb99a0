"""The checks' results: plain data, one type per check, gathered in :class:`CheckReport`.

A check's slot holds its result, :class:`Unverified` when it could not be run to its end (no
answer in time, an error), or ``None`` when it was not run at all (a public check from the domain
alone has no account to look at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Literal

from dresbach.features.client_area.hosting import AccountSummary, Domain
from dresbach.kernel.text import normalize


class SuspensionCause(StrEnum):
    OVERDUE = "overdue"
    ABUSE = "abuse"
    OTHER = "other"


_ABUSE: Final = re.compile(
    r"abus|spam|malware|phishing|virus|hack|invas|terms|termos|\baup\b|fraud|ddos|seguranca|security"
)
_OVERDUE: Final = re.compile(
    r"overdue|atras|pagamento|payment|fatura|invoice|inadimpl|vencid|unpaid|billing|cobranca"
)


def suspension_cause(reason: str | None) -> SuspensionCause:
    """Why an account is suspended, from the free text WHMCS or WHM keep (WHMCS writes "Overdue
    on Payment" when it suspends for an unpaid invoice). Abuse wins over money: an account
    suspended for both needs a person."""
    words = normalize(reason or "")
    if _ABUSE.search(words):
        return SuspensionCause.ABUSE
    if _OVERDUE.search(words):
        return SuspensionCause.OVERDUE
    return SuspensionCause.OTHER


# ---- the checks' results -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Unverified:
    """A check that could not be run to its end: ``detail`` says why, for the operator."""

    reason: Literal["timeout", "error"]
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceState:
    """The hosting service in WHMCS: ``status`` as WHMCS says it (Active, Suspended, Pending,
    Terminated, Cancelled, Fraud…) and its ``suspensionreason``."""

    status: str
    suspension_reason: str = ""


LookupStatus = Literal["found", "nxdomain", "nodata", "servfail"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NameLookup:
    """The A and AAAA records of one name (``addresses`` holds both)."""

    name: str
    status: LookupStatus
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsAnswers:
    apex: NameLookup
    www: NameLookup


@dataclass(frozen=True, slots=True, kw_only=True)
class Nameservers:
    """The NS records of the zone the domain is in (``zone``, found by walking up)."""

    zone: str
    status: LookupStatus
    hosts: tuple[str, ...] = ()


HttpOutcome = Literal[
    "answered", "refused", "timeout", "tls_failed", "unreachable", "too_many_redirects"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpAnswer:
    """One probe of the home page. ``status`` and ``seconds`` are of the last answer (time summed
    over the redirects followed); ``redirects`` every ``Location`` met, in order; ``left_to`` a
    redirect to another site, recorded and not followed."""

    url: str
    outcome: HttpOutcome
    status: int | None = None
    seconds: float | None = None
    redirects: tuple[str, ...] = ()
    left_to: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateInfo:
    """The facts of a peer certificate; times are aware UTC."""

    subject: str
    names: tuple[str, ...]
    issuer: str
    self_issued: bool
    not_before: datetime
    not_after: datetime


TlsOutcome = Literal["presented", "refused", "timeout", "unreachable", "handshake_failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsResult:
    """The certificate the site presents on port 443, read even when it fails verification;
    ``trusted`` is the verdict of a verifying handshake, ``verify_error`` OpenSSL's words."""

    outcome: TlsOutcome
    certificate: CertificateInfo | None = None
    trusted: bool = False
    verify_error: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """The domain in WHMCS; ``record`` is ``None`` when it is not registered with us."""

    record: Domain | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenIncident:
    incident_id: str
    title: str
    message: str
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentStatus:
    """``open`` is the incident open on the site's server, or ``None``."""

    open: OpenIncident | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """Every check's result for one site."""

    domain: str
    username: str | None = None
    server: str | None = None
    service: ServiceState | Unverified | None = None
    usage: AccountSummary | Unverified | None = None
    registration: Registration | Unverified | None = None
    dns: DnsAnswers | Unverified | None = None
    nameservers: Nameservers | Unverified | None = None
    https: HttpAnswer | Unverified | None = None
    http: HttpAnswer | Unverified | None = None
    certificate: TlsResult | Unverified | None = None
    incident: IncidentStatus | Unverified | None = None


CHECKS: tuple[str, ...] = (
    "service",
    "usage",
    "registration",
    "dns",
    "nameservers",
    "https",
    "http",
    "certificate",
    "incident",
)
"""The names of the checks, as :class:`CheckReport` names their slots."""
