"""A faithful fake of the Chatwoot Application API (the routes a hand-off desk uses) and of its
signed account webhooks, as the reference (§4) describes them.

* ``/api/v1/accounts/{account_id}/...`` with the header ``api_access_token``: a missing or wrong
  token gets 401 ``{"error": "You need to sign in or sign up before continuing."}``; another
  account 401 ``{"error": "You are not authorized to access this account"}``; an unknown record
  404 ``{"error": "Resource could not be found"}``; invalid input 422 ``{"message": ...,
  "attributes": [...]}``.
* Routes: ``GET inboxes/{id}``, ``GET contacts/search?q=`` (name, e-mail, phone number,
  identifier; with the contact's ``contact_inboxes``), ``POST contacts`` (E.164 phone numbers,
  unique phone and identifier; with ``inbox_id`` a contact inbox with a random ``source_id``), ``GET
  contacts/{id}``, ``POST contacts/{id}/contact_inboxes`` (``source_id`` unique per inbox),
  ``GET contacts/{id}/conversations``, ``POST conversations`` (``source_id`` required and must
  be one of the contact's in that inbox), ``GET conversations/{id}``, ``GET``/``POST
  conversations/{id}/messages``, ``POST conversations/{id}/toggle_status`` (open, resolved,
  pending, snoozed; with no status it toggles open ↔ resolved), ``POST
  conversations/{id}/assignments``.
* ``POST conversations/{id}/messages`` takes JSON, or multipart form data whose file parts are
  ``attachments[]`` (how Chatwoot's "create message" takes files: a JSON body has no place for
  them). Form fields come as strings, ``private`` as Rails reads a boolean ("true"/"1"). With a
  file, ``content`` may be blank. An ``attachments[]`` part that is not a file is 422; a file
  over 40 MB is 422 ``File size is too big`` (Chatwoot's ``Attachmentable`` limit; the release
  read checks it, and the type list, only for website-widget inboxes, newer ones read
  ``MAXIMUM_FILE_UPLOAD_SIZE``, 40 MB by default, for every channel [verify]); an API-channel
  inbox takes any type. The message answers ``attachments: [{id, message_id, file_type (image,
  audio, video, file), extension, data_url, file_size}]``; the bytes are in ``files``.
* API answers give ``message_type`` as an integer (0 incoming, 1 outgoing, 2 activity, 3
  template); webhooks give it as a string at the top level, as Chatwoot does. An incoming
  message reopens a resolved conversation.
* Every message created through the API (ours included: the bot's incoming mirror, private
  notes) is delivered to ``webhook_url`` as ``message_created`` in the background, like
  Chatwoot's account webhooks; status changes as ``conversation_status_changed``. Deliveries
  are signed with ``webhook_secret`` (``X-Chatwoot-Signature: sha256=<hex HMAC-SHA256 of
  "{timestamp}.{body}">``, ``X-Chatwoot-Timestamp``, ``X-Chatwoot-Delivery``) and recorded in
  ``deliveries`` with the status our side answered.

Test helpers (on :class:`ChatwootState`, synchronous, delivering at once): ``agent_replies``,
``agent_sets_status``, ``post_webhook`` (any payload, with a chosen secret or timestamp),
``fail_next``, ``calls``, ``wait_deliveries``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.fakes.serving import BackgroundServer

__all__ = ["DEFAULT_TOKEN", "ChatwootState", "FakeChatwoot", "build_app", "sign"]

JsonObject = dict[str, Any]

DEFAULT_TOKEN: Final = "fake-chatwoot-token"
DEFAULT_SECRET: Final = "fake-chatwoot-webhook-secret"
STATUSES: Final = ("open", "resolved", "pending", "snoozed")
MESSAGE_TYPES: Final = {"incoming": 0, "outgoing": 1, "activity": 2, "template": 3}
_E164: Final = re.compile(r"^\+[1-9]\d{1,14}$")
UNAUTHORIZED: Final = "You need to sign in or sign up before continuing."
MAX_FILE: Final = 40 * 1024 * 1024


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Chatwoot's webhook signature: ``sha256=`` + hex HMAC-SHA256 of ``"{ts}.{body}"``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class _Problem(Exception):
    def __init__(self, status: int, body: JsonObject) -> None:
        super().__init__(str(body))
        self.status, self.body = status, body


def _not_found() -> _Problem:
    return _Problem(404, {"error": "Resource could not be found"})


def _invalid(message: str, *attributes: str) -> _Problem:
    return _Problem(422, {"message": message, "attributes": list(attributes)})


class ChatwootState:
    """The fake's data and configuration, thread-safe; one account with one API-channel inbox
    and one agent."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        account_id: int = 1,
        inbox_id: int = 7,
        webhook_url: str | None = None,
        webhook_secret: str = DEFAULT_SECRET,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._lock = threading.RLock()
        self.token, self.account_id, self.inbox_id = token, account_id, inbox_id
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.clock = clock
        self.inboxes: dict[int, JsonObject] = {
            inbox_id: {"id": inbox_id, "name": "WhatsApp (bot)", "channel_type": "Channel::Api"}
        }
        self.agents: dict[int, JsonObject] = {
            1: {"id": 1, "name": "Ana Atendente", "type": "user", "email": "ana@exemplo.com"}
        }
        self.contacts: dict[int, JsonObject] = {}
        self.contact_inboxes: list[JsonObject] = []
        self.conversations: dict[int, JsonObject] = {}
        self.messages: dict[int, list[JsonObject]] = {}
        self.files: dict[int, tuple[str, str, bytes]] = {}
        """``attachment id -> (filename, content type, bytes)`` of every file received."""
        self.calls: list[tuple[str, str, int]] = []
        """``(method, path after the account, status)`` of every API call."""
        self.deliveries: list[tuple[str, int]] = []
        """``(event, status our side answered)`` of every webhook delivered."""
        self._fail_next: list[int] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1001)

    # ---- test helpers --------------------------------------------------------------------

    def fail_next(self, *statuses: int) -> None:
        """The next API calls answer these HTTP statuses, one each, in order."""
        with self._lock:
            self._fail_next.extend(statuses)

    def take_failure(self) -> int | None:
        with self._lock:
            return self._fail_next.pop(0) if self._fail_next else None

    def conversation_of(self, handoff_id: str) -> JsonObject | None:
        """The conversation whose custom attribute ``handoff_id`` is this."""
        with self._lock:
            for conversation in self.conversations.values():
                if conversation["custom_attributes"].get("handoff_id") == handoff_id:
                    return conversation
        return None

    def messages_of(self, conversation_id: int) -> list[JsonObject]:
        with self._lock:
            return list(self.messages.get(conversation_id, []))

    def agent_replies(
        self, conversation_id: int, content: str, *, agent_id: int = 1, private: bool = False
    ) -> httpx.Response:
        """An agent writes in the conversation (a reply, or a private note): Chatwoot stores
        it and delivers ``message_created``. Returns our side's answer."""
        with self._lock:
            message = self._add_message(
                conversation_id, content, "outgoing", private, sender=self.agents[agent_id]
            )
            payload = self._message_event(message)
        return self.post_webhook(payload)

    def agent_sets_status(
        self, conversation_id: int, status: str, *, agent_id: int = 1
    ) -> httpx.Response | None:
        """An agent sets the status; returns our side's answer (None when nothing changed)."""
        with self._lock:
            conversation = self.conversations[conversation_id]
            conversation["meta"]["assignee"] = self.agents[agent_id]
            payload = self._set_status(conversation, status)
        return self.post_webhook(payload) if payload is not None else None

    def post_webhook(
        self,
        payload: JsonObject,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        delivery: str | None = None,
    ) -> httpx.Response:
        """Deliver a webhook now (signed with `secret`, the configured one by default)."""
        if not self.webhook_url:
            raise RuntimeError("the fake Chatwoot has no webhook_url")
        body, headers = self._signed(payload, secret, timestamp, delivery)
        response = httpx.post(self.webhook_url, content=body, headers=headers, timeout=10)
        with self._lock:
            self.deliveries.append((str(payload.get("event")), response.status_code))
        return response

    def wait_deliveries(self, count: int, timeout: float = 5.0) -> list[tuple[str, int]]:
        """Wait until at least `count` webhooks were delivered; return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.deliveries) >= count:
                    return list(self.deliveries)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.deliveries)} webhook deliveries, expected {count}")

    # ---- signing -------------------------------------------------------------------------

    def _signed(
        self,
        payload: JsonObject,
        secret: str | None,
        timestamp: int | None,
        delivery: str | None,
    ) -> tuple[bytes, dict[str, str]]:
        body = orjson.dumps(payload)
        headers = {
            "Content-Type": "application/json",
            "X-Chatwoot-Delivery": delivery or str(uuid.uuid4()),
        }
        key = self.webhook_secret if secret is None else secret
        if key:  # older releases (or no secret) do not sign
            stamp = str(timestamp if timestamp is not None else int(time.time()))
            headers["X-Chatwoot-Timestamp"] = stamp
            headers["X-Chatwoot-Signature"] = sign(key, stamp, body)
        return body, headers

    async def deliver_later(self, payload: JsonObject) -> None:
        """Deliver in the background, as Chatwoot's job queue does."""
        if not self.webhook_url:
            return
        body, headers = self._signed(payload, None, None, None)
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.post(self.webhook_url, content=body, headers=headers)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        with self._lock:
            self.deliveries.append((str(payload.get("event")), status))

    # ---- records as Chatwoot renders them --------------------------------------------------

    def _contact_json(self, contact: JsonObject) -> JsonObject:
        inboxes = [
            {"source_id": ci["source_id"], "inbox": self.inboxes[ci["inbox_id"]]}
            for ci in self.contact_inboxes
            if ci["contact_id"] == contact["id"]
        ]
        return {**contact, "type": "contact", "contact_inboxes": inboxes}

    def _conversation_json(self, conversation: JsonObject) -> JsonObject:
        messages = self.messages.get(conversation["id"], [])
        return {**conversation, "messages": [self._message_json(m) for m in messages[-1:]]}

    def _message_json(self, message: JsonObject) -> JsonObject:
        return {**message, "message_type": MESSAGE_TYPES[message["message_type"]]}

    def _account(self) -> JsonObject:
        return {"id": self.account_id, "name": "Dresbach"}

    def _message_event(self, message: JsonObject) -> JsonObject:
        conversation = self.conversations[message["conversation_id"]]
        return {
            "event": "message_created",
            "id": message["id"],
            "content": message["content"],
            "created_at": datetime.fromtimestamp(message["created_at"], UTC).isoformat(),
            "message_type": message["message_type"],  # a string here, unlike the API
            "content_type": "text",
            "private": message["private"],
            "content_attributes": {},
            "source_id": None,
            **({"attachments": message["attachments"]} if message.get("attachments") else {}),
            "sender": message["sender"],
            "inbox": self.inboxes[conversation["inbox_id"]],
            "conversation": self._conversation_json(conversation),
            "account": self._account(),
        }

    def _add_message(
        self,
        conversation_id: int,
        content: str,
        message_type: str,
        private: bool,
        *,
        sender: JsonObject,
    ) -> JsonObject:
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            raise _not_found()
        message = {
            "id": next(self._message_ids),
            "content": content,
            "message_type": message_type,
            "private": private,
            "content_type": "text",
            "conversation_id": conversation_id,
            "inbox_id": conversation["inbox_id"],
            "sender": sender,
            "created_at": int(self.clock().timestamp()),
        }
        self.messages.setdefault(conversation_id, []).append(message)
        return message

    def _set_status(self, conversation: JsonObject, status: str) -> JsonObject | None:
        """Change the status; the ``conversation_status_changed`` payload, None if unchanged."""
        previous = conversation["status"]
        if status == previous:
            return None
        conversation["status"] = status
        return {
            "event": "conversation_status_changed",
            **self._conversation_json(conversation),
            "changed_attributes": [
                {"status": {"previous_value": previous, "current_value": status}}
            ],
            "account": self._account(),
        }

    # ---- the API -------------------------------------------------------------------------

    def check(self, token: str, account_id: int) -> None:
        if not token or not hmac.compare_digest(token.encode(), self.token.encode()):
            raise _Problem(401, {"error": UNAUTHORIZED})
        if account_id != self.account_id:
            raise _Problem(401, {"error": "You are not authorized to access this account"})

    def search_contacts(self, q: str) -> JsonObject:
        needle = q.strip().lower()
        with self._lock:
            found = [
                self._contact_json(c)
                for c in self.contacts.values()
                if needle
                and any(
                    needle in str(c.get(f) or "").lower()
                    for f in ("name", "email", "phone_number", "identifier")
                )
            ]
        return {"meta": {"count": len(found), "current_page": 1}, "payload": found}

    def create_contact(self, data: JsonObject) -> JsonObject:
        phone, identifier = data.get("phone_number"), data.get("identifier")
        if phone and not _E164.match(str(phone)):
            raise _invalid("Phone number should be in e164 format", "phone_number")
        with self._lock:
            for other in self.contacts.values():
                if phone and other.get("phone_number") == phone:
                    raise _invalid("Phone number has already been taken", "phone_number")
                if identifier and other.get("identifier") == identifier:
                    raise _invalid("Identifier has already been taken", "identifier")
            contact: JsonObject = {
                "id": next(self._ids),
                "name": str(data.get("name") or phone or identifier or ""),
                "email": data.get("email"),
                "phone_number": phone,
                "identifier": identifier,
                "custom_attributes": data.get("custom_attributes") or {},
            }
            self.contacts[contact["id"]] = contact
            contact_inbox = None
            if data.get("inbox_id") is not None:
                contact_inbox = self._contact_inbox(contact["id"], data["inbox_id"], None)
            return {
                "payload": {"contact": self._contact_json(contact), "contact_inbox": contact_inbox}
            }

    def _contact_inbox(self, contact_id: int, inbox_id: Any, source_id: Any) -> JsonObject:
        if not isinstance(inbox_id, int) or inbox_id not in self.inboxes:
            raise _invalid("Inbox must exist", "inbox")
        source = str(source_id) if source_id else str(uuid.uuid4())
        for ci in self.contact_inboxes:
            if ci["inbox_id"] == inbox_id and ci["source_id"] == source:
                raise _invalid("Source has already been taken", "source_id")
        row = {"contact_id": contact_id, "inbox_id": inbox_id, "source_id": source}
        self.contact_inboxes.append(row)
        return {"source_id": source, "inbox": self.inboxes[inbox_id]}

    def get_inbox(self, inbox_id: int) -> JsonObject:
        """``GET inboxes/{id}``: the inbox (``dresbach doctor`` asks for ours)."""
        with self._lock:
            inbox = self.inboxes.get(inbox_id)
            if inbox is None:
                raise _not_found()
            return dict(inbox)

    def get_contact(self, contact_id: int) -> JsonObject:
        with self._lock:
            contact = self.contacts.get(contact_id)
            if contact is None:
                raise _not_found()
            return {"payload": self._contact_json(contact)}

    def add_contact_inbox(self, contact_id: int, data: JsonObject) -> JsonObject:
        with self._lock:
            if contact_id not in self.contacts:
                raise _not_found()
            return self._contact_inbox(contact_id, data.get("inbox_id"), data.get("source_id"))

    def contact_conversations(self, contact_id: int) -> JsonObject:
        with self._lock:
            if contact_id not in self.contacts:
                raise _not_found()
            found = [
                self._conversation_json(c)
                for c in self.conversations.values()
                if c["meta"]["sender"]["id"] == contact_id
            ]
        return {"payload": found}

    def create_conversation(self, data: JsonObject) -> JsonObject:
        source_id, inbox_id = data.get("source_id"), data.get("inbox_id")
        if not source_id:
            raise _invalid("Source can't be blank", "source_id")
        status = str(data.get("status") or "open")
        if status not in STATUSES:
            raise _invalid(f"'{status}' is not a valid status", "status")
        with self._lock:
            found = next(
                (
                    ci
                    for ci in self.contact_inboxes
                    if ci["source_id"] == source_id and ci["inbox_id"] == inbox_id
                ),
                None,
            )
            if found is None:
                raise _not_found()
            if data.get("contact_id") not in (None, found["contact_id"]):
                raise _invalid("Contact does not match the source", "contact_id")
            contact = self._contact_json(self.contacts[found["contact_id"]])
            conversation_id = max(self.conversations, default=0) + 1
            conversation = {
                "id": conversation_id,
                "account_id": self.account_id,
                "inbox_id": inbox_id,
                "status": status,
                "channel": "Channel::Api",
                "contact_inbox": {"contact_id": found["contact_id"], "source_id": source_id},
                "meta": {"sender": contact, "assignee": None},
                "custom_attributes": data.get("custom_attributes") or {},
                "created_at": int(self.clock().timestamp()),
            }
            self.conversations[conversation_id] = conversation
            return self._conversation_json(conversation)

    def get_conversation(self, conversation_id: int) -> JsonObject:
        with self._lock:
            conversation = self.conversations.get(conversation_id)
            if conversation is None:
                raise _not_found()
            return self._conversation_json(conversation)

    def list_messages(self, conversation_id: int) -> JsonObject:
        with self._lock:
            if conversation_id not in self.conversations:
                raise _not_found()
            found = [self._message_json(m) for m in self.messages.get(conversation_id, [])]
        return {"meta": {}, "payload": found}

    def create_message(
        self, conversation_id: int, data: JsonObject
    ) -> tuple[JsonObject, list[JsonObject]]:
        """The message as the API answers it, and the webhooks it causes."""
        content = data.get("content")
        message_type = str(data.get("message_type") or "outgoing")
        if message_type not in ("incoming", "outgoing"):
            raise _invalid(f"'{message_type}' is not a valid message_type", "message_type")
        uploads: list[tuple[str, str, bytes]] = data.get("attachments[]") or []
        if content is None and uploads:
            content = ""
        if not isinstance(content, str) or not (content.strip() or uploads):
            raise _invalid("Content can't be blank", "content")
        if any(len(body) > MAX_FILE for _, _, body in uploads):
            raise _invalid("Validation failed: File size is too big", "file")
        with self._lock:
            conversation = self.conversations.get(conversation_id)
            if conversation is None:
                raise _not_found()
            events: list[JsonObject] = []
            if message_type == "incoming":
                sender = conversation["meta"]["sender"]
                if conversation["status"] == "resolved":  # a contact's message reopens it
                    changed = self._set_status(conversation, "open")
                    if changed is not None:
                        events.append(changed)
            else:
                sender = self.agents[1]  # the token's user
            sender = {"id": sender["id"], "name": sender["name"], "type": sender["type"]}
            message = self._add_message(
                conversation_id, content, message_type, bool(data.get("private")), sender=sender
            )
            message["attachments"] = [self._attach(message["id"], *u) for u in uploads]
            events.insert(0, self._message_event(message))
            return self._message_json(message), events

    def _attach(self, message_id: int, filename: str, content_type: str, body: bytes) -> JsonObject:
        attachment_id = next(self._ids)
        self.files[attachment_id] = (filename, content_type, body)
        major = content_type.split("/")[0]
        return {
            "id": attachment_id,
            "message_id": message_id,
            "file_type": major if major in ("image", "audio", "video") else "file",
            "account_id": self.account_id,
            "extension": filename.rpartition(".")[2] if "." in filename else None,
            "data_url": f"/rails/active_storage/blobs/{attachment_id}/{filename}",
            "file_size": len(body),
        }

    def toggle_status(
        self, conversation_id: int, data: JsonObject
    ) -> tuple[JsonObject, list[JsonObject]]:
        with self._lock:
            conversation = self.conversations.get(conversation_id)
            if conversation is None:
                raise _not_found()
            status = data.get("status")
            if status is None:
                status = "resolved" if conversation["status"] == "open" else "open"
            if status not in STATUSES:
                raise _invalid(f"'{status}' is not a valid status", "status")
            changed = self._set_status(conversation, str(status))
            answer = {
                "meta": {},
                "payload": {
                    "success": True,
                    "current_status": conversation["status"],
                    "conversation_id": conversation_id,
                },
            }
            return answer, [changed] if changed is not None else []

    def assign(self, conversation_id: int, data: JsonObject) -> JsonObject:
        with self._lock:
            conversation = self.conversations.get(conversation_id)
            agent = self.agents.get(data.get("assignee_id"))  # type: ignore[arg-type]
            if conversation is None or agent is None:
                raise _not_found()
            conversation["meta"]["assignee"] = agent
            return agent


