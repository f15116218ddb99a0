"""The port behind WhatsApp Flows' data-exchange endpoint: what the endpoint hands to the
business side once a request is verified and decrypted, and what it gets back.

The endpoint (`dresbach.web.flows_endpoint`) answers pings and error notifications itself; every
other request (`INIT`, `BACK`, `data_exchange`) becomes a `FlowRequest` for a `FlowsExchange`,
which answers with the next screen (`NextScreen`), closes the Flow (`CloseFlow`), or raises
`FlowTokenRejected` when the token is unknown, expired, already used or not for this Flow (the
endpoint answers 427 and WhatsApp disables the Flow's button).

What a user typed arrives in `FlowRequest.data`: it is never logged, and a `FlowsExchange`
stores nothing of it in clear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

ACTIONS: Final = frozenset({"INIT", "BACK", "data_exchange"})
"""The actions a `FlowsExchange` sees (`ping` is answered by the endpoint)."""

EXPIRED_FORM_TEXT: Final = "Este formulário expirou ou já foi usado. Volte à conversa e peça outro."
"""What WhatsApp shows when the token is no longer valid, unless the exchange says otherwise."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowRequest:
    """One data-exchange request, decrypted."""

    action: str
    """`INIT` (the Flow opened), `BACK` (back to a screen that refreshes), `data_exchange`."""
    screen: str
    """The screen the request comes from ("" for `INIT` and `BACK`)."""
    data: Mapping[str, Any] = field(repr=False)
    """What the screen submitted: user input, never logged."""
    flow_token: str = field(repr=False)
    """The token we sent with the Flow message."""
    version: str = ""
    """The data API version of the request (e.g. "3.0")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NextScreen:
    """Show `screen` with `data` (which may carry `error_message` to show on it)."""

    screen: str
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseFlow:
    """Close the Flow: WhatsApp sends the completion message (`nfm_reply`) to the chat, whose
    `response_json` holds the flow token and `params`. Never put a secret in `params`."""

    params: Mapping[str, Any] = field(default_factory=dict, repr=False)


FlowAnswer = NextScreen | CloseFlow


class FlowTokenRejected(Exception):
    """The flow token is unknown, expired, already used, or bound to another Flow or
    conversation. `reason` is for logs (no secret in it); `message` is what the user sees."""

    def __init__(self, reason: str = "unknown", message: str = EXPIRED_FORM_TEXT) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


class FlowsExchange(Protocol):
    """The business side of the endpoint (the Área do Cliente's login and ticket Flows)."""

    async def exchange(self, request: FlowRequest) -> FlowAnswer:
        """The answer to one request. Raises `FlowTokenRejected` for a token no longer valid;
        any other exception is answered 500 (WhatsApp shows a generic error)."""
        ...
