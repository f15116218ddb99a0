"""What the fake Graph API knows and remembers: its settings and every request it received.

:class:`GraphApiState` is shared between the app (which records into it) and the tests (which
configure it and read it), from any thread.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import itertools
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from tests.fakes.graph_flows import FakeFlows
from tests.fakes.graph_refusals import Refusal
from tests.fakes.graph_templates import FakeTemplates

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_API_VERSION",
    "FailureKind",
    "GraphApiState",
    "JsonObject",
    "RecordedFailure",
    "RecordedRequest",
    "UploadedMedia",
]

JsonObject = dict[str, Any]

DEFAULT_ACCESS_TOKEN: Final = "test-access-token"
DEFAULT_API_VERSION: Final = "v26.0"


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
        """Who the message went to: ``to`` (a phone number) or else ``recipient`` (a BSUID),
        as Meta reads them (``to`` wins when both are present)."""
        return recipient_of(self.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedFailure:
    """One refused request. ``kind`` is a :class:`FailureKind` value or the rule that fired:
    ``auth``, ``invalid`` (the body breaks Meta's rules), ``bsuid_unsupported`` (131062),
    ``outside_window``, ``undeliverable``. ``details`` is the answer's ``error_data.details``
    (what was wrong, in Meta's words)."""

    index: int
    at: float
    phone_number_id: str
    body: JsonObject | None
    status: int
    code: int
    kind: str
    details: str | None = None


@dataclass(frozen=True, slots=True)
class UploadedMedia:
    """Media the fake holds: uploaded by the business, or put there as a customer's (inbound)."""

    media_id: str
    mime_type: str
    filename: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def recipient_of(body: JsonObject) -> str | None:
    """``to`` when present (Meta: ``to`` wins over ``recipient``), else ``recipient``."""
    value = body.get("to") or body.get("recipient")
    return str(value) if value is not None else None


class GraphApiState:
    """The fake's configuration and its thread-safe record of what reached it.

    Configuration attributes may be changed at runtime, from any thread:
    ``access_token``, ``phone_number_id`` (``None`` accepts any), ``failure_rate`` (0..1),
    ``failure_kinds``, ``timeout_delay`` (seconds), ``outside_window`` and ``undeliverable``
    (sets of recipients, matched against ``to`` or ``recipient``), and
    ``authentication_templates``: names of the AUTHENTICATION templates of the account, which
    Meta refuses to send to a BSUID (131062). ``check_bodies`` (default on) checks every body
    against the schema of Meta's rules; only a benchmark, where the check's ~0.5 ms of CPU per
    call would be measured as ours, turns it off.
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
        authentication_templates: Iterable[str] = (),
        check_bodies: bool = True,
        seed: int = 0,
        business_account_id: str | None = None,
        payments_enabled: bool = True,
    ) -> None:
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.failure_rate = failure_rate
        self.failure_kinds: tuple[FailureKind, ...] = tuple(failure_kinds)
        self.timeout_delay = timeout_delay
        self.outside_window: set[str] = set(outside_window)
        self.undeliverable: set[str] = set(undeliverable)
        self.authentication_templates: set[str] = set(authentication_templates)
        self.check_bodies = check_bodies
        self.payments_enabled = payments_enabled
        """Whether the account is enabled for Meta's Payments API (Brazil): when not, an
        ``order_details`` or ``order_status`` message is refused with code 10."""
        self.verified_name = "Dresbach Hosting do Brasil"
        self.display_phone_number = "+55 11 4000-0000"
        self.business_public_key: str | None = None
        """The Flows public key registered for the number (``whatsapp_business_encryption``)."""
        self.business_public_key_status = "VALID"
        """What ``GET whatsapp_business_encryption`` says of its signature (``MISMATCH`` too)."""
        self.business_account_id: str | None = business_account_id
        """The WABA whose Flows the fake holds (None: any id is one)."""
        self.media_url_ttl = 300.0
        """Seconds a media download URL lives (Meta: five minutes); then it answers 404. A
        test sets it to 0 to make every URL expired, as a slow fetch would find it."""
        self.flows = FakeFlows()
        self.templates = FakeTemplates()
        """The WABA's message templates (:mod:`tests.fakes.graph_templates`)."""
        """The WhatsApp Flows created through the fake (:mod:`tests.fakes.graph_flows`)."""
        self.conversational_automation: dict[str, Any] | None = None
        """The number's ice breakers and commands, as last accepted (:mod:`graph_starters`)."""
        self._random = random.Random(seed)
        self._condition = threading.Condition(threading.RLock())
        self._requests: list[RecordedRequest] = []
        self._failures: list[RecordedFailure] = []
        self._counter = itertools.count()
        self._listeners: list[Callable[[RecordedRequest], None]] = []
        self._wamid_prefix = secrets.token_hex(3).upper()
        self._uploads: list[UploadedMedia] = []
        self._media: dict[str, UploadedMedia] = {}
        self._media_ids = itertools.count(10**15 + 1)

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
        refusal: Refusal,
    ) -> None:
        with self._condition:
            self._failures.append(
                RecordedFailure(
                    index=len(self._failures),
                    at=at,
                    phone_number_id=phone_number_id,
                    body=body,
                    status=refusal.status,
                    code=refusal.code,
                    kind=refusal.kind,
                    details=refusal.details,
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
                if r.wamid is not None and recipient_of(r.body) == recipient
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
            media = self._keep(mime_type, filename, data)
            self._uploads.append(media)
            self._condition.notify_all()
            return media.media_id

    def _keep(self, mime_type: str, filename: str, data: bytes) -> UploadedMedia:
        media_id = str(next(self._media_ids))
        media = UploadedMedia(media_id=media_id, mime_type=mime_type, filename=filename, data=data)
        self._media[media_id] = media
        return media

    def add_media(self, data: bytes, mime_type: str, filename: str = "") -> str:
        """Hold media a customer sent (what an inbound webhook's media id points at); returns
        its id, which ``GET /{media-id}`` then answers for."""
        with self._condition:
            return self._keep(mime_type, filename, data).media_id

    def media(self, media_id: str) -> UploadedMedia | None:
        """The media held under ``media_id`` (uploaded or added), if any."""
        with self._condition:
            return self._media.get(media_id)

    def clear(self) -> None:
        """Forget every recorded request, failure and held media (configuration is kept)."""
        with self._condition:
            self._requests.clear()
            self._failures.clear()
            self._uploads.clear()
            self._media.clear()
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
