"""Each message template's latest status at Meta, from the `message_template_status_update`
webhook: one row per name and language, never moved back by a late, older report. A template
Meta paused, rejected or disabled shows in `dresbach_template_status` and in the log."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from sqlalchemy import Connection, Engine, select, update

from dresbach.platform.store.schema import template_statuses
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.whatsapp.parse import TemplateStatusChanged

log = logging.getLogger(__name__)

UNUSABLE: Final = frozenset({"PAUSED", "REJECTED", "DISABLED"})
"""A template in one of these cannot be sent: every message that needs it is dead-lettered."""


def record_template_statuses(engine: Engine, changes: Sequence[TemplateStatusChanged]) -> int:
    """Keep each template's newest status; how many rows changed."""
    changed = 0
    with engine.begin() as connection:
        for change in changes:
            changed += _record(connection, change)
    for change in changes:
        if change.status in UNUSABLE:
            log.warning(
                "message template unusable",
                extra={"template": change.name, "status": change.status, "reason": change.reason},
            )
    return changed


def _record(connection: Connection, change: TemplateStatusChanged) -> int:
    values = {
        "name": change.name,
        "language": change.language,
        "status": change.status,
        "reason": change.reason,
        "template_id": change.template_id,
        "updated_at": change.at,
    }
    if insert_ignore(connection, template_statuses, values, ("name", "language")):
        return 1
    table = template_statuses.c
    result = connection.execute(
        update(template_statuses)
        .where(
            table.name == change.name,
            table.language == change.language,
            table.updated_at <= change.at,
        )
        .values(
            status=change.status,
            reason=change.reason,
            template_id=change.template_id,
            updated_at=change.at,
        )
    )
    return result.rowcount


def current(connection: Connection) -> list[tuple[str, str, str]]:
    """(name, language, status) of every template Meta reported on."""
    rows = connection.execute(
        select(template_statuses.c.name, template_statuses.c.language, template_statuses.c.status)
    ).all()
    return [(name, language, status) for name, language, status in rows]
