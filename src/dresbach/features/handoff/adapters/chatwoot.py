"""The Chatwoot hand-off desk (pattern B: our backend owns the WhatsApp webhook; a Chatwoot
API-channel inbox mirrors the chat while a human has it), and the reading of its webhooks.

* Application API under ``{url}/api/v1/accounts/{account_id}``, header ``api_access_token``.
* ``open``: find the contact (``contacts/search`` by phone number, or by our identifier
  ``whatsapp:<address>`` when the address is a BSUID) or create it; make sure it has a contact
  inbox in our inbox whose ``source_id`` is the WhatsApp address; reuse the contact's unresolved
  conversation of this hand-off (custom attribute ``handoff_id``) or create one ``open``; post
  the context as a private note (once). A retry after a failure halfway creates nothing twice.
* ``forward``: the customer's message, as ``message_type: incoming``; with the file the customer
  sent, as multipart form data with the file in ``attachments[]`` (Chatwoot's "create message"
  takes files only so; ``content`` may then be empty).
* ``close``: ``toggle_status`` ``resolved``.
* Errors: timeouts, transport failures, 408/429/5xx → ``TransientError``; 401/403 (token),
  404, 422 and anything unreadable → ``PermanentError`` (``ChatwootError`` with the status).

Webhooks: ``verify_signature`` checks ``X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret,
"{timestamp}.{raw body}")>`` in constant time, with ``X-Chatwoot-Timestamp`` within ±300 s.
``parse_webhook`` keeps only what a hand-off acts on: an agent's public reply (``message_created``
with the string ``message_type`` ``outgoing``, ``sender.type`` ``user``, not private) and a status
change (``conversation_status_changed``). Incoming messages (our own mirror of the customer),
private notes, bots' messages and everything else are None.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any, Final

import httpx

from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.ports import Attachment

__all__ = [
    "AgentReply",
    "ChatwootDesk",
    "ChatwootError",
    "StatusChanged",
    "parse_webhook",
    "verify_signature",
]

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]
WINDOW: Final = 300
MAX_TIMESTAMP: Final = 12
"""Digits of a Unix time in seconds for the next 30,000 years: a longer one is no timestamp."""
_RETRYABLE: Final = frozenset({408, 425, 429})


class ChatwootError(PermanentError):
    """Chatwoot refused the request (401/403/404/422...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Chatwoot {status}: {message}", code=status)
        self.status = status


def _message_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        for key in ("message", "error", "errors"):
            if body.get(key):
                return str(body[key])[:200]
    return str(body)[:200]


class ChatwootDesk:
    """The ``HelpDesk`` port over Chatwoot's Application API. Call ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        url: str,
        account_id: str,
        inbox_id: str,
        token: str,
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not inbox_id.strip().isdigit():
            raise ValueError("CHATWOOT_INBOX_ID must be the inbox's number")
        self._inbox_id = int(inbox_id)
        self._client = httpx.AsyncClient(
            base_url=f"{url.rstrip('/')}/api/v1/accounts/{account_id.strip()}",
            headers={"api_access_token": token, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    # ---- HTTP ------------------------------------------------------------------------------
    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: JsonObject | None = None,
        params: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Any:
        try:
            if files is not None:
                response = await self._client.request(method, path, data=form, files=files)
            else:
                response = await self._client.request(method, path, json=body, params=params)
        except httpx.TimeoutException as error:
            raise TransientError(f"Chatwoot {method} {path}: timeout") from error
        except httpx.TransportError as error:
            raise TransientError(f"Chatwoot {method} {path}: {type(error).__name__}") from error
        status = response.status_code
        if status in _RETRYABLE or status >= 500:
            retry_after = response.headers.get("retry-after", "")
            raise TransientError(
                f"Chatwoot {method} {path}: HTTP {status}",
                code=status,
                retry_after=float(retry_after) if retry_after.isdigit() else None,
            )
        if status >= 400:
            raise ChatwootError(status, _message_of(response))
        try:
            return response.json()
        except ValueError as error:
            raise PermanentError(f"Chatwoot {method} {path}: the answer is not JSON") from error

    # ---- the port --------------------------------------------------------------------------
    async def open(self, handoff_id: str, contact_name: str, address: str, context: str) -> str:
        contact = await self._contact(contact_name, address)
        source_id = await self._source_id(contact, address)
        found = await self._call("GET", f"/contacts/{contact['id']}/conversations")
        for conversation in _list(_dict(found).get("payload")):
            conversation = _dict(conversation)
            if (
                _dict(conversation.get("custom_attributes")).get("handoff_id") == handoff_id
                and conversation.get("inbox_id") == self._inbox_id
                and conversation.get("status") != "resolved"
            ):
                conversation_id = str(conversation["id"])
                await self._note_once(conversation_id, context)
                return conversation_id
        created = _dict(
            await self._call(
                "POST",
                "/conversations",
                body={
                    "source_id": source_id,
                    "inbox_id": self._inbox_id,
                    "contact_id": contact["id"],
                    "status": "open",
                    "custom_attributes": {"handoff_id": handoff_id},
                },
            )
        )
        if "id" not in created:
            raise PermanentError("Chatwoot created a conversation without an id")
        conversation_id = str(created["id"])
        await self._note(conversation_id, context)
        return conversation_id

    async def forward(
        self, desk_conversation_id: str, text: str, attachment: Attachment | None = None
    ) -> None:
        if attachment is not None:
            await self._call(
                "POST",
                f"/conversations/{desk_conversation_id}/messages",
                form={"content": text, "message_type": "incoming", "private": "false"},
                files=[
                    (
                        "attachments[]",
                        (attachment.filename, attachment.data, attachment.mime_type),
                    )
                ],
            )
            return
        await self._call(
            "POST",
            f"/conversations/{desk_conversation_id}/messages",
            body={"content": text, "message_type": "incoming", "private": False},
        )

    async def close(self, desk_conversation_id: str) -> None:
        await self._call(
            "POST",
            f"/conversations/{desk_conversation_id}/toggle_status",
            body={"status": "resolved"},
        )

    # ---- pieces ----------------------------------------------------------------------------
    async def _contact(self, name: str, address: str) -> JsonObject:
        phone = f"+{address}" if address.isdigit() else None
        identifier = f"whatsapp:{address}"
        existing = await self._search(phone, identifier)
        if existing is not None:
            return existing
        body: JsonObject = {"name": name or address, "identifier": identifier}
        if phone:
            body["phone_number"] = phone
        try:
            created = _dict(await self._call("POST", "/contacts", body=body))
        except ChatwootError as error:
            if error.status != 422:
                raise
            existing = await self._search(phone, identifier)  # created meanwhile, or by hand
            if existing is None:
                raise
            return existing
        contact = _dict(_dict(created.get("payload")).get("contact"))
        if "id" not in contact:
            raise PermanentError("Chatwoot created a contact without an id")
        return contact

    async def _search(self, phone: str | None, identifier: str) -> JsonObject | None:
        found = await self._call("GET", "/contacts/search", params={"q": phone or identifier})
        for contact in _list(_dict(found).get("payload")):
            contact = _dict(contact)
            if "id" in contact and (
                (phone and contact.get("phone_number") == phone)
                or contact.get("identifier") == identifier
            ):
                return contact
        return None

    async def _source_id(self, contact: JsonObject, address: str) -> str:
        for contact_inbox in _list(contact.get("contact_inboxes")):
            contact_inbox = _dict(contact_inbox)
            if _dict(contact_inbox.get("inbox")).get("id") == self._inbox_id:
                return str(contact_inbox["source_id"])
        created = _dict(
            await self._call(
                "POST",
                f"/contacts/{contact['id']}/contact_inboxes",
                body={"inbox_id": self._inbox_id, "source_id": address},
            )
        )
        return str(created.get("source_id") or address)

    async def _note(self, conversation_id: str, context: str) -> None:
        await self._call(
            "POST",
            f"/conversations/{conversation_id}/messages",
            body={"content": context, "message_type": "outgoing", "private": True},
        )

    async def _note_once(self, conversation_id: str, context: str) -> None:
        found = await self._call("GET", f"/conversations/{conversation_id}/messages")
        if not any(_dict(m).get("private") for m in _list(_dict(found).get("payload"))):
            await self._note(conversation_id, context)


def _dict(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# ---- webhooks -----------------------------------------------------------------------------------


def verify_signature(
    secret: str,
    body: bytes,
    *,
    signature: str | None,
    timestamp: str | None,
    now: float,
    window: int = WINDOW,
) -> bool:
    """The signature over the raw body and timestamp, the timestamp within `window` seconds."""
    if not secret or not signature or not timestamp:
        return False
    # ASCII digits only ("²" is a digit to str.isdigit), and no more than a clock has: int()
    # of thousands of digits raises
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP):
        return False
    if abs(now - int(timestamp)) > window:
        return False
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    expected = f"sha256={digest.hexdigest()}"
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentReply:
    """An agent's public reply, to relay to the customer."""

    conversation_id: str
    inbox_id: int | None
    message_id: str
    agent: str
    body: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChanged:
    conversation_id: str
    inbox_id: int | None
    status: str
    agent: str
    """The assignee's name, when there is one."""


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _agent_reply(document: JsonObject) -> AgentReply | None:
    sender = _dict(document.get("sender"))
    if (
        document.get("message_type") not in ("outgoing", 1)
        or document.get("private") is not False
        or sender.get("type") != "user"
    ):
        return None  # our mirror of the customer (incoming), a private note, a bot, an activity
    conversation = _dict(document.get("conversation"))
    body = document.get("content")
    if conversation.get("id") is None or document.get("id") is None or not isinstance(body, str):
        return None
    if not body.strip():
        return None
    inbox = _int(conversation.get("inbox_id"))
    if inbox is None:
        inbox = _int(_dict(document.get("inbox")).get("id"))
    return AgentReply(
        conversation_id=str(conversation["id"]),
        inbox_id=inbox,
        message_id=str(document["id"]),
        agent=str(sender.get("name") or "Atendente"),
        body=body,
    )


def _status_changed(document: JsonObject, status: str | None) -> StatusChanged | None:
    if document.get("id") is None or not status:
        return None
    assignee = _dict(_dict(document.get("meta")).get("assignee"))
    return StatusChanged(
        conversation_id=str(document["id"]),
        inbox_id=_int(document.get("inbox_id")),
        status=status,
        agent=str(assignee.get("name") or "Chatwoot"),
    )


def parse_webhook(document: Any) -> AgentReply | StatusChanged | None:
    """What a Chatwoot webhook means for a hand-off; None for everything else."""
    if not isinstance(document, dict):
        return None
    event = document.get("event")
    if event == "message_created":
        return _agent_reply(document)
    if event == "conversation_status_changed":
        status = document.get("status")
        return _status_changed(document, status if isinstance(status, str) else None)
    if event == "conversation_resolved":  # legacy event of older releases
        return _status_changed(document, "resolved")
    return None
