"""A faithful fake of the WhatsApp Cloud API send endpoint, for end-to-end tests and the benchmark.

It answers ``POST /{version}/{phone_number_id}/messages`` the way Meta does (see
``shared/reference/whatsapp-cloud-api.md`` §4.7-4.9):

* ``Authorization: Bearer <token>`` is required; a wrong or missing token gives 401 with the
  Graph error body, code 190.
* A mark-read body (``{"status": "read", "message_id": ...}``, optionally with
  ``typing_indicator``) answers ``{"success": true}``.
* A message body answers ``{"messaging_product", "contacts": [...], "messages": [{"id":
  "wamid...", "message_status": "accepted"}]}``.
* WhatsApp's limits are checked loosely (text body, buttons, list rows, header and footer
  lengths, ``biz_opaque_callback_data``), so a client's mistakes show as 400s with the real codes.

Every accepted request is recorded with its arrival time (``time.monotonic()``), its parsed
body and the wamid it was given; rejected ones are recorded apart, in ``failures``. Failures can
be injected at runtime: a random share of requests (``failure_rate``, seeded) fails with one of
:class:`FailureKind`; recipients in ``outside_window`` get 131047 for anything but a template,
and recipients in ``undeliverable`` get 131026.

``POST /{version}/{phone_number_id}/media`` takes a multipart upload (``messaging_product``,
``type``, ``file``) of a MIME type WhatsApp supports (a JSON file goes up as ``text/plain``;
others get 131053) and answers ``{"id": "<media id>"}``; uploads are kept in ``uploads``.

``POST /{version}/{phone_number_id}/whatsapp_business_encryption`` takes
``business_public_key`` (form-encoded as Meta documents it, or JSON) and keeps it when it is a
2048-bit RSA public key in PEM; anything else gets 400, code 100, and the key held is unchanged.
``GET`` on the same path answers ``{"data": [{"business_public_key",
"business_public_key_signature_status"}]}`` (``VALID`` unless a test sets
``business_public_key_status``; ``{"data": []}`` before any key).

``GET /{version}/{phone_number_id}`` answers the number's fields (``verified_name``,
``display_phone_number``, ``quality_rating``…) with the same token and id checks: what
``dresbach doctor`` asks to prove the token works.

:class:`FakeGraphServer` serves the app with uvicorn on 127.0.0.1 on a free port, either in a
background thread (``with FakeGraphServer() as graph:``) or inside the running event loop
(``async with FakeGraphServer() as graph:``), which spares a benchmark the GIL ping-pong between
two threads.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import enum
import itertools
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs

import orjson
import uvicorn
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_API_VERSION",
    "FailureKind",
    "FakeGraphServer",
    "GraphApiState",
    "JsonObject",
    "RecordedFailure",
    "RecordedRequest",
    "UploadedMedia",
    "build_app",
]

JsonObject = dict[str, Any]

DEFAULT_ACCESS_TOKEN: Final = "test-access-token"  # noqa: S105 - a fake's default, not a secret
DEFAULT_API_VERSION: Final = "v26.0"

TEXT_BODY_MAX: Final = 4096
INTERACTIVE_BODY_MAX: Final = 1024
INTERACTIVE_HEADER_MAX: Final = 60
INTERACTIVE_FOOTER_MAX: Final = 60
REPLY_BUTTONS_MAX: Final = 3
REPLY_BUTTON_TITLE_MAX: Final = 20
REPLY_BUTTON_ID_MAX: Final = 256
LIST_BUTTON_MAX: Final = 20
LIST_SECTIONS_MAX: Final = 10
LIST_ROWS_MAX: Final = 10
LIST_SECTION_TITLE_MAX: Final = 24
LIST_ROW_TITLE_MAX: Final = 24
LIST_ROW_DESCRIPTION_MAX: Final = 72
LIST_ROW_ID_MAX: Final = 200
CALLBACK_DATA_MAX: Final = 512

MESSAGE_TYPES: Final = frozenset(
    {
        "text",
        "interactive",
        "image",
        "audio",
        "video",
        "document",
        "sticker",
        "location",
        "contacts",
        "template",
        "reaction",
    }
)
_MEDIA_TYPES: Final = frozenset({"image", "audio", "video", "document", "sticker"})


class FailureKind(enum.StrEnum):
    """What an injected failure looks like."""

    SERVER_ERROR = "server_error"
    """HTTP 500, code 131000, ``is_transient: true``."""
    THROUGHPUT = "throughput"
    """HTTP 429, code 130429: the number's throughput was reached."""
    PAIR_RATE = "pair_rate"
    """HTTP 400, code 131056: too many messages to the same user."""
    TIMEOUT = "timeout"
    """Sleep ``timeout_delay`` seconds, then answer 200: the request *was* accepted (pywa #110)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One accepted request. ``wamid`` is ``None`` for a read receipt."""

    index: int
    at: float
    phone_number_id: str
    body: JsonObject
    wamid: str | None
    delayed: bool = False

    @property
    def is_read_receipt(self) -> bool:
        return self.wamid is None

    @property
    def recipient(self) -> str | None:
        """``to`` (phone number / wa_id) or ``recipient`` (BSUID) of a message."""
        return _recipient_of(self.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedFailure:
    """One rejected request. ``kind`` is a :class:`FailureKind` value or the rule that fired:
    ``auth``, ``invalid``, ``outside_window``, ``undeliverable``."""

    index: int
    at: float
    phone_number_id: str
    body: JsonObject | None
    status: int
    code: int
    kind: str


UPLOAD_TYPES: Final = frozenset(
    {
        "audio/aac",
        "audio/amr",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "text/plain",
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/jpeg",
        "image/png",
        "image/webp",
        "video/3gp",
        "video/mp4",
    }
)
"""The MIME types WhatsApp accepts for upload (documents, images, audio, video, stickers)."""


@dataclass(frozen=True, slots=True)
class UploadedMedia:
    media_id: str
    mime_type: str
    filename: str
    data: bytes


class _Rejection(Exception):
    """A Graph error answer, raised while checking a request."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        kind: str = "invalid",
        details: str | None = None,
        is_transient: bool | None = None,
        error_subcode: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.kind = kind
        self.details = details
        self.is_transient = is_transient
        self.error_subcode = error_subcode

    def body(self) -> JsonObject:
        error: JsonObject = {
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
        }
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.error_subcode is not None:
            error["error_subcode"] = self.error_subcode
        if self.is_transient is not None:
            error["is_transient"] = self.is_transient
        error["fbtrace_id"] = _fbtrace_id()
        return {"error": error}


class GraphApiState:
    """The fake's configuration and its thread-safe record of what reached it.

    Configuration attributes may be changed at runtime, from any thread:
    ``access_token``, ``phone_number_id`` (``None`` accepts any), ``failure_rate`` (0..1),
    ``failure_kinds``, ``timeout_delay`` (seconds), ``outside_window`` and ``undeliverable``
    (sets of recipients, matched against ``to`` or ``recipient``).
    """

    def __init__(
        self,
        *,
        access_token: str = DEFAULT_ACCESS_TOKEN,
        phone_number_id: str | None = None,
        failure_rate: float = 0.0,
        failure_kinds: Iterable[FailureKind] = tuple(FailureKind),
        timeout_delay: float = 2.0,
        outside_window: Iterable[str] = (),
        undeliverable: Iterable[str] = (),
        seed: int = 0,
    ) -> None:
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.failure_rate = failure_rate
        self.failure_kinds: tuple[FailureKind, ...] = tuple(failure_kinds)
        self.timeout_delay = timeout_delay
        self.outside_window: set[str] = set(outside_window)
        self.undeliverable: set[str] = set(undeliverable)
        self.verified_name = "Dresbach Hosting do Brasil"
        self.display_phone_number = "+55 11 4000-0000"
        self.business_public_key: str | None = None
        """The Flows public key registered for the number (``whatsapp_business_encryption``)."""
        self.business_public_key_status = "VALID"
        """What ``GET whatsapp_business_encryption`` says of its signature (``MISMATCH`` too)."""
        self._random = random.Random(seed)
        self._condition = threading.Condition(threading.RLock())
        self._requests: list[RecordedRequest] = []
        self._failures: list[RecordedFailure] = []
        self._counter = itertools.count()
        self._listeners: list[Callable[[RecordedRequest], None]] = []
        self._wamid_prefix = secrets.token_hex(3).upper()
        self._uploads: list[UploadedMedia] = []

    # ---- recording (called by the app) ---------------------------------------------------

    def _next_wamid(self, recipient: str) -> str:
        raw = f"{recipient}:{self._wamid_prefix}{next(self._counter):012d}".encode()
        return "wamid." + base64.b64encode(raw).decode("ascii")

    def _record(
        self,
        *,
        at: float,
        phone_number_id: str,
        body: JsonObject,
        wamid: str | None,
        delayed: bool = False,
    ) -> None:
        with self._condition:
            record = RecordedRequest(
                index=len(self._requests),
                at=at,
                phone_number_id=phone_number_id,
                body=body,
                wamid=wamid,
                delayed=delayed,
            )
            self._requests.append(record)
            listeners = tuple(self._listeners)
            self._condition.notify_all()
        for listener in listeners:
            listener(record)

    def _record_failure(
        self,
        *,
        at: float,
        phone_number_id: str,
        body: JsonObject | None,
        rejection: _Rejection,
    ) -> None:
        with self._condition:
            self._failures.append(
                RecordedFailure(
                    index=len(self._failures),
                    at=at,
                    phone_number_id=phone_number_id,
                    body=body,
                    status=rejection.status,
                    code=rejection.code,
                    kind=rejection.kind,
                )
            )
            self._condition.notify_all()

    def _pick_failure(self) -> FailureKind | None:
        with self._condition:
            rate = self.failure_rate
            kinds = self.failure_kinds
            if rate <= 0.0 or not kinds or self._random.random() >= rate:
                return None
            return self._random.choice(kinds)

    # ---- accessors -------------------------------------------------------------------------

    def add_listener(self, listener: Callable[[RecordedRequest], None]) -> None:
        """Call ``listener(record)`` after each accepted request is recorded. It runs on the
        thread serving the app, before the answer is sent, so it must be quick and not block."""
        with self._condition:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[RecordedRequest], None]) -> None:
        with self._condition:
            self._listeners.remove(listener)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every accepted request (messages and read receipts), in arrival order."""
        with self._condition:
            return list(self._requests)

    def requests_since(self, index: int) -> list[RecordedRequest]:
        """The accepted requests from position ``index`` on (for incremental polling)."""
        with self._condition:
            return self._requests[index:]

    @property
    def failures(self) -> list[RecordedFailure]:
        """Every rejected request, in arrival order."""
        with self._condition:
            return list(self._failures)

    def messages_to(self, recipient: str) -> list[JsonObject]:
        """Bodies of the accepted messages (not read receipts) to ``recipient``, in order."""
        with self._condition:
            return [
                r.body
                for r in self._requests
                if r.wamid is not None and _recipient_of(r.body) == recipient
            ]

    def read_receipts(self) -> list[JsonObject]:
        """Bodies of the accepted mark-read requests, in arrival order."""
        with self._condition:
            return [r.body for r in self._requests if r.wamid is None]

    @property
    def uploads(self) -> list[UploadedMedia]:
        """Every accepted media upload, in arrival order."""
        with self._condition:
            return list(self._uploads)

    def _record_upload(self, mime_type: str, filename: str, data: bytes) -> str:
        with self._condition:
            media_id = str(10**15 + len(self._uploads) + 1)
            self._uploads.append(
                UploadedMedia(media_id=media_id, mime_type=mime_type, filename=filename, data=data)
            )
            self._condition.notify_all()
            return media_id

    def clear(self) -> None:
        """Forget every recorded request and failure (configuration is kept)."""
        with self._condition:
            self._requests.clear()
            self._failures.clear()
            self._condition.notify_all()

    def wait_for(self, predicate: Callable[[GraphApiState], bool], timeout: float) -> bool:
        """Block until ``predicate(self)`` holds or ``timeout`` seconds pass; returns whether it
        held. Safe from any thread but the one serving the app (use the thread mode in tests)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True


# ---- the app -------------------------------------------------------------------------------


def build_app(state: GraphApiState) -> Starlette:
    """The Starlette app of the fake, answering from and recording into ``state``."""

    async def messages(request: Request) -> Response:
        at = time.monotonic()
        phone_number_id = str(request.path_params["phone_number_id"])
        body: JsonObject | None = None
        try:
            _check_auth(state, request.headers.get("authorization"))
            body = _parse_body(await request.body())
            _check_path(state, str(request.path_params["version"]), phone_number_id)
            injected = state._pick_failure()
            if injected is not None and injected is not FailureKind.TIMEOUT:
                raise _injected_rejection(injected)
            answer, wamid = _accept(state, body)
        except _Rejection as rejection:
            state._record_failure(
                at=at, phone_number_id=phone_number_id, body=body, rejection=rejection
            )
            return _json(rejection.body(), rejection.status)
        delayed = injected is FailureKind.TIMEOUT
        state._record(
            at=at, phone_number_id=phone_number_id, body=body, wamid=wamid, delayed=delayed
        )
        if delayed:
            await asyncio.sleep(state.timeout_delay)
        return _json(answer, 200)

    async def phone_number(request: Request) -> Response:
        phone_number_id = str(request.path_params["phone_number_id"])
        try:
            _check_auth(state, request.headers.get("authorization"))
            _check_path(state, str(request.path_params["version"]), phone_number_id)
        except _Rejection as rejection:
            return _json(rejection.body(), rejection.status)
        return _json(
            {
                "verified_name": state.verified_name,
                "code_verification_status": "VERIFIED",
                "display_phone_number": state.display_phone_number,
                "quality_rating": "GREEN",
                "platform_type": "CLOUD_API",
                "throughput": {"level": "STANDARD"},
                "id": phone_number_id,
            },
            200,
        )

    async def media(request: Request) -> Response:
        phone_number_id = str(request.path_params["phone_number_id"])
        try:
            _check_auth(state, request.headers.get("authorization"))
            _check_path(state, str(request.path_params["version"]), phone_number_id)
            form = await request.form()
            upload = form.get("file")
            if form.get("messaging_product") != "whatsapp":
                raise _missing("messaging_product")
            if upload is None or isinstance(upload, str):
                raise _missing("file")
            mime_type = (upload.content_type or "").split(";")[0].strip()
            if mime_type not in UPLOAD_TYPES:
                raise _Rejection(
                    400,
                    131053,
                    "(#131053) Media upload error",
                    details=f"Unsupported file type {mime_type or '(none)'}.",
                )
            data = await upload.read()
        except _Rejection as rejection:
            return _json(rejection.body(), rejection.status)
        media_id = state._record_upload(mime_type, upload.filename or "", data)
        return _json({"id": media_id}, 200)

    async def business_encryption(request: Request) -> Response:
        try:
            _check_auth(state, request.headers.get("authorization"))
            _check_path(
                state,
                str(request.path_params["version"]),
                str(request.path_params["phone_number_id"]),
            )
            if request.method == "GET":
                key = state.business_public_key
                entries = (
                    [] if key is None else [_signed_key(key, state.business_public_key_status)]
                )
                return _json({"data": entries}, 200)
            state.business_public_key = _business_public_key(
                request.headers.get("content-type", ""), await request.body()
            )
        except _Rejection as rejection:
            return _json(rejection.body(), rejection.status)
        return _json({"success": True}, 200)

    routes = [
        Route("/{version}/{phone_number_id}/media", media, methods=["POST"]),
        Route("/{version}/{phone_number_id}/messages", messages, methods=["POST"]),
        Route(
            "/{version}/{phone_number_id}/whatsapp_business_encryption",
            business_encryption,
            methods=["GET", "POST"],
        ),
        Route("/{version}/{phone_number_id}", phone_number, methods=["GET"]),
    ]
    return Starlette(routes=routes)


def _json(content: JsonObject, status: int) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


def _fbtrace_id() -> str:
    return secrets.token_urlsafe(8)


def _check_auth(state: GraphApiState, header: str | None) -> None:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), state.access_token.encode()
    ):
        raise _Rejection(
            401,
            190,
            "Invalid OAuth access token - Cannot parse access token",
            kind="auth",
        )


def _check_path(state: GraphApiState, version: str, phone_number_id: str) -> None:
    major, dot, minor = version.removeprefix("v").partition(".")
    if not (version.startswith("v") and dot and major.isdigit() and minor.isdigit()):
        raise _Rejection(400, 2500, f"Unknown path components: /{version}/{phone_number_id}")
    expected = state.phone_number_id
    if expected is not None and phone_number_id != expected:
        raise _Rejection(
            400,
            100,
            f"Unsupported post request. Object with ID '{phone_number_id}' does not exist, "
            "cannot be loaded due to missing permissions, or does not support this operation.",
            error_subcode=33,
        )


def _parse_body(raw: bytes) -> JsonObject:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _Rejection(
            400, 100, "(#100) Invalid parameter", details="Malformed JSON body."
        ) from None
    if not isinstance(body, dict):
        raise _Rejection(400, 100, "(#100) Invalid parameter", details="Body must be an object.")
    return body


def _signed_key(key: str, status: str) -> JsonObject:
    return {"business_public_key": key, "business_public_key_signature_status": status}


def _business_public_key(content_type: str, raw: bytes) -> str:
    """The PEM of a key registration, refused as Meta does unless it is RSA of 2048 bits."""
    if content_type.startswith("application/json"):
        value = _parse_body(raw).get("business_public_key")
    else:
        found = parse_qs(raw.decode("utf-8", "replace")).get("business_public_key")
        value = found[0] if found else None
    if not isinstance(value, str) or not value.strip():
        raise _missing("business_public_key")
    try:
        key = serialization.load_pem_public_key(value.strip().encode())
    except (ValueError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != 2048:
        raise _Rejection(
            400,
            100,
            "(#100) Invalid parameter",
            details="business_public_key must be a 2048-bit RSA public key in PEM format.",
        )
    return value.strip()


def _injected_rejection(kind: FailureKind) -> _Rejection:
    if kind is FailureKind.SERVER_ERROR:
        return _Rejection(
            500,
            131000,
            "(#131000) Something went wrong",
            kind=kind.value,
            details="Message failed to send because of an unknown error.",
            is_transient=True,
        )
    if kind is FailureKind.THROUGHPUT:
        return _Rejection(
            429,
            130429,
            "(#130429) Rate limit hit",
            kind=kind.value,
            details="Message failed to send because there were too many messages sent from "
            "this phone number in a short period of time.",
        )
    return _Rejection(
        400,
        131056,
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        kind=kind.value,
        details="Message failed to send because there were too many messages sent from this "
        "phone number to the same phone number in a short period of time.",
    )


def _recipient_of(body: JsonObject) -> str | None:
    value = body.get("to") or body.get("recipient")
    return str(value) if value is not None else None


def _accept(state: GraphApiState, body: JsonObject) -> tuple[JsonObject, str | None]:
    """Validate ``body``; return the 200 answer and the wamid (``None`` for a read receipt)."""
    if body.get("messaging_product") != "whatsapp":
        raise _Rejection(
            400,
            100,
            "(#100) The parameter messaging_product is required.",
            details="messaging_product must be 'whatsapp'.",
        )
    if body.get("status") == "read":
        _check_read(body)
        return {"success": True}, None
    if "status" in body:
        raise _Rejection(400, 100, "(#100) Invalid parameter", details="status must be 'read'.")
    recipient = _recipient_of(body)
    if not recipient:
        raise _Rejection(400, 131008, "(#131008) Required parameter is missing", details="to")
    kind = body.get("type", "text")
    _check_message(kind, body)
    if recipient in state.undeliverable:
        raise _Rejection(
            400,
            131026,
            "(#131026) Message Undeliverable",
            kind="undeliverable",
            details="Message failed to send because the recipient is not a WhatsApp user, "
            "uses an old app or has not accepted the Terms of Service.",
        )
    if kind != "template" and recipient in state.outside_window:
        raise _Rejection(
            400,
            131047,
            "(#131047) Re-engagement message",
            kind="outside_window",
            details="Message failed to send because more than 24 hours have passed since the "
            "customer last replied to this number.",
        )
    wamid = state._next_wamid(recipient)
    answer: JsonObject = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": recipient, "wa_id": recipient}],
        "messages": [{"id": wamid, "message_status": "accepted"}],
    }
    return answer, wamid


def _check_read(body: JsonObject) -> None:
    message_id = body.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        raise _Rejection(
            400, 131008, "(#131008) Required parameter is missing", details="message_id"
        )
    typing = body.get("typing_indicator")
    if typing is not None and (not isinstance(typing, dict) or typing.get("type") != "text"):
        raise _Rejection(
            400, 131009, "(#131009) Parameter value is not valid", details="typing_indicator"
        )


def _invalid(details: str) -> _Rejection:
    return _Rejection(400, 131009, "(#131009) Parameter value is not valid", details=details)


def _missing(details: str) -> _Rejection:
    return _Rejection(400, 131008, "(#131008) Required parameter is missing", details=details)


def _check_message(kind: object, body: JsonObject) -> None:
    if not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        raise _Rejection(
            400,
            100,
            "(#100) Invalid parameter",
            details=f"Param type must be one of {{{', '.join(sorted(MESSAGE_TYPES))}}}.",
        )
    payload = body.get(kind)
    if not isinstance(payload, dict):
        raise _missing(kind)
    callback = body.get("biz_opaque_callback_data")
    if callback is not None and not (
        isinstance(callback, str) and len(callback) <= CALLBACK_DATA_MAX
    ):
        raise _Rejection(
            400, 100, "(#100) Invalid parameter", details="biz_opaque_callback_data too long."
        )
    if kind == "text":
        _check_text(payload)
    elif kind == "interactive":
        _check_interactive(payload)
    elif kind == "template":
        language = payload.get("language")
        if not payload.get("name") or not isinstance(language, dict) or not language.get("code"):
            raise _missing("template.name and template.language.code")
    elif kind in _MEDIA_TYPES and not (payload.get("id") or payload.get("link")):
        raise _missing(f"{kind}.id or {kind}.link")


def _check_text(payload: JsonObject) -> None:
    text = payload.get("body")
    if not isinstance(text, str) or not text:
        raise _missing("text.body")
    if len(text) > TEXT_BODY_MAX:
        raise _Rejection(
            400,
            100,
            "(#100) Invalid parameter",
            details=f"Param text['body'] must be at most {TEXT_BODY_MAX} characters long.",
        )


def _too_long(value: object, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def _check_interactive(payload: JsonObject) -> None:
    body = payload.get("body")
    if isinstance(body, dict) and _too_long(body.get("text"), INTERACTIVE_BODY_MAX):
        raise _invalid(f"interactive.body.text longer than {INTERACTIVE_BODY_MAX}")
    header = payload.get("header")
    if isinstance(header, dict) and _too_long(header.get("text"), INTERACTIVE_HEADER_MAX):
        raise _invalid(f"interactive.header.text longer than {INTERACTIVE_HEADER_MAX}")
    footer = payload.get("footer")
    if isinstance(footer, dict) and _too_long(footer.get("text"), INTERACTIVE_FOOTER_MAX):
        raise _invalid(f"interactive.footer.text longer than {INTERACTIVE_FOOTER_MAX}")
    action = payload.get("action")
    if not isinstance(action, dict):
        raise _missing("interactive.action")
    if payload.get("type") == "button":
        _check_buttons(action.get("buttons"))
    elif payload.get("type") == "list":
        if _too_long(action.get("button"), LIST_BUTTON_MAX):
            raise _invalid(f"interactive.action.button longer than {LIST_BUTTON_MAX}")
        _check_sections(action.get("sections"))


def _check_buttons(buttons: object) -> None:
    if not isinstance(buttons, list) or not buttons:
        raise _missing("interactive.action.buttons")
    if len(buttons) > REPLY_BUTTONS_MAX:
        raise _invalid(f"at most {REPLY_BUTTONS_MAX} buttons")
    titles: list[str] = []
    for button in buttons:
        reply = button.get("reply") if isinstance(button, dict) else None
        if not isinstance(reply, dict):
            raise _missing("interactive.action.buttons[].reply")
        title, button_id = reply.get("title"), reply.get("id")
        if not isinstance(title, str) or not title or len(title) > REPLY_BUTTON_TITLE_MAX:
            raise _invalid(f"button title must be 1..{REPLY_BUTTON_TITLE_MAX} characters")
        if not isinstance(button_id, str) or not button_id or len(button_id) > REPLY_BUTTON_ID_MAX:
            raise _invalid(f"button id must be 1..{REPLY_BUTTON_ID_MAX} characters")
        titles.append(title)
    if len(set(titles)) != len(titles):
        raise _invalid("button titles must be unique")


def _check_sections(sections: object) -> None:
    if not isinstance(sections, list) or not sections:
        raise _missing("interactive.action.sections")
    if len(sections) > LIST_SECTIONS_MAX:
        raise _invalid(f"at most {LIST_SECTIONS_MAX} sections")
    total_rows = 0
    for section in sections:
        rows = section.get("rows") if isinstance(section, dict) else None
        if not isinstance(rows, list) or not rows:
            raise _missing("interactive.action.sections[].rows")
        if _too_long(section.get("title"), LIST_SECTION_TITLE_MAX):
            raise _invalid(f"section title longer than {LIST_SECTION_TITLE_MAX}")
        total_rows += len(rows)
        for row in rows:
            if not isinstance(row, dict) or not row.get("id") or not row.get("title"):
                raise _missing("interactive.action.sections[].rows[].id/title")
            if _too_long(row.get("title"), LIST_ROW_TITLE_MAX):
                raise _invalid(f"row title longer than {LIST_ROW_TITLE_MAX}")
            if _too_long(row.get("description"), LIST_ROW_DESCRIPTION_MAX):
                raise _invalid(f"row description longer than {LIST_ROW_DESCRIPTION_MAX}")
            if _too_long(row.get("id"), LIST_ROW_ID_MAX):
                raise _invalid(f"row id longer than {LIST_ROW_ID_MAX}")
    if total_rows > LIST_ROWS_MAX:
        raise _invalid(f"at most {LIST_ROWS_MAX} rows in all sections")


# ---- the server ----------------------------------------------------------------------------


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class FakeGraphServer:
    """Serve the fake on ``host`` at a free port (or ``port``).

    Thread mode, for tests: ``with FakeGraphServer() as graph: ...`` (or ``start()`` /
    ``stop()``). Event-loop mode, for the benchmark: ``async with FakeGraphServer() as graph:``
    (or ``await astart()`` / ``await astop()``), serving from the running loop.
    """

    def __init__(
        self,
        state: GraphApiState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_version: str = DEFAULT_API_VERSION,
        startup_timeout: float = 10.0,
    ) -> None:
        self._state = state if state is not None else GraphApiState()
        self._host = host
        self._requested_port = port
        self._api_version = api_version
        self._startup_timeout = startup_timeout
        self._server: _QuietServer | None = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread_error: BaseException | None = None

    # ---- properties --------------------------------------------------------------------------

    @property
    def app_state(self) -> GraphApiState:
        """The recorder and runtime configuration of the fake."""
        return self._state

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the fake Graph API server is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v26.0``: what a client puts before ``/{phone_id}/messages``."""
        return f"{self.origin}/{self._api_version}"

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.started and not self._server.should_exit

    # ---- thread mode -------------------------------------------------------------------------

    def start(self) -> FakeGraphServer:
        """Serve from a background thread; returns once the server is listening."""
        server, sock = self._prepare()
        self._thread = threading.Thread(
            target=self._thread_main, args=(server, sock), name="fake-graph-api", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    "the fake Graph API server did not start"
                ) from self._thread_error
            time.sleep(0.005)
        return self

    def _thread_main(self, server: _QuietServer, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as error:  # reported by start()
            self._thread_error = error

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down and wait for its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._release()

    def __enter__(self) -> FakeGraphServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- event-loop mode ---------------------------------------------------------------------

    async def astart(self) -> FakeGraphServer:
        """Serve from the running event loop; returns once the server is listening."""
        server, sock = self._prepare()
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="fake-graph-api")
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if self._task.done() or time.monotonic() > deadline:
                await self.astop()
                raise RuntimeError("the fake Graph API server did not start")
            await asyncio.sleep(0.005)
        return self

    async def astop(self, grace: float = 10.0) -> None:
        """Shut the server down and wait for its task."""
        if self._server is not None:
            self._server.should_exit = True
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, grace)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._release()

    async def __aenter__(self) -> FakeGraphServer:
        return await self.astart()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.astop()

    # ---- internals ---------------------------------------------------------------------------

    def _prepare(self) -> tuple[_QuietServer, socket.socket]:
        if self._server is not None:
            raise RuntimeError("the fake Graph API server is already running")
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
        # listener's proto says TCP; with proto 0 every answer waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        sock.listen(2048)
        sock.setblocking(False)
        config = uvicorn.Config(
            build_app(self._state),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            backlog=2048,
        )
        self._server = _QuietServer(config)
        self._socket = sock
        return self._server, sock

    def _release(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
