"""Faturas, to look at only: number, due date, amount and status; one invoice's items and total,
and its PDF as a document. Never a boleto, a Pix code or a payment link: who wants to pay is
told where payments are made (the Área do Cliente website).

    home → invoices → invoice
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    pay_elsewhere,
    says,
    tapped,
    typed,
)
from dresbach.features.client_area.flow.display import clip, joined, lines
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.paging import Listing, listing_state
from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.login.guard import payment_content
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text, UrlButton
from dresbach.kernel.policy import Policy

ITEMS_SHOWN = 30
TO_INVOICES = Button(id="ca:inv:list", title=BUTTONS["to_invoices"])
AREA = Button(id="ca:area", title=BUTTONS["area"])


def invoices(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    return s.items(slots, s.INVOICES)


def number_of(invoice: dict[str, str]) -> str:
    return clip(invoice.get("number", "") or invoice.get("id", ""), 40)


def invoice_row(invoice: dict[str, str]) -> tuple[str, str]:
    due = invoice.get("due", "")
    note = joined(
        invoice.get("status", ""), f"vence {due}" if due else "", invoice.get("total", "")
    )
    return f"Fatura {number_of(invoice)}", note


def _body(_slots: Mapping[str, Any], count: int) -> str:
    return TEXTS["invoices"].format(count=count, site=SITE)


LISTING = Listing(
    name=ClientArea.INVOICES,
    items=invoices,
    row=invoice_row,
    body=_body,
    button=TEXTS["invoices_button"],
    parent=ClientArea.HOME,
    what="invoices",
)


def _pick(turn: Turn, invoice: dict[str, str]) -> Outcome:
    key = invoice.get("id", "")
    return loading.fetch(turn, "invoice", ClientArea.INVOICE, key=key, more={s.INVOICE_ID: key})


# -- one invoice --------------------------------------------------------------------------------


def _is_item(row: dict[str, str]) -> bool:
    return row.get("kind") == "item" or ("description" in row and "number" not in row)


def invoice_of(slots: Mapping[str, Any]) -> dict[str, str]:
    """The invoice's own fields: from its details, else from the list."""
    wanted = s.text(slots, s.INVOICE_ID)
    own = next((r for r in s.items(slots, s.INVOICE) if not _is_item(r)), {})
    listed = next((i for i in invoices(slots) if i.get("id") == wanted), {})
    return {**listed, **own} or {"id": wanted}


def pdf_of(slots: Mapping[str, Any]) -> str | None:
    """The link to the invoice's PDF, when there is one that is not a payment page."""
    link = next((r["pdf"] for r in s.items(slots, s.INVOICE) if r.get("pdf")), "").strip()
    if link.startswith(("https://", "http://")) and payment_content(link) is None:
        return link
    return None


def details(slots: Mapping[str, Any]) -> str:
    invoice = invoice_of(slots)
    head = "\n".join(
        (f"*Fatura {number_of(invoice)}*", *lines(invoice, ("issued", "due", "status")))
    )
    parts = [head]
    items = [r for r in s.items(slots, s.INVOICE) if _is_item(r)]
    if items:
        shown = [
            f"• {clip(r.get('description', ''), 160)}: {clip(r.get('amount', ''), 40)}"
            for r in items[:ITEMS_SHOWN]
        ]
        parts.append("\n".join((TEXTS["invoice_items"], *shown)))
    if invoice.get("total"):
        parts.append(TEXTS["invoice_total"].format(total=clip(invoice["total"], 40)))
    if pdf_of(slots) is None:
        parts.append(TEXTS["invoice_no_pdf"])
    return "\n\n".join(parts)


def invoice_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    slots = conversation.slots
    if not loading.loaded(slots, "invoice"):
        return (Text(body=TEXTS["loading_invoice"]),)
    messages: list[Message] = [Text(body=details(slots))]
    pdf = pdf_of(slots)
    if pdf is not None:
        number = number_of(invoice_of(slots))
        caption = TEXTS["invoice_pdf"].format(number=number)
        messages.append(UrlButton(body=caption, display_text=BUTTONS["open_pdf"], url=pdf))
    note = TEXTS["invoice_pay_note"].format(site=SITE)
    messages.append(Buttons(body=note, buttons=(TO_INVOICES, AREA)))
    return tuple(messages)


def _choice(turn: Turn, choice: str | None) -> Outcome:
    if not loading.loaded(turn.slots, "invoice"):
        return loading.while_loading(turn)
    if choice == TO_INVOICES.id:
        return Outcome(goto=ClientArea.INVOICES)
    if choice == AREA.id:
        return Outcome(goto=ClientArea.HOME, reset_trail=True)
    return MISSED


def _typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "faturas", "outras faturas", "lista"):
        return _choice(turn, TO_INVOICES.id)
    return _choice(turn, None)


def _fetched(turn: Turn) -> Outcome:
    found = loading.arrived(turn, "invoice")
    return Outcome(slots=loading.kept("invoice", found)) if found is not None else loading.silent()


_TARGETS = (ClientArea.INVOICES, ClientArea.HOME)

STATES: tuple[State, ...] = (
    listing_state(LISTING, pick=_pick, picks_to=(ClientArea.INVOICE,), empty="invoices_empty"),
    State(
        name=ClientArea.INVOICE,
        prompt=invoice_prompt,
        rules={
            "choice": Rule(handler=lambda turn: _choice(turn, tapped(turn)), goes_to=_TARGETS),
            "text": Rule(handler=_typed, goes_to=_TARGETS),
            "client_data": Rule(handler=_fetched),
            "client_data_unavailable": loading.UNAVAILABLE,
        },
    ),
)
