"""The correlation id: one short id follows an inbound message from the webhook, through its step,
to every Graph API call its replies make, in every log line on the way.

It is a hash of the inbound message id (a wamid encodes the sender's phone number, so the id
itself is never logged), which is also what every outbox row keeps (the read receipt's
`message_id`, a reply's `callback_data` = `{message_id}#{n}`). So a sender in another process,
or after a restart, finds the same id without any column of its own.

What a message sets off keeps its id: a command's id is `{message id}:{suffix}`, the job that
runs it has that id, and the job's result comes back as an event `{command id}:{outcome}` whose
replies carry it in their callback data; everything after the wamid's first `:` is dropped
before hashing. Other internal events (timers, payments confirmed by a PSP, an operator's
action) hash their own event id.

Within a task (or a thread that sets it) the current id lives in a `ContextVar`; the log
formatter reads it. Threads from `loop.run_in_executor` do not inherit it: code there sets it
with `bound(...)`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar

CURRENT: ContextVar[str | None] = ContextVar("dresbach_correlation_id", default=None)


def correlation_id_for(message_id: str) -> str:
    """16 hex characters, the same in every process for the same message id, and for the ids
    of the commands, jobs and events a message set off (`wamid…:charge:created`)."""
    if message_id.startswith("wamid."):
        message_id = message_id.split(":", 1)[0]
    return hashlib.blake2b(message_id.encode(), digest_size=8).hexdigest()


def of_outbox_row(kind: str, message_id: str | None, callback_data: str | None) -> str | None:
    """The correlation id of an outbox row: from the read receipt's message id, or from the
    `{message_id}#{n}` callback data of a reply."""
    if kind == "read" and message_id:
        return correlation_id_for(message_id)
    if callback_data:
        return correlation_id_for(callback_data.rsplit("#", 1)[0])
    return None


def current() -> str | None:
    return CURRENT.get()


@contextlib.contextmanager
def bound(correlation_id: str | None) -> Iterator[None]:
    """Set the current correlation id for the duration of the block."""
    token = CURRENT.set(correlation_id)
    try:
        yield
    finally:
        CURRENT.reset(token)
