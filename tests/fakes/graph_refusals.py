"""How the fake Graph API says no: Meta's error answers.

Every refusal is HTTP 4xx/5xx with ``{"error": {"message", "type": "OAuthException", "code",
"error_data": {"messaging_product", "details"}?, "error_subcode"?, "is_transient"?,
"fbtrace_id"}}`` (Meta's "WhatsApp error codes" page, updated 2026-06-18). The ``message`` is
``"(#CODE) TITLE"``; Meta asks clients to act on ``code`` and ``details``, never on titles.
"""

from __future__ import annotations

import secrets
from typing import Any, Final

JsonObject = dict[str, Any]

TITLES: Final[dict[int, str]] = {
    10: "Permission Denied",
    100: "Invalid parameter",
    131008: "Required parameter is missing",
    131009: "Parameter value is not valid",
    131026: "Message Undeliverable",
    131047: "Re-engagement message",
    131053: "Media upload error",
    131062: "Business-scoped User ID (BSUID) recipients are not supported for this message",
    132018: "There was an issue with the parameters in your template",
}
"""Titles of the codes the fake gives for a body Meta refuses (Meta's error-codes page)."""


class Refusal(Exception):
    """A Graph error answer, raised while checking a request.

    ``kind`` names the rule that fired, for the fake's record: ``auth``, ``invalid`` (the body
    breaks Meta's rules), ``bsuid_unsupported`` (131062), ``outside_window``,
    ``undeliverable`` or an injected :class:`~tests.fakes.graph_state.FailureKind` value.
    """

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
        error["fbtrace_id"] = secrets.token_urlsafe(8)
        return {"error": error}


def refused(code: int, details: str, *, kind: str = "invalid", status: int = 400) -> Refusal:
    """A refusal with Meta's title for ``code``: ``(#131009) Parameter value is not valid``."""
    return Refusal(status, code, f"(#{code}) {TITLES[code]}", kind=kind, details=details)


def invalid(details: str) -> Refusal:
    return refused(131009, details)


def missing(details: str) -> Refusal:
    return refused(131008, details)


def unauthorized() -> Refusal:
    return Refusal(401, 190, "Invalid OAuth access token - Cannot parse access token", kind="auth")


def server_error(kind: str) -> Refusal:
    return Refusal(
        500,
        131000,
        "(#131000) Something went wrong",
        kind=kind,
        details="Message failed to send because of an unknown error.",
        is_transient=True,
    )


def throughput(kind: str) -> Refusal:
    return Refusal(
        429,
        130429,
        "(#130429) Rate limit hit",
        kind=kind,
        details="Message failed to send because there were too many messages sent from "
        "this phone number in a short period of time.",
    )


def pair_rate(kind: str) -> Refusal:
    return Refusal(
        400,
        131056,
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        kind=kind,
        details="Message failed to send because there were too many messages sent from this "
        "phone number to the same phone number in a short period of time.",
    )


def unknown_object(object_id: str) -> Refusal:
    """Code 100, subcode 33: an id the token cannot see (a number, a WABA, a Flow)."""
    return Refusal(
        400,
        100,
        f"Unsupported post request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        error_subcode=33,
    )
