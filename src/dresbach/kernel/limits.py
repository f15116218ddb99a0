"""WhatsApp's limits on what may be sent, checked before anything reaches the outbox."""

from __future__ import annotations

import re

from dresbach.kernel.messages import (
    ORDER_STATUSES,
    Buttons,
    Document,
    FlowInvite,
    Image,
    ListMenu,
    Message,
    OrderStatus,
    PixOrder,
    Template,
    Text,
)

TEXT_BODY = 4096
INTERACTIVE_BODY = 1024
HEADER = 60
FOOTER = 60
MAX_BUTTONS = 3
BUTTON_TITLE = 20
BUTTON_ID = 256
LIST_BUTTON = 20
MAX_SECTIONS = 10
MAX_ROWS = 10
SECTION_TITLE = 24
ROW_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
CAPTION = 1024
FLOW_CTA = 20
ORDER_ITEM_NAME = 60
ORDER_DESCRIPTION = 120
REFERENCE_ID = re.compile(r"[A-Za-z0-9_.-]{1,35}")
"""Meta's `reference_id`: 1 to 35 letters, digits, underscores, dashes or dots."""
PIX_KEY = 77
PIX_KEY_TYPES = ("CPF", "CNPJ", "EMAIL", "PHONE", "EVP")


class LimitViolation(ValueError):
    """A message breaks one of WhatsApp's limits; it must never be sent."""


def _over(what: str, value: str | None, limit: int) -> list[str]:
    if value is not None and len(value) > limit:
        return [f"{what} has {len(value)} characters (limit {limit}): {value[:40]!r}"]
    return []


def _framed(body: str, header: str | None, footer: str | None) -> list[str]:
    """An interactive message's body, header and footer."""
    problems = _over("interactive body", body, INTERACTIVE_BODY)
    if not body.strip():
        problems.append("interactive body is empty")
    return problems + _over("header", header, HEADER) + _over("footer", footer, FOOTER)


def _reference(reference_id: str) -> list[str]:
    if REFERENCE_ID.fullmatch(reference_id):
        return []
    return [f"reference_id {reference_id!r} is not 1 to 35 letters, digits, _ - or ."]


def violations(message: Message) -> list[str]:
    """Every limit the message breaks, in words; empty when it may be sent."""
    problems: list[str] = []
    match message:
        case Text(body=body):
            problems += _over("text body", body, TEXT_BODY)
            if not body.strip():
                problems.append("text body is empty")
        case Buttons():
            problems += _framed(message.body, message.header, message.footer)
            if not 1 <= len(message.buttons) <= MAX_BUTTONS:
                problems.append(f"{len(message.buttons)} buttons (1 to {MAX_BUTTONS})")
            titles = [b.title for b in message.buttons]
            if len(set(titles)) != len(titles):
                problems.append("button titles are not unique")
            for b in message.buttons:
                problems += _over("button title", b.title, BUTTON_TITLE)
                problems += _over("button id", b.id, BUTTON_ID)
        case ListMenu():
            problems += _framed(message.body, message.header, message.footer)
            problems += _over("list button", message.button, LIST_BUTTON)
            if not 1 <= len(message.sections) <= MAX_SECTIONS:
                problems.append(f"{len(message.sections)} sections (1 to {MAX_SECTIONS})")
            if not 1 <= len(message.rows) <= MAX_ROWS:
                problems.append(f"{len(message.rows)} rows (1 to {MAX_ROWS} in all)")
            ids = [r.id for r in message.rows]
            if len(set(ids)) != len(ids):
                problems.append("row ids are not unique")
            for section in message.sections:
                problems += _over("section title", section.title, SECTION_TITLE)
                if len(message.sections) > 1 and not section.title:
                    problems.append("a list with several sections needs section titles")
            for row in message.rows:
                problems += _over("row title", row.title, ROW_TITLE)
                problems += _over("row description", row.description, ROW_DESCRIPTION)
                problems += _over("row id", row.id, ROW_ID)
        case Image() | Document():
            sources = [message.link, message.media_id, message.upload_ref]
            if sum(source is not None for source in sources) != 1:
                problems.append("media needs exactly one of link, media_id or upload_ref")
            problems += _over("caption", message.caption, CAPTION)
        case FlowInvite():
            problems += _framed(message.body, message.header, message.footer)
            problems += _over("flow button", message.cta, FLOW_CTA)
            if not message.cta.strip():
                problems.append("flow button is empty")
            if not message.flow_id.isdigit():
                problems.append("a flow needs its numeric id")
        case PixOrder():
            problems += _framed(message.body, None, None)
            problems += _over("order item name", message.item_name, ORDER_ITEM_NAME)
            problems += _reference(message.reference_id)
            if message.amount_cents <= 0:
                problems.append("an order needs a positive amount")
            if not message.code.startswith("000201"):
                problems.append("the Pix code is not a BR Code")
            problems += _over("Pix key", message.payee.key, PIX_KEY)
            if message.payee.key_type not in PIX_KEY_TYPES:
                problems.append(f"Pix key type {message.payee.key_type!r} is not one of Meta's")
            for fallback in message.fallback:
                problems += violations(fallback)
        case OrderStatus():
            problems += _framed(message.body, None, None)
            problems += _reference(message.reference_id)
            problems += _over("order status description", message.description, ORDER_DESCRIPTION)
            if message.status not in ORDER_STATUSES:
                problems.append(f"order status {message.status!r} is not one we send")
            for fallback in message.fallback:
                problems += violations(fallback)
        case Template(name=name):
            if not name:
                problems.append("template without a name")
    return problems


def check(message: Message) -> None:
    """Raise LimitViolation when the message breaks any limit."""
    problems = violations(message)
    if problems:
        raise LimitViolation("; ".join(problems))
