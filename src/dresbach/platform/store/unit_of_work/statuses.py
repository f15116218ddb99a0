"""Delivery statuses reported by WhatsApp, kept on the outbox rows they are about."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, update

from dresbach.kernel.events import StatusReported
from dresbach.platform.store.schema import outbox


def record_statuses(engine: Engine, statuses: list[StatusReported]) -> int:
    """Store delivery statuses; a status never goes backwards and `failed` is final."""
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
    return changed
