"""Graph API error codes mapped to whether a retry helps, by a table."""

from __future__ import annotations

from dresbach.kernel.errors import (
    DresbachError,
    OutsideWindowError,
    PermanentError,
    RefusedKindError,
    TransientError,
)

TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133016})
"""Unknown / service unavailable, app and WABA call rates, throughput, pair rate."""

OUTSIDE_WINDOW = 131047
BSUID_UNSUPPORTED = 131062
""""Business-scoped User ID (BSUID) recipients are not supported for this message" (Meta's
error-codes and "Business-scoped user IDs" pages): e.g. an authentication template, which
needs a phone number. Nothing else can carry it to a customer we know by BSUID only: the
message is dead-lettered with this reason (counted as `dresbach_sends_total{result="dead",
code="131062"}`)."""

REFUSED_KIND_CODES = frozenset({10, 131009, 131051})
"""What Meta answers a native Pix order or order status it will not send: 10 "Permission
Denied" (Meta's error-codes page: "Permission is either not granted or has been removed",
check "the eligibility requirements for the API": an account not enabled for the Payments
API; the fake answers this), 131009 "Parameter value is not valid" (e.g. payment settings the
account cannot use) and 131051 "Unsupported message type". Only a message that names what to
send instead (`PixOrder`, `OrderStatus`) acts on it; any other is dead-lettered as before."""


def classify(status: int, code: int | None, message: str, transient_flag: bool) -> DresbachError:
    """The exception for a Graph error response."""
    text = f"Graph API {status}: {message}"
    if code == OUTSIDE_WINDOW:
        return OutsideWindowError(text, code=code)
    if code == BSUID_UNSUPPORTED:
        return PermanentError(
            "this message cannot go to a business-scoped user id (the customer's phone number "
            f"is not known): {text}",
            code=code,
        )
    if code in REFUSED_KIND_CODES:
        return RefusedKindError(text, code=code)
    if code in TRANSIENT_CODES or transient_flag or status >= 500 or status == 429:
        return TransientError(text, code=code, retry_after=30.0 if code == 131056 else None)
    return PermanentError(text, code=code)
