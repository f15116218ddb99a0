"""Our outbound messages as Cloud API request bodies (`POST /{phone_number_id}/messages`)."""

from __future__ import annotations

from typing import Any

from dresbach.kernel.errors import PermanentError
from dresbach.kernel.events import is_bsuid
from dresbach.kernel.messages import (
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


def _media(link: str | None, media_id: str | None) -> dict[str, Any]:
    if link:
        return {"link": link}
    if media_id:
        return {"id": media_id}
    raise PermanentError("media without a link or id: an upload reference was not resolved")


def _interactive_extras(header: str | None, footer: str | None) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if header:
        extras["header"] = {"type": "text", "text": header}
    if footer:
        extras["footer"] = {"text": footer}
    return extras


def _cents(value: int) -> dict[str, int]:
    """An amount as Meta takes it: `value` in cents with `offset` 100 (R$ 10,00 is 1000)."""
    return {"value": value, "offset": 100}


def _order_details(message: PixOrder) -> dict[str, Any]:
    """Meta's Payments API for Brazil (pages "Orders" and "Offsite Pix payments"): the order
    card with one item and a dynamic Pix code. Meta's OpenAPI description lags here (no
    order_details schema; its example is India's upi); the fake's schema follows the pages."""
    amount = _cents(message.amount_cents)
    payee = message.payee
    return {
        "type": "order_details",
        "body": {"text": message.body},
        "action": {
            "name": "review_and_pay",
            "parameters": {
                "reference_id": message.reference_id,
                "type": "digital-goods",
                "payment_type": "br",
                "currency": "BRL",
                "total_amount": amount,
                "order": {
                    "status": "pending",
                    "items": [
                        {
                            "retailer_id": message.item_id,
                            "name": message.item_name,
                            "amount": amount,
                            "quantity": 1,
                        }
                    ],
                    "subtotal": amount,
                },
                "payment_settings": [
                    {
                        "type": "pix_dynamic_code",
                        "pix_dynamic_code": {
                            "code": message.code,
                            "merchant_name": payee.merchant_name,
                            "key": payee.key,
                            "key_type": payee.key_type,
                        },
                    }
                ],
            },
        },
    }


def _order_status(message: OrderStatus) -> dict[str, Any]:
    order: dict[str, str] = {"status": message.status}
    if message.description:
        order["description"] = message.description
    return {
        "type": "order_status",
        "body": {"text": message.body},
        "action": {
            "name": "review_order",
            "parameters": {"reference_id": message.reference_id, "order": order},
        },
    }


def addressed(recipient: str) -> dict[str, str]:
    """Who a message goes to: a phone number in `to`, a business-scoped user id (BSUID) in
    `recipient`. Meta's "Business-scoped user IDs" page (developers.facebook.com/documentation/
    business-messaging/whatsapp/business-scoped-user-ids): "Use to to send to a phone number.
    Use recipient to send to a BSUID or parent BSUID. If both are present, to takes precedence",
    and Meta recommends the phone number when one is known, which is why a conversation's
    address is its phone number whenever Meta gave us one."""
    return {"recipient": recipient} if is_bsuid(recipient) else {"to": recipient}


def render(recipient: str, message: Message, callback_data: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        **addressed(recipient),
    }
    match message:
        case Text():
            body.update(
                type="text", text={"body": message.body, "preview_url": message.preview_url}
            )
        case Buttons():
            body.update(
                type="interactive",
                interactive={
                    "type": "button",
                    "body": {"text": message.body},
                    **_interactive_extras(message.header, message.footer),
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": b.id, "title": b.title}}
                            for b in message.buttons
                        ]
                    },
                },
            )
        case ListMenu():
            body.update(
                type="interactive",
                interactive={
                    "type": "list",
                    "body": {"text": message.body},
                    **_interactive_extras(message.header, message.footer),
                    "action": {
                        "button": message.button,
                        "sections": [
                            {
                                **({"title": s.title} if s.title else {}),
                                "rows": [
                                    {
                                        "id": r.id,
                                        "title": r.title,
                                        **({"description": r.description} if r.description else {}),
                                    }
                                    for r in s.rows
                                ],
                            }
                            for s in message.sections
                        ],
                    },
                },
            )
        case FlowInvite():
            # Meta's OpenAPI description lags for `flow` (its ActionObject has no flow branch
            # worth the name): this follows the page "Sending a Flow" (flow_message_version
            # "3", data_exchange without flow_action_payload; the endpoint answers INIT).
            body.update(
                type="interactive",
                interactive={
                    "type": "flow",
                    "body": {"text": message.body},
                    **_interactive_extras(message.header, message.footer),
                    "action": {
                        "name": "flow",
                        "parameters": {
                            "flow_message_version": "3",
                            "flow_id": message.flow_id,
                            "flow_cta": message.cta,
                            "flow_action": "data_exchange",
                            "mode": "published",
                            "flow_token": message.token,
                        },
                    },
                },
            )
        case PixOrder():
            body.update(type="interactive", interactive=_order_details(message))
        case OrderStatus():
            body.update(type="interactive", interactive=_order_status(message))
        case Image():
            image = _media(message.link, message.media_id)
            if message.caption:
                image["caption"] = message.caption
            body.update(type="image", image=image)
        case Document():
            document = _media(message.link, message.media_id)
            if message.caption:
                document["caption"] = message.caption
            if message.filename:
                document["filename"] = message.filename
            body.update(type="document", document=document)
        case Template():
            template: dict[str, Any] = {
                "name": message.name,
                "language": {"code": message.language},
            }
            if message.body_params:
                template["components"] = [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": p} for p in message.body_params],
                    }
                ]
            body.update(type="template", template=template)
    if callback_data:
        body["biz_opaque_callback_data"] = callback_data[:512]
    return body


def mark_read(message_id: str, *, typing: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message_id,
    }
    if typing:
        body["typing_indicator"] = {"type": "text"}
    return body
