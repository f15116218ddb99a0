"""Errors at the boundaries, each saying whether a retry helps.

DresbachError
├── TransientError   a retry later may succeed (timeouts, 5xx, rate limits)
│   └── NotReadyError   what a job needs is still on its way (another job's work): wait
└── PermanentError   retrying the same request cannot succeed (bad request, no such user)
    ├── OutsideWindowError   the 24 h window is closed
    └── RefusedKindError     the platform will not send this kind of message for this account

Domain outcomes (a payment refused, a slot taken) are events, never exceptions.
"""

from __future__ import annotations


class DresbachError(Exception):
    """Base of our exceptions."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransientError(DresbachError):
    """A retry after a while may succeed."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        retry_after: float | None = None,
        in_doubt: bool = False,
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.in_doubt = in_doubt
        """The request left and no answer came back (a read timeout, a connection closed
        mid-answer): the other side may have acted on it. A send in doubt waits for a status
        naming it before it goes again."""


class NotReadyError(TransientError):
    """What a job needs is still on its way (another job is at work on it, e.g. a customer's
    file still being fetched): the job waits `retry_after` seconds (the runner's base backoff
    when None) and is tried again, without counting an attempt, so waiting never makes it give
    up."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after=retry_after)


class PermanentError(DresbachError):
    """The same request will never succeed; dead-letter it with the reason."""


class OutsideWindowError(PermanentError):
    """WhatsApp 131047: the 24 h customer-service window is closed; only templates may go."""


class RefusedKindError(PermanentError):
    """The platform refuses this kind of message for this account (e.g. a native Pix order
    from an account not enabled for Meta's Payments API); a message that names what to send
    instead sends that."""
