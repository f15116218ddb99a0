"""Ports: the small interfaces the runtime needs from the outside world. One adapter each in
`dresbach.integrations`, an embedded one and a real one."""

from __future__ import annotations

from typing import Protocol

from dresbach.domain.messages import Message


class MessageSender(Protocol):
    """Sends to WhatsApp. Raises TransientError, PermanentError or OutsideWindowError."""

    async def send(self, recipient: str, message: Message, *, callback_data: str | None) -> str:
        """Send one message; return the WhatsApp message id (wamid)."""
        ...

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        """Mark an inbound message read, optionally showing the typing indicator."""
        ...

    async def aclose(self) -> None: ...
