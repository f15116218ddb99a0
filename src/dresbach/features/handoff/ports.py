"""The hand-off's port: the help desk where operators work. Its adapter is in `adapters/`."""

from __future__ import annotations

from typing import Protocol

from dresbach.kernel.ports import Attachment


class HelpDesk(Protocol):
    """Where operators work a hand-off besides our console: `chatwoot` (an API-channel inbox).

    Agents' replies come back through the desk's webhook as `OperatorSaid`/`HumanLeft`."""

    async def open(self, handoff_id: str, contact_name: str, address: str, context: str) -> str:
        """Open (or find) the desk's conversation for this hand-off; return its id."""
        ...

    async def forward(
        self, desk_conversation_id: str, text: str, attachment: Attachment | None = None
    ) -> None:
        """Mirror one customer message into the desk's conversation, with the file the
        customer sent as an attachment."""
        ...

    async def close(self, desk_conversation_id: str) -> None:
        """Resolve the desk's conversation (the customer left, or the bot took over)."""
        ...
