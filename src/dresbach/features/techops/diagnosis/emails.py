"""The e-mails of the Tech Ops funnel, as (subject, body): the receipt of the diagnosis and the
meeting's invitation, its updates and its cancellation. Pure: the runtime reads our records and
sends them (with the `.ics` attached) through the same mailer as the 2FA codes. The wording is
in `texts.py`; the place and the change rule are said as in the chat."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from dresbach.features.scheduling.invitation import place_text
from dresbach.features.scheduling.model import duration_pt, long_label
from dresbach.features.techops.diagnosis.meeting import change_text
from dresbach.features.techops.flow.labels import AREA_NAMES
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.money import format_brl
from dresbach.kernel.policy import Policy

MeetingNews = Literal["booked", "moved", "link", "cancelled"]


def _greeting(name: str) -> str:
    first = name.split()[0] if name.strip() else ""
    return TEXTS["mail_hello"].format(name=first) if first else TEXTS["mail_hello_anonymous"]


def _brl(amount: str) -> str:
    try:
        return format_brl(Decimal(amount))
    except InvalidOperation:
        return amount


def receipt_mail(
    policy: Policy,
    *,
    name: str,
    area: str,
    amount: str,
    txid: str,
    paid_at: datetime,
    customer_company: str,
) -> tuple[str, str]:
    local = paid_at.astimezone(SAO_PAULO)
    body = TEXTS["mail_receipt"].format(
        greeting=_greeting(name),
        area=AREA_NAMES.get(area, area or "-"),
        amount=_brl(amount),
        txid=txid,
        date=f"{local:%d/%m/%Y}",
        at_time=at_clock(local),
        customer_company=customer_company or "-",
        company=policy.company_name,
    )
    return TEXTS["mail_receipt_subject"], body


def meeting_mail(
    policy: Policy,
    news: MeetingNews,
    *,
    name: str,
    start: datetime,
    link: str,
    booked_at: datetime | None,
    now: datetime,
) -> tuple[str, str]:
    when = long_label(start)
    subject = TEXTS[f"mail_{news}_subject"].format(when=when)
    if news == "cancelled":
        body = TEXTS["mail_cancelled"].format(
            greeting=_greeting(name), when=when, company=policy.company_name
        )
        return subject, body
    change = change_text(
        policy.scheduling,
        start,
        booked_at,
        now,
        keys=("mail_change_until", "mail_change_grace", "mail_change_closed"),
    )
    body = TEXTS["mail_meeting"].format(
        greeting=_greeting(name),
        opening=TEXTS[f"mail_{news}"],
        when=when,
        duration=duration_pt(policy.scheduling.meeting),
        place=place_text(link, policy),
        change=change,
        company=policy.company_name,
    )
    return subject, body
