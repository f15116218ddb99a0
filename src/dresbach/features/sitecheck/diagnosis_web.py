"""The web findings: the home page's answer (errors, redirects, time) and its certificate. Pure.

The answer judged is the one over HTTPS when the site answered there, else the one over HTTP.
The certificate is judged against ``now``: expired, not yet valid, issued for another name,
self-signed, not trusted (the verifying handshake failed for another reason), or close to its end.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.model import (
    CertificateInfo,
    CheckReport,
    Expectations,
    Finding,
    HttpAnswer,
    Severity,
    TlsResult,
)
from dresbach.features.sitecheck.model import FindingKind as K
from dresbach.features.sitecheck.texts import CLIENT_ERROR_OTHER, CLIENT_ERRORS
from dresbach.features.sitecheck.wording import finding


def reached(answer: object) -> bool:
    """Whether a probe got an HTTP answer at all (a redirect loop is one, over and over)."""
    return isinstance(answer, HttpAnswer) and answer.outcome in ("answered", "too_many_redirects")


def judged_answer(report: CheckReport) -> HttpAnswer | None:
    """The HTTPS answer when there is one, else the HTTP one."""
    for answer in (report.https, report.http):
        if isinstance(answer, HttpAnswer) and reached(answer):
            return answer
    return None


def site_answers(report: CheckReport) -> bool:
    """Whether the home page answered normally (no error, no loop, no redirect away)."""
    answer = judged_answer(report)
    return (
        answer is not None
        and answer.outcome == "answered"
        and answer.status is not None
        and answer.status < 400
        and answer.left_to is None
    )


def covers(certificate: CertificateInfo, host: str) -> bool:
    """Whether the certificate names ``host`` (a wildcard stands for one whole label); with no
    DNS names, its subject is taken as the name, as old clients did."""
    host = host.strip().rstrip(".").lower()
    for name in certificate.names or (certificate.subject,):
        pattern = name.strip().rstrip(".").lower()
        if pattern == host:
            return True
        if pattern.startswith("*.") and "." in host:
            label, _, rest = host.partition(".")
            if label and rest == pattern[2:]:
                return True
    return False


def web_findings(
    report: CheckReport, site: Expectations, now: datetime, tz: ZoneInfo
) -> list[Finding]:
    found = _certificate(report, site, now, tz)
    answer = judged_answer(report)
    if answer is not None:
        found += _answer(report.domain, answer, site)
    return found


def _answer(domain: str, answer: HttpAnswer, site: Expectations) -> list[Finding]:
    if answer.outcome == "too_many_redirects":
        return [finding(K.REDIRECT_LOOP, Severity.CRITICAL, domain=domain)]
    status = answer.status or 0
    if status == 508:
        return [finding(K.RESOURCE_LIMIT, Severity.CRITICAL, domain=domain)]
    if status >= 500:
        return [finding(K.SERVER_ERROR, Severity.CRITICAL, domain=domain, status=status)]
    if status >= 400:
        meaning = CLIENT_ERRORS.get(status, CLIENT_ERROR_OTHER)
        return [
            finding(
                K.CLIENT_ERROR, Severity.CRITICAL, domain=domain, status=status, meaning=meaning
            )
        ]
    found = []
    if answer.left_to is not None:
        target = wording.clip(answer.left_to, 300)
        found.append(finding(K.REDIRECT_ELSEWHERE, Severity.WARNING, domain=domain, target=target))
    if answer.seconds is not None and answer.seconds >= site.slow_after_seconds:
        found.append(
            finding(
                K.SLOW,
                Severity.WARNING,
                domain=domain,
                seconds=wording.seconds(answer.seconds),
                limit=wording.seconds(site.slow_after_seconds),
            )
        )
    return found


def _certificate(
    report: CheckReport, site: Expectations, now: datetime, tz: ZoneInfo
) -> list[Finding]:
    domain = report.domain
    tls = report.certificate
    if isinstance(tls, TlsResult) and tls.certificate is not None:
        return _judge(domain, tls, tls.certificate, site, now, tz)
    https, http = report.https, report.http
    https_failed = isinstance(https, HttpAnswer) and https.outcome in ("refused", "tls_failed")
    http_reached = isinstance(http, HttpAnswer) and (reached(http) or bool(http.redirects))
    if https_failed and http_reached:
        return [finding(K.HTTPS_UNAVAILABLE, Severity.WARNING, domain=domain)]
    return []


def _judge(
    domain: str,
    tls: TlsResult,
    cert: CertificateInfo,
    site: Expectations,
    now: datetime,
    tz: ZoneInfo,
) -> list[Finding]:
    if now >= cert.not_after:
        end = wording.day(cert.not_after.astimezone(tz).date())
        return [finding(K.SSL_EXPIRED, Severity.CRITICAL, domain=domain, date=end)]
    if now < cert.not_before:
        start = wording.moment(cert.not_before, tz)
        return [finding(K.SSL_NOT_YET_VALID, Severity.CRITICAL, domain=domain, date=start)]
    if not covers(cert, domain):
        names = wording.listing(cert.names[:5] or (cert.subject,)) or "outro endereço"
        return [finding(K.SSL_WRONG_HOST, Severity.CRITICAL, domain=domain, names=names)]
    if cert.self_issued:
        return [finding(K.SSL_SELF_SIGNED, Severity.CRITICAL, domain=domain)]
    if not tls.trusted:
        issuer = cert.issuer or "desconhecido"
        return [finding(K.SSL_UNTRUSTED, Severity.CRITICAL, domain=domain, issuer=issuer)]
    left = (cert.not_after - now).days
    if left > site.certificate_notice_days:
        return []
    end = wording.day(cert.not_after.astimezone(tz).date())
    return [
        finding(
            K.SSL_EXPIRING,
            Severity.NOTICE,
            domain=domain,
            when=wording.in_days(left),
            date=end,
        )
    ]
