"""The understanding tier for the operator: `dresbach understanding eval|misses`.

- `eval` trains on the shipped example file, takes every utterance of the held-out file and
  prints the accuracy overall and per intent, the confusion table and what the conversation
  would have done; exit code 1 when a floor fails (90 % overall, 80 % for every intent).
- `misses` lists what customers typed that the bot answered with "não entendi" (the inbox rows
  the step marked `not_understood`), newest first, masked (documents, e-mails, phones, long
  digit runs, secrets), within the inbox retention: the lines the example file may grow from.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, select

from dresbach.config import load_settings
from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.understanding import evaluate, report, shipped, short_of_floors
from dresbach.platform.observe.redaction import REDACTED, redact
from dresbach.platform.store.database import Database, migrate, utc
from dresbach.platform.store.schema import inbox

DEFAULT_DAYS = 30


def run_eval(_args: argparse.Namespace) -> int:
    evaluation = evaluate(shipped.trained_model(), shipped.evaluation_set())
    print(report(evaluation))
    return 1 if short_of_floors(evaluation) else 0


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    """A text the bot answered with "não entendi", masked."""

    received_at: datetime
    place: str
    text: str


def _typed(payload: dict[str, Any]) -> str | None:
    """What the customer typed, as the inbox kept it; None when it kept no copy (a sensitive
    state, a privacy erasure)."""
    body = (payload.get("text") or {}).get("body") if isinstance(payload, dict) else None
    if not isinstance(body, str) or not body.strip() or body == REDACTED:
        return None
    return body


def not_understood(engine: Engine, since: datetime) -> list[NotUnderstood]:
    """The texts marked `not_understood` received at or after `since`, newest first, masked."""
    query = (
        select(inbox.c.received_at, inbox.c.place, inbox.c.payload)
        .where(inbox.c.not_understood == 1, inbox.c.received_at >= since)
        .order_by(inbox.c.received_at.desc(), inbox.c.id.desc())
    )
    found = []
    with engine.connect() as connection:
        for row in connection.execute(query):
            text = _typed(orjson.loads(row.payload))
            if text is not None:
                when = utc(row.received_at) or since
                found.append(NotUnderstood(when, row.place or "-", redact(" ".join(text.split()))))
    return found


def render_misses(found: Sequence[NotUnderstood], days: int, kept: int) -> str:
    """The listing for the operator (pt-BR), times in Brasília."""
    window = f"nos últimos {days} dias" if days != 1 else "no último dia"
    if not found:
        return f"Nenhuma mensagem ficou sem entendimento {window}."
    header = f"{len(found)} mensagens não entendidas {window}"
    if len(found) == 1:
        header = f"1 mensagem não entendida {window}"
    lines = [f"{header} (a caixa de entrada guarda {kept} dias):", ""]
    width = max(len(miss.place) for miss in found)
    for miss in found:
        when = miss.received_at.astimezone(SAO_PAULO).strftime("%d/%m/%Y %H:%M")
        lines.append(f"{when}  {miss.place:<{width}}  {miss.text}")
    return "\n".join(lines)


def run_misses(args: argparse.Namespace) -> int:
    settings = load_settings()
    kept = settings.retention.inbox.days
    days = min(args.days, kept)
    if args.days > kept:
        print(f"A caixa de entrada guarda só {kept} dias: mostrando os últimos {kept}.")
    db = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        if db.is_sqlite:
            migrate(settings.database_url)
        found = not_understood(db.engine, datetime.now(UTC) - timedelta(days=days))
    finally:
        db.close()
    print(render_misses(found, days, kept))
    return 0


def _days(value: str) -> int:
    days = int(value)
    if days < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return days


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    understanding = sub.add_parser("understanding", help="the free-text understanding tier")
    inner = understanding.add_subparsers(dest="understanding_command", required=True)
    p = inner.add_parser(
        "eval", help="accuracy on the held-out file; exit 1 below 90%% overall or 80%% an intent"
    )
    p.set_defaults(func=run_eval)
    p = inner.add_parser("misses", help="what customers typed that got 'não entendi' (masked)")
    p.add_argument(
        "--days",
        type=_days,
        default=DEFAULT_DAYS,
        help=f"how far back (default {DEFAULT_DAYS}; at most the inbox retention)",
    )
    p.set_defaults(func=run_misses)
