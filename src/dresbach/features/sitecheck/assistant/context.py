"""What the site-down assistant adds to an operator's hand-off context: the last site check run
in this conversation (the domain, when, what the customer read, the ticket opened), so the
operator starts from the checks instead of running them again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from dresbach.features.sitecheck.flow.steps import LAST
from dresbach.kernel.hours import when_label
from dresbach.platform.feature import ContextSection, Refs
from dresbach.platform.store.schema import conversations


def gather_checks(connection: Connection, key: str, _refs: Refs) -> dict[str, Any] | None:
    raw = connection.execute(
        select(conversations.c.slots).where(conversations.c.key == key)
    ).scalar()
    slots: dict[str, Any] = orjson.loads(raw) if raw else {}
    last = slots.get(LAST)
    return dict(last) if isinstance(last, dict) and last.get("domain") else None


def check_lines(checks: Mapping[str, Any]) -> list[str]:
    try:
        when = when_label(datetime.fromisoformat(str(checks.get("at"))))
    except ValueError:
        when = "-"
    lines = [f"Verificação do site {checks.get('domain')}: {when}"]
    said = checks.get("said")
    for body in said if isinstance(said, list) else []:
        first = str(body).strip().splitlines()[0] if str(body).strip() else ""
        if first:
            lines.append(f"Resultado: {first}")
    if checks.get("ticket"):
        lines.append(f"Chamado aberto com as verificações: nº {checks['ticket']}")
    return lines


SITE_CHECKS = ContextSection(name="site_checks", gather=gather_checks, lines=check_lines)
