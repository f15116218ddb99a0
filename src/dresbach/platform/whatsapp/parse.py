"""Webhook bodies into typed events, every level (`entry[] → changes[] → messages[]/statuses[]`),
and the account's `message_template_status_update` changes into `TemplateStatusChanged`.

Parsing never raises on content: an element we cannot read is counted as ignored, an unknown
message type becomes `UnsupportedReceived`, and a change addressed to a phone number id that is
not ours (when the caller names ours) is ignored whole. Only a body that is not a JSON object
is refused.
Every text an event carries is freed of NUL characters (PostgreSQL cannot store them), and a
message whose id or sender is longer than any Meta sends (or than the columns that keep them) is
ignored: whatever the body holds, an event can be stored.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dresbach.kernel.events import (
    ButtonChosen,
    ContactsReceived,
    FlowCompleted,
    IdentityChanged,
    InboundEvent,
    ListRowChosen,
    LocationReceived,
    MediaReceived,
    ReactionReceived,
    Referral,
    Sender,
    StatusReported,
    TextReceived,
    UnsupportedReceived,
)

MEDIA = ("image", "document", "audio", "video", "sticker")
MAX_DEPTH = 32
"""Real messages nest a few levels; one deeper is not Meta's (and could not be stored: the JSON
encoder stops at 255 levels while the decoder accepts 1,024)."""
MAX_MESSAGE_ID = 200
MAX_WA_ID = 32
MAX_USER_ID = 160
MAX_NAME = 200
MAX_REFERRAL_FIELD = 500
"""An ad's headline or body is short; a longer value is cut, not kept whole."""
REFERRAL_FIELDS = ("source_id", "source_type", "source_url", "headline", "body", "ctwa_clid")
MAX_TEMPLATE_NAME = 512
TEMPLATE_STATUS_FIELD = "message_template_status_update"


class MalformedWebhook(ValueError):
    """The body is not a webhook object at all."""


@dataclass(frozen=True, slots=True)
class Inbound:
    event: InboundEvent
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateStatusChanged:
    """Meta reviewed a message template, or changed its status later: `status` is the
    webhook's `event` (APPROVED, REJECTED, PAUSED, DISABLED, PENDING_DELETION…)."""

    name: str
    language: str
    status: str
    reason: str | None
    template_id: str | None
    at: datetime


@dataclass(slots=True)
class WebhookBatch:
    messages: list[Inbound] = field(default_factory=list)
    statuses: list[StatusReported] = field(default_factory=list)
    template_statuses: list[TemplateStatusChanged] = field(default_factory=list)
    ignored: int = 0


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """Any value as text, without NUL characters."""
    text = value if isinstance(value, str) else str(value)
    return text.replace("\x00", "") if "\x00" in text else text


def _str(value: Any) -> str | None:
    return (_text(value) or None) if isinstance(value, str) else None


def _id(value: Any, limit: int) -> str | None:
    """An identifier, or None when it is missing or longer than any real one."""
    found = _str(value)
    return found if found is not None and len(found) <= limit else None


def _shallow(value: Any, depth: int = MAX_DEPTH) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return True
    return depth > 0 and all(_shallow(v, depth - 1) for v in value)


