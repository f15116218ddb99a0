"""A notice as the message that goes: the text inside the 24 h customer-service window (with
the template as its fallback, should the window close before it leaves), the approved template
outside it. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from dresbach.features.notices.model import (
    INVOICE_DUE,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    SERVICE_SUSPENDED,
    TICKET_ANSWERED,
    Notice,
)
from dresbach.features.notices.texts import TEMPLATE_OF, TEXTS
from dresbach.kernel.messages import Message, Template, Text

WINDOW: Final = timedelta(hours=24)
"""Meta's customer-service window: a free-form text only this long after the customer wrote."""

_INVOICES: Final = (INVOICE_ISSUED, INVOICE_DUE, INVOICE_OVERDUE)
_UNDATED: Final = (SERVICE_SUSPENDED, TICKET_ANSWERED)


def day_label(notice: Notice) -> str:
    return notice.on.strftime("%d/%m/%Y")


def first_name(full: str) -> str:
    """The first name a notice greets (`cliente` when WHMCS has none)."""
    words = full.split()
    return words[0] if words else "cliente"


def template_of(notice: Notice, name: str, site: str) -> Template:
    declaration = TEMPLATE_OF[notice.kind]
    params: tuple[str, ...]
    if notice.kind in _INVOICES:
        params = (name, notice.subject, notice.amount, day_label(notice), site)
    elif notice.kind in _UNDATED:
        params = (name, notice.subject, site)
    else:
        params = (name, notice.subject, day_label(notice), site)
    flat = tuple(" ".join(p.split()) for p in params)  # Meta refuses line breaks in a parameter
    return declaration.message(*flat)


def text_of(notice: Notice, name: str, site: str) -> str:
    return TEXTS[notice.kind].format(
        name=name, subject=notice.subject, amount=notice.amount, on=day_label(notice), site=site
    )


def in_window(last_inbound: datetime | None, now: datetime) -> bool:
    return last_inbound is not None and now - last_inbound < WINDOW


def message_of(
    notice: Notice, name: str, site: str, last_inbound: datetime | None, now: datetime
) -> Message:
    """The text inside the window (the template its fallback), else the template alone."""
    template = template_of(notice, first_name(name), site)
    if not in_window(last_inbound, now):
        return template
    return Text(body=text_of(notice, first_name(name), site), fallback=template)
