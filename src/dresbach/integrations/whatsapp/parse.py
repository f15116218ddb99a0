"""Webhook bodies into typed events, every level (`entry[] → changes[] → messages[]/statuses[]`).

Parsing never raises on content: an element we cannot read is counted as ignored, an unknown
message type becomes `UnsupportedReceived`. Only a body that is not a JSON object is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dresbach.domain.events import (
    ButtonChosen,
    ContactsReceived,
    FlowCompleted,
    IdentityChanged,
    InboundEvent,
    ListRowChosen,
    LocationReceived,
    MediaReceived,
    ReactionReceived,
    Sender,
    StatusReported,
    TextReceived,
    UnsupportedReceived,
)

MEDIA = ("image", "document", "audio", "video", "sticker")


class MalformedWebhook(ValueError):
    """The body is not a webhook object at all."""


@dataclass(frozen=True, slots=True)
class Inbound:
    event: InboundEvent
    payload: dict[str, Any]


@dataclass(slots=True)
class WebhookBatch:
    messages: list[Inbound] = field(default_factory=list)
    statuses: list[StatusReported] = field(default_factory=list)
    ignored: int = 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _time(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.fromtimestamp(0, tz=UTC)


def parse_webhook(document: Any) -> WebhookBatch:
    if not isinstance(document, dict):
        raise MalformedWebhook("the body is not a JSON object")
    batch = WebhookBatch()
    for entry in _list(document.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            value = _dict(change.get("value"))
            if change.get("field") not in (None, "messages"):
                batch.ignored += 1
                continue
            _parse_value(value, batch)
    return batch


def _contacts(value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Contacts by wa_id and by user_id, to find a message's sender."""
    found: dict[str, dict[str, Any]] = {}
    for contact in _list(value.get("contacts")):
        contact = _dict(contact)
        for key in (contact.get("wa_id"), contact.get("user_id")):
            if isinstance(key, str) and key:
                found[key] = contact
    return found


def _parse_value(value: dict[str, Any], batch: WebhookBatch) -> None:
    contacts = _contacts(value)
    listed = _list(value.get("contacts"))
    only_contact = _dict(listed[0]) if len(listed) == 1 else {}
    for raw in _list(value.get("messages")):
        raw = _dict(raw)
        try:
            event = _message(raw, contacts, only_contact)
        except (KeyError, TypeError, ValueError):
            event = None
        if event is None:
            batch.ignored += 1
        else:
            batch.messages.append(Inbound(event=event, payload=raw))
    for raw in _list(value.get("statuses")):
        status = _status(_dict(raw))
        if status is None:
            batch.ignored += 1
        else:
            batch.statuses.append(status)


def _sender(
    raw: dict[str, Any], contacts: dict[str, dict[str, Any]], only: dict[str, Any]
) -> Sender:
    wa_id = _str(raw.get("from"))
    user_id = _str(raw.get("from_user_id"))
    if raw.get("type") == "system":  # no contacts: the old identity is in the system object
        user_id = user_id or _str(_dict(raw.get("system")).get("previous_user_id"))
    contact = contacts.get(wa_id or "") or contacts.get(user_id or "") or {}
    if not contact and not wa_id and not user_id:
        contact = only  # a username-only sender: the value's single contact is theirs
    user_id = user_id or _str(contact.get("user_id"))
    wa_id = wa_id or _str(contact.get("wa_id"))
    name = _str(_dict(contact.get("profile")).get("name"))
    return Sender(user_id=user_id, wa_id=wa_id, profile_name=name)


