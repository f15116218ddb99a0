"""The records as the plain rows `features.reports` computes from, for one period.

- **Hand-offs** opened in the period (`HandOffRow`): the group is the column named by the
  caller (`team` once hand-offs have teams; a missing column groups everything as "Sem
  equipe"), the operator by display name, the label in words, the first reply
  (`first_reply_at`), the close (a hand-back is no close) and the customer's rating.
- **Conversations** started in the period (`ConversationRow`): contained when no hand-off was
  ever opened in them.
- **The Tech Ops funnel** (`FunnelEvent`): a lead is *offered* when its first Pix charge is
  created (or its status says so), *paid* when a charge is paid, *booked* when a meeting is
  booked, *held* when a booked meeting has ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from dresbach.features.handoff.labels import LABELS
from dresbach.features.reports.rows import (
    ConversationRow,
    FunnelEvent,
    HandOffRow,
    Period,
    Stage,
)
from dresbach.features.reports.texts import NO_TEAM
from dresbach.platform.store.schema import (
    bookings,
    conversations,
    handoffs,
    leads,
    operators,
    payments,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rows:
    handoffs: tuple[HandOffRow, ...]
    conversations: tuple[ConversationRow, ...]
    funnel: tuple[FunnelEvent, ...]


def _utc(at: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _at(at: datetime | None) -> datetime:
    """A NOT NULL time column, aware."""
    found = _utc(at)
    if found is None:
        raise ValueError("a required time is missing")
    return found


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first and after-last instants, in UTC."""
    start = datetime.combine(period.first, time(), tzinfo=period.tz)
    end = datetime.combine(period.last + timedelta(days=1), time(), tzinfo=period.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def _after(opened: datetime, at: datetime | None) -> datetime | None:
    """A time that cannot come before the opening (a clock skew between processes)."""
    return None if at is None else max(at, opened)


def _handoff(row: Any, names: dict[str, str], group_column: str) -> HandOffRow:
    opened = _at(row["requested_at"])
    group = row.get(group_column) if group_column else None
    taken_by = row["taken_by"]
    return HandOffRow(
        opened_at=opened,
        team=str(group) if group else NO_TEAM,
        operator=names.get(taken_by, taken_by) if taken_by else None,
        label=LABELS.get(row["label"], row["label"]) if row["label"] else None,
        first_response_at=_after(opened, _utc(row["first_reply_at"])),
        closed_at=_after(opened, _utc(row["ended_at"])) if row["status"] == "closed" else None,
        rating=row["rating"],
    )


def load(engine: Engine, period: Period, now: datetime, group_column: str = "team") -> Rows:
    """The rows of the period. `group_column` is a column of `handoffs` to group the volume
    and satisfaction by; one the table lacks groups all under "Sem equipe"."""
    start, end = bounds(period)
    column = group_column if group_column in handoffs.c else ""
    with engine.connect() as connection:
        names = {
            str(r.username): str(r.display_name)
            for r in connection.execute(select(operators.c.username, operators.c.display_name))
        }
        handoff_rows = tuple(
            _handoff(dict(row), names, column)
            for row in connection.execute(
                select(handoffs).where(
                    handoffs.c.requested_at >= start, handoffs.c.requested_at < end
                )
            ).mappings()
        )
        attended = select(handoffs.c.id).where(handoffs.c.conversation_key == conversations.c.key)
        conversation_rows = tuple(
            ConversationRow(started_at=_utc(r.created_at) or start, person_involved=bool(r.human))
            for r in connection.execute(
                select(conversations.c.created_at, attended.exists().label("human")).where(
                    conversations.c.created_at >= start, conversations.c.created_at < end
                )
            )
        )
        events = _funnel(connection, now)
    return Rows(handoffs=handoff_rows, conversations=conversation_rows, funnel=events)


def _funnel(connection: Any, now: datetime) -> tuple[FunnelEvent, ...]:
    events: list[FunnelEvent] = []
    for r in connection.execute(
        select(payments.c.lead_id, payments.c.created_at, payments.c.paid_at)
    ):
        offered = FunnelEvent(lead_id=r.lead_id, stage=Stage.OFFERED, at=_at(r.created_at))
        events.append(offered)
        paid = _utc(r.paid_at)
        if paid is not None:
            events.append(FunnelEvent(lead_id=r.lead_id, stage=Stage.PAID, at=paid))
    for r in connection.execute(
        select(leads.c.lead_id, leads.c.updated_at).where(leads.c.status == "offered")
    ):
        events.append(FunnelEvent(lead_id=r.lead_id, stage=Stage.OFFERED, at=_at(r.updated_at)))
    for r in connection.execute(
        select(bookings.c.lead_id, bookings.c.created_at, bookings.c.end_at, bookings.c.status)
    ):
        booked, ended = _at(r.created_at), _at(r.end_at)
        events.append(FunnelEvent(lead_id=r.lead_id, stage=Stage.BOOKED, at=booked))
        if r.status == "booked" and ended <= now:
            events.append(FunnelEvent(lead_id=r.lead_id, stage=Stage.HELD, at=ended))
    return tuple(events)
