"""Outbound messages: what the core asks to be said. Plain data; the WhatsApp adapter renders
them to Graph API payloads, and `domain.limits` checks them against WhatsApp's limits first."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListRow:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListSection:
    title: str | None
    rows: tuple[ListRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """An approved template, the only thing that may leave outside the 24 h window."""

    name: str
    language: str = "pt_BR"
    body_params: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    body: str
    preview_url: bool = False
    fallback: Template | None = None
    """Sent instead when WhatsApp says the 24 h window is closed (131047)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Buttons:
    body: str
    buttons: tuple[Button, ...]
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListMenu:
    body: str
    button: str
    sections: tuple[ListSection, ...]
    header: str | None = None
    footer: str | None = None

    @property
    def rows(self) -> tuple[ListRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """An image by public link, by a media id already at Meta, or by `upload_ref`: media we keep
    (e.g. a Pix QR code) that the sender uploads first."""

    link: str | None = None
    media_id: str | None = None
    upload_ref: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    link: str | None = None
    media_id: str | None = None
    upload_ref: str | None = None
    filename: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowInvite:
    """A WhatsApp Flow to open (an `interactive` `flow` message, data exchange, published).

    The core names the Flow and what its token is for (`purpose`); the token itself is random,
    so the unit of work issues it (`platform/whatsapp/flow_tokens`) in the step's transaction
    and the outbox keeps it sealed until the message is sent."""

    body: str
    cta: str
    """The button that opens the Flow (20 characters at most)."""
    flow_id: str
    purpose: str
    """What the token is for: "login" or "ticket"."""
    token: str = field(default="", repr=False)
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PixPayee:
    """Who a native Pix order pays: the name and Pix key Meta shows beside the code."""

    merchant_name: str
    key: str
    key_type: str
    """CPF, CNPJ, EMAIL, PHONE or EVP (Meta's `pix_dynamic_code.key_type`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PixOrder:
    """A native Pix charge: an `interactive` `order_details` card (Meta's Payments API for
    Brazil) with a "copy Pix code" button. One item, amounts in cents (`offset` 100).

    `fallback` goes instead, in order, when Meta refuses the card (an account not enabled for
    the Payments API): today's QR image and copia-e-cola text."""

    body: str
    reference_id: str
    """Ties the order to our charge: its txid."""
    item_id: str
    item_name: str
    amount_cents: int
    code: str
    """The PSP's copia-e-cola (a dynamic BR Code)."""
    payee: PixPayee
    fallback: tuple[Message, ...] = ()


ORDER_STATUSES = ("processing", "completed", "canceled")


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderStatus:
    """News of a native Pix order: an `interactive` `order_status` (`review_order`) message.

    `fallback` goes instead, in order, when Meta refuses it (the card never went natively, or
    the 24 h window closed); nothing goes when it is empty."""

    body: str
    reference_id: str
    status: str
    """One of `ORDER_STATUSES`."""
    description: str | None = None
    fallback: tuple[Message, ...] = ()


Message = (
    Text | Buttons | ListMenu | Image | Document | Template | FlowInvite | PixOrder | OrderStatus
)


def body_of(message: Message) -> str:
    """The customer-visible text of a message (what the house rules are checked against)."""
    match message:
        case Text(body=body):
            return body
        case Buttons(body=body) | ListMenu(body=body) | FlowInvite(body=body):
            return body
        case PixOrder(body=body) | OrderStatus(body=body):
            return body
        case Image(caption=caption) | Document(caption=caption):
            return caption or ""
        case Template(body_params=params):
            return " ".join(params)
    raise TypeError(message)  # pragma: no cover


def visible_texts(message: Message) -> tuple[str, ...]:
    """Every string of a message a customer reads: body, header, footer, titles, descriptions."""
    texts: list[str] = [body_of(message)]
    if isinstance(message, Buttons):
        texts += [b.title for b in message.buttons]
        texts += [t for t in (message.header, message.footer) if t]
    elif isinstance(message, ListMenu):
        texts.append(message.button)
        texts += [t for t in (message.header, message.footer) if t]
        for row in message.rows:
            texts.append(row.title)
            if row.description:
                texts.append(row.description)
    elif isinstance(message, PixOrder):
        texts.append(message.item_name)
    elif isinstance(message, OrderStatus) and message.description:
        texts.append(message.description)
    return tuple(t for t in texts if t)


def with_preface(messages: tuple[Message, ...], preface: str) -> tuple[Message, ...]:
    """Put a short statement before the first message, merged into it when it is a text body."""
    if not messages:
        return (Text(body=preface),)
    first, rest = messages[0], messages[1:]
    match first:
        case Text(body=body):
            return (Text(body=f"{preface}\n\n{body}", fallback=first.fallback), *rest)
        case Buttons(body=body) if len(preface) + len(body) + 2 <= 1024:
            merged: Message = Buttons(
                body=f"{preface}\n\n{body}",
                buttons=first.buttons,
                header=first.header,
                footer=first.footer,
            )
            return (merged, *rest)
        case ListMenu(body=body) if len(preface) + len(body) + 2 <= 1024:
            merged = ListMenu(
                body=f"{preface}\n\n{body}",
                button=first.button,
                sections=first.sections,
                header=first.header,
                footer=first.footer,
            )
            return (merged, *rest)
    return (Text(body=preface), *messages)
