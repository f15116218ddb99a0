"""From every check's result to what a customer reads: ``diagnose(report, expectations, now)``.

Pure: no I/O, no clock. The findings come most serious first (critical, warning, notice; within
one severity in the order of :class:`FindingKind`). A root cause (an open incident, a suspended,
pending or closed service, an expired or missing domain) hides the web symptoms it causes, which
would only repeat it. When no finding explains the problem (only notices, or none), the diagnosis
carries a ticket pre-filled with every check's result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.diagnosis_dns import dns_findings
from dresbach.features.sitecheck.diagnosis_web import site_answers, web_findings
from dresbach.features.sitecheck.model import (
    CHECKS,
    AccountSummary,
    CheckReport,
    Diagnosis,
    Expectations,
    Finding,
    IncidentStatus,
    Registration,
    ServiceState,
    Severity,
    SuspensionCause,
    Unverified,
    suspension_cause,
)
from dresbach.features.sitecheck.model import FindingKind as K
from dresbach.features.sitecheck.texts import STATUS_NAMES
from dresbach.features.sitecheck.ticket import ticket_draft
from dresbach.features.sitecheck.wording import finding
from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.text import normalize

_ROOTS: Final = frozenset(
    {
        K.INCIDENT,
        K.SERVICE_CLOSED,
        K.SERVICE_PENDING,
        K.SUSPENDED_OVERDUE,
        K.SUSPENDED_ABUSE,
        K.SUSPENDED_OTHER,
        K.DOMAIN_EXPIRED,
        K.DOMAIN_MISSING,
    }
)
_WEB: Final = frozenset(
    {
        K.SERVER_ERROR,
        K.RESOURCE_LIMIT,
        K.CLIENT_ERROR,
        K.REDIRECT_LOOP,
        K.SSL_EXPIRED,
        K.SSL_NOT_YET_VALID,
        K.SSL_WRONG_HOST,
        K.SSL_SELF_SIGNED,
        K.SSL_UNTRUSTED,
        K.HTTPS_UNAVAILABLE,
        K.REDIRECT_ELSEWHERE,
        K.SLOW,
        K.SSL_EXPIRING,
    }
)
_RANK: Final = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.NOTICE: 2}
_ORDER: Final = {kind: index for index, kind in enumerate(K)}
_INCIDENT_TITLE: Final = 200
_INCIDENT_MESSAGE: Final = 2500
_CLOSED: Final = frozenset({"terminated", "cancelled", "fraud"})
_EXPIRED: Final = frozenset({"expired", "grace", "redemption"})


def diagnose(
    report: CheckReport,
    expectations: Expectations,
    now: datetime,
    *,
    reported: str | None = None,
    tz: ZoneInfo = SAO_PAULO,
) -> Diagnosis:
    """The findings of ``report``, or the ticket when nothing explains the problem
    (``reported``, what the customer said, goes into it)."""
    usage = report.usage if isinstance(report.usage, AccountSummary) else None
    answered = site_answers(report)
    found = [
        *_incident(report, tz),
        *_service(report, usage, expectations),
        *_usage(report.domain, usage, expectations),
        *_registration(report, expectations, now, tz),
        *dns_findings(report, expectations, usage=usage, site_answers=answered),
        *web_findings(report, expectations, now, tz),
    ]
    kinds = {f.kind for f in found}
    if kinds & _ROOTS:
        found = [f for f in found if f.kind not in _WEB]
    if K.DOMAIN_EXPIRED in kinds:
        found = [f for f in found if f.kind is not K.DOMAIN_MISSING]
    found.sort(key=lambda f: (_RANK[f.severity], _ORDER[f.kind]))
    findings = tuple(found)
    explained = any(f.severity is not Severity.NOTICE for f in findings)
    ticket = None
    if not explained:
        ticket = ticket_draft(report, expectations, findings, now, tz=tz, reported=reported)
    unverified = tuple(name for name in CHECKS if isinstance(getattr(report, name), Unverified))
    return Diagnosis(
        domain=report.domain,
        findings=findings,
        ticket=ticket,
        unverified=unverified,
        site_answered=answered,
    )


def _incident(report: CheckReport, tz: ZoneInfo) -> list[Finding]:
    if not isinstance(report.incident, IncidentStatus) or report.incident.open is None:
        return []
    incident = report.incident.open
    return [
        finding(
            K.INCIDENT,
            Severity.CRITICAL,
            domain=report.domain,
            title=wording.clip(incident.title, _INCIDENT_TITLE).rstrip("."),
            message=wording.clip(incident.message, _INCIDENT_MESSAGE),
            updated=wording.moment(incident.updated_at, tz),
        )
    ]


def _service(
    report: CheckReport, usage: AccountSummary | None, site: Expectations
) -> list[Finding]:
    state = report.service if isinstance(report.service, ServiceState) else None
    status = normalize(state.status) if state is not None else ""
    domain = report.domain
    if status in _CLOSED:
        return [
            finding(
                K.SERVICE_CLOSED,
                Severity.CRITICAL,
                needs_person=True,
                domain=domain,
                status=STATUS_NAMES[status],
            )
        ]
    if status == "pending":
        return [
            finding(K.SERVICE_PENDING, Severity.CRITICAL, domain=domain, site=site.billing_site)
        ]
    if state is not None and status == "suspended":
        reason = state.suspension_reason or (usage.suspend_reason if usage else None)
    elif usage is not None and usage.suspended:
        reason = usage.suspend_reason
    else:
        return []
    cause = suspension_cause(reason)
    if cause is SuspensionCause.OVERDUE:
        return [
            finding(K.SUSPENDED_OVERDUE, Severity.CRITICAL, domain=domain, site=site.billing_site)
        ]
    kind = K.SUSPENDED_ABUSE if cause is SuspensionCause.ABUSE else K.SUSPENDED_OTHER
    return [finding(kind, Severity.CRITICAL, needs_person=True, domain=domain)]


def _usage(domain: str, usage: AccountSummary | None, site: Expectations) -> list[Finding]:
    if usage is None:
        return []
    found: list[Finding] = []
    if usage.disk_limit_mb:
        ratio = usage.disk_used_mb / usage.disk_limit_mb
        kind = _quota_kind(ratio, site, K.DISK_FULL, K.DISK_NEARLY_FULL)
        if kind is not None:
            found.append(
                finding(
                    kind,
                    Severity.CRITICAL if kind is K.DISK_FULL else Severity.NOTICE,
                    domain=domain,
                    used=wording.size(usage.disk_used_mb),
                    limit=wording.size(usage.disk_limit_mb),
                    percent=wording.percent(ratio),
                )
            )
    if usage.inodes_used is not None and usage.inodes_limit:
        ratio = usage.inodes_used / usage.inodes_limit
        kind = _quota_kind(ratio, site, K.INODES_FULL, K.INODES_NEARLY_FULL)
        if kind is not None:
            found.append(
                finding(
                    kind,
                    Severity.CRITICAL if kind is K.INODES_FULL else Severity.NOTICE,
                    domain=domain,
                    used=wording.integer(usage.inodes_used),
                    limit=wording.integer(usage.inodes_limit),
                    percent=wording.percent(ratio),
                )
            )
    return found


def _quota_kind(ratio: float, site: Expectations, full: K, nearly: K) -> K | None:
    if ratio >= 1:
        return full
    if ratio >= site.nearly_full_ratio:
        return nearly
    return None


def _registration(
    report: CheckReport, site: Expectations, now: datetime, tz: ZoneInfo
) -> list[Finding]:
    if not isinstance(report.registration, Registration) or report.registration.record is None:
        return []
    record = report.registration.record
    today = now.astimezone(tz).date()
    expires = record.expires
    domain = report.domain
    if normalize(record.status) in _EXPIRED or (expires is not None and expires < today):
        if expires is None:
            return [
                finding(
                    K.DOMAIN_EXPIRED,
                    Severity.CRITICAL,
                    explanation="explanation_undated",
                    domain=domain,
                    site=site.billing_site,
                )
            ]
        return [
            finding(
                K.DOMAIN_EXPIRED,
                Severity.CRITICAL,
                domain=domain,
                date=wording.day(expires),
                site=site.billing_site,
            )
        ]
    if expires is None or (expires - today).days > site.domain_notice_days:
        return []
    return [
        finding(
            K.DOMAIN_EXPIRING,
            Severity.NOTICE,
            domain=domain,
            when=wording.in_days((expires - today).days),
            date=wording.day(expires),
            site=site.billing_site,
        )
    ]
