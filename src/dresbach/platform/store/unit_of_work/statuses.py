"""Delivery statuses reported by WhatsApp, kept on the outbox rows they are about.

A status names our message twice: by its wamid, and by the `biz_opaque_callback_data` we sent
with it (the row's `callback_data`, echoed by Meta). The wamid finds the rows we recorded as
sent. The callback finds a row still pending: accepted by Meta, but not recorded yet, perhaps
never (its worker died, or got no answer). A row in doubt waits for this status
(`outbox._wait_for_status`); when it comes, the send is recorded with its wamid and the row is
not sent again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, update

from dresbach.kernel.events import StatusReported
from dresbach.platform.store.schema import outbox

INSTEAD_PREFIX = '{"t":"instead"'
"""How the payload of a row that sends several messages under one callback begins
(`OutboxSender._instead_row`): one status cannot say all of them went."""


def record_statuses(engine: Engine, statuses: list[StatusReported]) -> int:
    """Store delivery statuses; a status never goes backwards and `failed` is final. A status
    for a row still pending records its send: Meta had it."""
    changed = 0
    if not statuses:
        return 0
    with engine.begin() as connection:
        for status in statuses:
            values: dict[str, Any] = {
                "delivery_status": status.status,
                "delivery_rank": status.rank,
            }
            if status.error_code is not None:
                values["last_error"] = f"{status.error_code} {status.error_title or ''}".strip()
            result = connection.execute(
                update(outbox)
                .where(
                    outbox.c.wamid == status.wamid,
                    outbox.c.delivery_rank < status.rank,
                    outbox.c.delivery_rank < 9,
                )
                .values(values)
            )
            changed += result.rowcount
            if result.rowcount == 0 and status.callback_data:
                changed += _accepted(connection, status, values)
    return changed


def _accepted(connection: Connection, status: StatusReported, values: dict[str, Any]) -> int:
    """The row the status's callback names, still pending: Meta had accepted its send, so it
    is recorded as sent with the status's wamid, whoever holds it. Its send was in doubt (its
    worker died, or got no answer), or its worker is about to record it itself: the same."""
    return connection.execute(
        update(outbox)
        .where(
            outbox.c.callback_data == status.callback_data,
            outbox.c.kind == "message",
            outbox.c.status == "pending",
            ~outbox.c.payload.startswith(INSTEAD_PREFIX, autoescape=True),
        )
        .values(
            {
                **values,
                "wamid": status.wamid,
                "status": "sent",
                "sent_at": status.timestamp,
                "lease_until": None,
                "last_error": values.get("last_error"),
            }
        )
    ).rowcount