# ---- the ASGI app -------------------------------------------------------------------------------


async def _form(request: Request) -> JsonObject:
    """A multipart body as Rails reads it: fields as strings, booleans cast, files apart."""
    form = await request.form(max_part_size=MAX_FILE + 1024)
    data: JsonObject = {}
    uploads: list[tuple[str, str, bytes]] = []
    for name, value in form.multi_items():
        if name == "attachments[]":
            if isinstance(value, str):
                raise _invalid("attachments must be files", "attachments")
            body = await value.read()
            uploads.append((value.filename or "file", value.content_type or "", body))
        elif isinstance(value, str):
            data[name] = value.lower() in ("true", "1") if name == "private" else value
    if uploads:
        data["attachments[]"] = uploads
    return data


def build_app(state: ChatwootState) -> ASGIApp:
    background: set[asyncio.Task[None]] = set()

    def later(events: list[JsonObject]) -> None:
        for payload in events:
            task = asyncio.get_running_loop().create_task(state.deliver_later(payload))
            background.add(task)
            task.add_done_callback(background.discard)

    def endpoint(method: str, handler: Callable[[Request, JsonObject], Any]) -> Any:
        async def run(request: Request) -> Response:
            path = request.url.path.split(f"/accounts/{request.path_params['account_id']}", 1)[-1]
            status, answer = 200, None
            failure = state.take_failure()
            try:
                if failure is not None:
                    raise _Problem(failure, {"error": "injected failure"})
                state.check(
                    request.headers.get("api_access_token", ""), request.path_params["account_id"]
                )
                data: JsonObject = {}
                if method == "POST" and request.headers.get("content-type", "").startswith(
                    "multipart/form-data"
                ):
                    data = await _form(request)
                elif method == "POST":
                    try:
                        data = orjson.loads(await request.body() or b"{}")
                    except orjson.JSONDecodeError:
                        raise _invalid("Invalid JSON") from None
                    if not isinstance(data, dict):
                        raise _invalid("Invalid JSON")
                result = handler(request, data)
                if isinstance(result, tuple):
                    answer, events = result
                    later(events)
                else:
                    answer = result
            except _Problem as problem:
                status, answer = problem.status, problem.body
            with state._lock:
                state.calls.append((method, path, status))
            return Response(orjson.dumps(answer), status, media_type="application/json")

        return run

    def _id(request: Request, name: str) -> int:
        value: int = request.path_params[name]
        return value

    prefix = "/api/v1/accounts/{account_id:int}"
    routes = [
        Route(
            f"{prefix}/inboxes/{{inbox_id:int}}",
            endpoint("GET", lambda r, _: state.get_inbox(_id(r, "inbox_id"))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/contacts/search",
            endpoint("GET", lambda r, _: state.search_contacts(r.query_params.get("q", ""))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/contacts",
            endpoint("POST", lambda _, d: state.create_contact(d)),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/contacts/{{contact_id:int}}",
            endpoint("GET", lambda r, _: state.get_contact(_id(r, "contact_id"))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/contacts/{{contact_id:int}}/contact_inboxes",
            endpoint("POST", lambda r, d: state.add_contact_inbox(_id(r, "contact_id"), d)),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/contacts/{{contact_id:int}}/conversations",
            endpoint("GET", lambda r, _: state.contact_conversations(_id(r, "contact_id"))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/conversations",
            endpoint("POST", lambda _, d: state.create_conversation(d)),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/conversations/{{conversation_id:int}}",
            endpoint("GET", lambda r, _: state.get_conversation(_id(r, "conversation_id"))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/conversations/{{conversation_id:int}}/messages",
            endpoint("GET", lambda r, _: state.list_messages(_id(r, "conversation_id"))),
            methods=["GET"],
        ),
        Route(
            f"{prefix}/conversations/{{conversation_id:int}}/messages",
            endpoint("POST", lambda r, d: state.create_message(_id(r, "conversation_id"), d)),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/conversations/{{conversation_id:int}}/toggle_status",
            endpoint("POST", lambda r, d: state.toggle_status(_id(r, "conversation_id"), d)),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/conversations/{{conversation_id:int}}/assignments",
            endpoint("POST", lambda r, d: state.assign(_id(r, "conversation_id"), d)),
            methods=["POST"],
        ),
    ]
    return Starlette(routes=routes)


class FakeChatwoot(BackgroundServer):
    """Serve the fake on 127.0.0.1 from a background thread:
    ``with FakeChatwoot(webhook_url=...) as chatwoot: ... chatwoot.url ...``."""

    label = "the fake Chatwoot"

    def __init__(
        self,
        *,
        state: ChatwootState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        super().__init__(host=host, port=port, startup_timeout=startup_timeout)
        self.state = state if state is not None else ChatwootState()

    def app(self) -> ASGIApp:
        return build_app(self.state)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the Chatwoot root (the API is under ``/api/v1``)."""
        return f"http://{self._host}:{self.port}"
