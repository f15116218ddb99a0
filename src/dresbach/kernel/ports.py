"""Ports that know no feature: sending to WhatsApp and sending an e-mail. Each feature keeps its own
ports (`features/<name>/ports.py`), next to their adapters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from dresbach.kernel.messages import Message


class MessageSender(Protocol):
    """Sends to WhatsApp. Raises TransientError, PermanentError or OutsideWindowError."""

    async def send(self, recipient: str, message: Message, *, callback_data: str | None) -> str:
        """Send one message; return the WhatsApp message id (wamid)."""
        ...

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        """Mark an inbound message read, optionally showing the typing indicator."""
        ...

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """Upload media; return its id."""
        ...

    async def aclose(self) -> None: ...


class MediaUploader(Protocol):
    """Uploads media to WhatsApp so a message can refer to it by id."""

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """Return the media id."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file sent with an e-mail. A `text/calendar` one with a `method` (REQUEST, CANCEL) is
    an iTIP message: mail apps show it as an invitation to accept, or a cancellation."""

    filename: str
    mime_type: str
    data: bytes
    method: str | None = None


class Mailer(Protocol):
    """Sends an e-mail (a 2FA code, a lockout notice, a receipt, a meeting invitation).
    Raises TransientError or PermanentError."""

    async def send(
        self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None: ...
