"""The records read as the reports' rows, on SQLite and PostgreSQL: hand-offs grouped by the
column the caller names (a column the table lacks groups all under "Sem equipe"), times and
ratings as kept, and the Tech Ops funnel from charges, payments and meetings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from types import SimpleNamespace

import orjson
import pytest
from sqlalchemy import Engine, create_engine, insert

from dresbach.features.insights.records import load
from dresbach.features.reports.stats import Period, Stage, funnel
from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.store.database import migrate, normalize_url
from dresbach.platform.store.schema import handoffs
from tests.support.paid_records import NOW, THURSDAY_14H, lead, meeting, payment

PERIOD = Period(date(2026, 11, 20), date(2026, 11, 26), SAO_PAULO)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        migrate(database_url)
    engine = create_engine(normalize_url(database_url))
    yield engine
    engine.dispose()


def _handoff(engine: Engine, n: int, reason: str, **values: object) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(handoffs).values(
                request_id=f"r{n}",
                conversation_key=f"55119000000{n}",
                status="closed",
                reason=reason,
                flow="menu",
                context=orjson.dumps({}).decode(),
                requested_at=NOW - timedelta(hours=n),
                **values,
            )
        )


def test_handoffs_are_grouped_by_the_column_named(engine: Engine) -> None:
    _handoff(engine, 1, "customer", label="billing", rating=5, ended_at=NOW)
    _handoff(engine, 2, "consultant", first_reply_at=NOW - timedelta(hours=1, minutes=50))
    _handoff(engine, 300, "customer")  # before the period: not read

    by_reason = load(engine, PERIOD, NOW, group_column="reason")
    assert sorted(row.team for row in by_reason.handoffs) == ["consultant", "customer"]
    [billing] = [row for row in by_reason.handoffs if row.label]
    assert (billing.label, billing.rating, billing.resolution) == (
        "Financeiro e cobrança",
        5,
        3600.0,
    )
    [answered] = [row for row in by_reason.handoffs if row.first_response is not None]
    assert answered.first_response == 600.0

    by_team = load(engine, PERIOD, NOW)  # no `team` column (yet): one group
    assert {row.team for row in by_team.handoffs} == {"Sem equipe"}


def test_the_funnel_counts_offers_payments_and_meetings(engine: Engine) -> None:
    db = SimpleNamespace(engine=engine)
    for lead_id, paid in (("L1", True), ("L2", False)):
        lead(db, lead_id, status="paid" if paid else "offered")  # type: ignore[arg-type]
        payment(db, f"TX{lead_id}", lead_id, status="paid" if paid else "expired")  # type: ignore[arg-type]
    meeting(db, "B1", "L1", THURSDAY_14H - timedelta(days=2))  # type: ignore[arg-type]
    rows = load(engine, PERIOD, NOW)
    steps = {step.stage: step.leads for step in funnel(rows.funnel, PERIOD)}
    assert steps == {Stage.OFFERED: 2, Stage.PAID: 1, Stage.BOOKED: 1, Stage.HELD: 1}
