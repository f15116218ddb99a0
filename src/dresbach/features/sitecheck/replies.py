"""What the customer reads after the checks: the findings, or that a ticket will be opened.
Pure. Each text is a statement (the flow asks its one question after them) and fits WhatsApp's
4096 characters."""

from __future__ import annotations

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.model import Diagnosis, Finding
from dresbach.features.sitecheck.texts import REPLIES
from dresbach.kernel.limits import TEXT_BODY
from dresbach.kernel.messages import Text


def checking(domain: str) -> Text:
    """Said while the checks run."""
    return Text(body=REPLIES["checking"].format(domain=domain))


def finding_text(finding: Finding) -> Text:
    body = REPLIES["finding"].format(
        title=finding.title, explanation=finding.explanation, action=finding.what_to_do
    )
    return Text(body=wording.clip(body, TEXT_BODY))


def replies(diagnosis: Diagnosis) -> tuple[Text, ...]:
    """The findings, one message each, after a line saying the site was checked; when nothing
    explains the problem, that, the notices, and that a ticket will be opened."""
    domain = diagnosis.domain
    found = tuple(finding_text(f) for f in diagnosis.findings)
    if diagnosis.explained:
        return (Text(body=REPLIES["found"].format(domain=domain)), *found)
    if diagnosis.unverified:
        key = "nothing_found_partial"
    else:
        key = "nothing_found" if diagnosis.site_answered else "nothing_found_down"
    opening = Text(body=REPLIES["opening_ticket"])
    return (Text(body=REPLIES[key].format(domain=domain)), *found, opening)


def ticket_opened(number: str, department: str) -> Text:
    """Said once the ticket is open."""
    return Text(body=REPLIES["ticket_opened"].format(number=number, department=department))