def _message(
    raw: dict[str, Any], contacts: dict[str, dict[str, Any]], only: dict[str, Any]
) -> InboundEvent | None:
    message_id = _str(raw.get("id"))
    sender = _sender(raw, contacts, only)
    if message_id is None or not (sender.user_id or sender.wa_id):
        return None
    kind = raw.get("type")
    base: dict[str, Any] = {
        "message_id": message_id,
        "sender": sender,
        "timestamp": _time(raw.get("timestamp")),
        "context_id": _str(_dict(raw.get("context")).get("id")),
    }
    if kind == "text":
        return TextReceived(**base, body=str(_dict(raw.get("text")).get("body", "")))
    if kind == "interactive":
        return _interactive(_dict(raw.get("interactive")), base)
    if kind == "button":
        button = _dict(raw.get("button"))
        return ButtonChosen(
            **base,
            choice_id=str(button.get("payload") or button.get("text") or ""),
            title=str(button.get("text") or ""),
            from_template=True,
        )
    if kind in MEDIA:
        media = _dict(raw.get(kind))
        return MediaReceived(
            **base,
            media_kind=kind,
            media_id=str(media.get("id", "")),
            mime_type=str(media.get("mime_type", "")),
            sha256=_str(media.get("sha256")),
            caption=_str(media.get("caption")),
            filename=_str(media.get("filename")),
        )
    if kind == "location":
        location = _dict(raw.get("location"))
        return LocationReceived(
            **base,
            latitude=float(location.get("latitude", 0.0)),
            longitude=float(location.get("longitude", 0.0)),
            name=_str(location.get("name")),
            address=_str(location.get("address")),
        )
    if kind == "contacts":
        names = tuple(
            str(_dict(_dict(c).get("name")).get("formatted_name", ""))
            for c in _list(raw.get("contacts"))
        )
        return ContactsReceived(**base, names=names)
    if kind == "reaction":
        reaction = _dict(raw.get("reaction"))
        return ReactionReceived(
            **base,
            reacted_to=str(reaction.get("message_id", "")),
            emoji=str(reaction.get("emoji") or ""),
        )
    if kind == "system":
        system = _dict(raw.get("system"))
        previous = _str(system.get("previous_user_id"))
        new_user = _str(system.get("new_user_id")) or _str(system.get("user_id"))
        return IdentityChanged(
            **base,
            system_type=str(system.get("type", "")),
            new_user_id=new_user if new_user != previous else None,
            new_wa_id=_str(system.get("new_wa_id")) or _str(system.get("wa_id")),
            body=str(system.get("body", "")),
        )
    errors = _list(raw.get("errors"))
    code = _dict(errors[0]).get("code") if errors else None
    original = _str(_dict(raw.get("unsupported")).get("type")) or str(kind or "unknown")
    return UnsupportedReceived(
        **base, original_type=original, error_code=code if isinstance(code, int) else None
    )


def _interactive(interactive: dict[str, Any], base: dict[str, Any]) -> InboundEvent | None:
    kind = interactive.get("type")
    if kind == "button_reply":
        reply = _dict(interactive.get("button_reply"))
        return ButtonChosen(**base, choice_id=str(reply["id"]), title=str(reply.get("title", "")))
    if kind == "list_reply":
        reply = _dict(interactive.get("list_reply"))
        return ListRowChosen(
            **base,
            choice_id=str(reply["id"]),
            title=str(reply.get("title", "")),
            description=_str(reply.get("description")),
        )
    if kind == "nfm_reply":
        reply = _dict(interactive.get("nfm_reply"))
        return FlowCompleted(
            **base,
            name=str(reply.get("name", "flow")),
            response_json=str(reply.get("response_json", "{}")),
        )
    return UnsupportedReceived(**base, original_type=f"interactive.{kind}")


def _status(raw: dict[str, Any]) -> StatusReported | None:
    wamid, status = _str(raw.get("id")), _str(raw.get("status"))
    if wamid is None or status is None:
        return None
    errors = _list(raw.get("errors"))
    first = _dict(errors[0]) if errors else {}
    code = first.get("code")
    return StatusReported(
        wamid=wamid,
        status=status,
        timestamp=_time(raw.get("timestamp")),
        recipient=_str(raw.get("recipient_id")),
        error_code=code if isinstance(code, int) else None,
        error_title=_str(first.get("title")),
        callback_data=_str(raw.get("biz_opaque_callback_data")),
    )
