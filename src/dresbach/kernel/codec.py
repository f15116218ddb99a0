"""Outbound messages to and from plain JSON-able dicts, for the outbox."""

from __future__ import annotations

from typing import Any

from dresbach.kernel.messages import (
    Button,
    Buttons,
    Document,
    FlowInvite,
    Image,
    ListMenu,
    ListRow,
    ListSection,
    Message,
    OrderStatus,
    PixOrder,
    PixPayee,
    Template,
    Text,
)


def encode(message: Message) -> dict[str, Any]:
    match message:
        case Text():
            encoded: dict[str, Any] = {
                "t": "text",
                "body": message.body,
                "preview_url": message.preview_url,
            }
            if message.fallback is not None:
                encoded["fallback"] = encode(message.fallback)
            return encoded
        case Buttons():
            return {
                "t": "buttons",
                "body": message.body,
                "header": message.header,
                "footer": message.footer,
                "buttons": [[b.id, b.title] for b in message.buttons],
            }
        case ListMenu():
            return {
                "t": "list",
                "body": message.body,
                "button": message.button,
                "header": message.header,
                "footer": message.footer,
                "sections": [
                    {"title": s.title, "rows": [[r.id, r.title, r.description] for r in s.rows]}
                    for s in message.sections
                ],
            }
        case Image():
            return {
                "t": "image",
                "link": message.link,
                "media_id": message.media_id,
                "upload_ref": message.upload_ref,
                "caption": message.caption,
            }
        case Document():
            return {
                "t": "document",
                "link": message.link,
                "media_id": message.media_id,
                "upload_ref": message.upload_ref,
                "filename": message.filename,
                "caption": message.caption,
            }
        case Template():
            return {
                "t": "template",
                "name": message.name,
                "language": message.language,
                "params": list(message.body_params),
            }
        case FlowInvite():
            return {
                "t": "flow",
                "body": message.body,
                "cta": message.cta,
                "flow_id": message.flow_id,
                "purpose": message.purpose,
                "token": message.token,
                "header": message.header,
                "footer": message.footer,
            }
        case PixOrder():
            return {
                "t": "pix_order",
                "body": message.body,
                "reference_id": message.reference_id,
                "item_id": message.item_id,
                "item_name": message.item_name,
                "amount_cents": message.amount_cents,
                "code": message.code,
                "payee": [message.payee.merchant_name, message.payee.key, message.payee.key_type],
                "fallback": [encode(m) for m in message.fallback],
            }
        case OrderStatus():
            return {
                "t": "order_status",
                "body": message.body,
                "reference_id": message.reference_id,
                "status": message.status,
                "description": message.description,
                "fallback": [encode(m) for m in message.fallback],
            }
    raise TypeError(message)  # pragma: no cover


def decode(data: dict[str, Any]) -> Message:
    kind = data["t"]
    if kind == "text":
        fallback = decode(data["fallback"]) if data.get("fallback") else None
        return Text(
            body=data["body"],
            preview_url=bool(data.get("preview_url")),
            fallback=fallback if isinstance(fallback, Template) else None,
        )
    if kind == "buttons":
        return Buttons(
            body=data["body"],
            header=data.get("header"),
            footer=data.get("footer"),
            buttons=tuple(Button(id=i, title=t) for i, t in data["buttons"]),
        )
    if kind == "list":
        return ListMenu(
            body=data["body"],
            button=data["button"],
            header=data.get("header"),
            footer=data.get("footer"),
            sections=tuple(
                ListSection(
                    title=s["title"],
                    rows=tuple(ListRow(id=i, title=t, description=d) for i, t, d in s["rows"]),
                )
                for s in data["sections"]
            ),
        )
    if kind == "image":
        return Image(
            link=data.get("link"),
            media_id=data.get("media_id"),
            upload_ref=data.get("upload_ref"),
            caption=data.get("caption"),
        )
    if kind == "document":
        return Document(
            link=data.get("link"),
            media_id=data.get("media_id"),
            upload_ref=data.get("upload_ref"),
            filename=data.get("filename"),
            caption=data.get("caption"),
        )
    if kind == "template":
        return Template(
            name=data["name"], language=data["language"], body_params=tuple(data["params"])
        )
    if kind == "flow":
        return FlowInvite(
            body=data["body"],
            cta=data["cta"],
            flow_id=data["flow_id"],
            purpose=data["purpose"],
            token=data.get("token") or "",
            header=data.get("header"),
            footer=data.get("footer"),
        )
    if kind == "pix_order":
        merchant_name, key, key_type = data["payee"]
        return PixOrder(
            body=data["body"],
            reference_id=data["reference_id"],
            item_id=data["item_id"],
            item_name=data["item_name"],
            amount_cents=int(data["amount_cents"]),
            code=data["code"],
            payee=PixPayee(merchant_name=merchant_name, key=key, key_type=key_type),
            fallback=tuple(decode(m) for m in data.get("fallback") or ()),
        )
    if kind == "order_status":
        return OrderStatus(
            body=data["body"],
            reference_id=data["reference_id"],
            status=data["status"],
            description=data.get("description"),
            fallback=tuple(decode(m) for m in data.get("fallback") or ()),
        )
    raise ValueError(f"unknown message kind {kind!r}")