def _time(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.fromtimestamp(0, tz=UTC)


def parse_webhook(document: Any, *, numbers: Collection[str] | None = None) -> WebhookBatch:
    """Every message and status of the body. With `numbers`, only those addressed to one of
    these phone number ids (`value.metadata.phone_number_id`): one Meta app can serve several
    numbers, and what reaches us for another one is not ours to answer."""
    if not isinstance(document, dict):
        raise MalformedWebhook("the body is not a JSON object")
    batch = WebhookBatch()
    for entry in _list(document.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            value = _dict(change.get("value"))
            if change.get("field") == TEMPLATE_STATUS_FIELD:  # the account's, not a number's
                _template_status(value, _dict(entry).get("time"), batch)
                continue
            if change.get("field") not in (None, "messages"):
                batch.ignored += 1
                continue
            if numbers is not None and _number(value) not in numbers:
                batch.ignored += 1
                continue
            _parse_value(value, batch)
    return batch


def _template_status(value: dict[str, Any], time: Any, batch: WebhookBatch) -> None:
    name = _id(value.get("message_template_name"), MAX_TEMPLATE_NAME)
    status = _id(value.get("event"), 32)
    if name is None or status is None:
        batch.ignored += 1
        return
    template_id = value.get("message_template_id")
    batch.template_statuses.append(
        TemplateStatusChanged(
            name=name,
            language=_id(value.get("message_template_language"), 16) or "",
            status=status.upper(),
            reason=(_str(value.get("reason")) or "")[:200] or None,
            template_id=_id(str(template_id), 64) if template_id is not None else None,
            at=_time(time) if time is not None else datetime.now(UTC),
        )
    )


def _number(value: dict[str, Any]) -> str | None:
    """The phone number id a change was sent to (Meta sends it as a string)."""
    found = _dict(value.get("metadata")).get("phone_number_id")
    return found if isinstance(found, str) else None


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
            event = _message(raw, contacts, only_contact) if _shallow(raw) else None
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
    wa_id = _id(raw.get("from"), MAX_WA_ID)
    user_id = _id(raw.get("from_user_id"), MAX_USER_ID)
    if raw.get("type") == "system":  # no contacts: the old identity is in the system object
        user_id = user_id or _id(_dict(raw.get("system")).get("previous_user_id"), MAX_USER_ID)
    contact = contacts.get(wa_id or "") or contacts.get(user_id or "") or {}
    if not contact and not wa_id and not user_id:
        contact = only  # a username-only sender: the value's single contact is theirs
    user_id = user_id or _id(contact.get("user_id"), MAX_USER_ID)
    wa_id = wa_id or _id(contact.get("wa_id"), MAX_WA_ID)
    name = _str(_dict(contact.get("profile")).get("name"))
    return Sender(user_id=user_id, wa_id=wa_id, profile_name=name[:MAX_NAME] if name else None)


def _message(
    raw: dict[str, Any], contacts: dict[str, dict[str, Any]], only: dict[str, Any]
) -> InboundEvent | None:
    message_id = _id(raw.get("id"), MAX_MESSAGE_ID)
    sender = _sender(raw, contacts, only)
    if message_id is None or not (sender.user_id or sender.wa_id):
        return None
    kind = raw.get("type")
    base: dict[str, Any] = {
        "message_id": message_id,
        "sender": sender,
        "timestamp": _time(raw.get("timestamp")),
        "context_id": _str(_dict(raw.get("context")).get("id")),
        "referral": _referral(raw.get("referral")),
    }
    if kind == "text":
        return TextReceived(**base, body=_text(_dict(raw.get("text")).get("body", "")))
    if kind == "interactive":
        return _interactive(_dict(raw.get("interactive")), base)
    if kind == "button":
        button = _dict(raw.get("button"))
        return ButtonChosen(
            **base,
            choice_id=_text(button.get("payload") or button.get("text") or ""),
            title=_text(button.get("text") or ""),
            from_template=True,
        )
    if kind in MEDIA:
        media = _dict(raw.get(kind))
        return MediaReceived(
            **base,
            media_kind=kind,
            media_id=_text(media.get("id", "")),
            mime_type=_text(media.get("mime_type", "")),
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
            _text(_dict(_dict(c).get("name")).get("formatted_name", ""))
            for c in _list(raw.get("contacts"))
        )
        return ContactsReceived(**base, names=names)
    if kind == "reaction":
        reaction = _dict(raw.get("reaction"))
        return ReactionReceived(
            **base,
            reacted_to=_text(reaction.get("message_id", "")),
            emoji=_text(reaction.get("emoji") or ""),
        )
    if kind == "system":
        system = _dict(raw.get("system"))
        previous = _id(system.get("previous_user_id"), MAX_USER_ID)
        new_user = _id(system.get("new_user_id"), MAX_USER_ID) or _id(
            system.get("user_id"), MAX_USER_ID
        )
        return IdentityChanged(
            **base,
            system_type=_text(system.get("type", "")),
            new_user_id=new_user if new_user != previous else None,
            new_wa_id=_id(system.get("new_wa_id"), MAX_WA_ID)
            or _id(system.get("wa_id"), MAX_WA_ID),
            body=_text(system.get("body", "")),
        )
    errors = _list(raw.get("errors"))
    code = _dict(errors[0]).get("code") if errors else None
    original = _str(_dict(raw.get("unsupported")).get("type")) or _text(kind or "unknown")
    return UnsupportedReceived(
        **base, original_type=original, error_code=code if isinstance(code, int) else None
    )


def _referral(value: Any) -> Referral | None:
    """The ad a message came from (`messages[].referral`, Meta's "Messages webhook reference":
    source_url, source_id, source_type, body, headline, media_type, image/video url,
    thumbnail_url, ctwa_clid); None when the message did not come from one."""
    referral = _dict(value)
    found = {
        name: text[:MAX_REFERRAL_FIELD]
        for name in REFERRAL_FIELDS
        if (text := _str(referral.get(name))) is not None
    }
    return Referral(**found) if found else None


def _interactive(interactive: dict[str, Any], base: dict[str, Any]) -> InboundEvent | None:
    kind = interactive.get("type")
    if kind == "button_reply":
        reply = _dict(interactive.get("button_reply"))
        return ButtonChosen(
            **base, choice_id=_text(reply["id"]), title=_text(reply.get("title", ""))
        )
    if kind == "list_reply":
        reply = _dict(interactive.get("list_reply"))
        return ListRowChosen(
            **base,
            choice_id=_text(reply["id"]),
            title=_text(reply.get("title", "")),
            description=_str(reply.get("description")),
        )
    if kind == "nfm_reply":
        reply = _dict(interactive.get("nfm_reply"))
        return FlowCompleted(
            **base,
            name=_text(reply.get("name", "flow")),
            response_json=_text(reply.get("response_json", "{}")),
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
