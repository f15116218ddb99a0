"""What a customer owns, read from the records (`runtime.holdings.owned_by`), on SQLite and
PostgreSQL: each paid diagnosis whose meeting has not ended, with its booked meeting, if any."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from dresbach.features.scheduling.model import Slot
from dresbach.features.techops.holdings import owned_by
from dresbach.features.techops.model import PaidDiagnosis
from dresbach.platform.store.database import Database, migrate
from tests.support.paid_records import KEY, NOW, THURSDAY_14H, lead, meeting, payment


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def owned(db: Database, now: datetime = NOW) -> tuple[PaidDiagnosis, ...]:
    with db.engine.connect() as connection:
        return owned_by(connection, KEY, now)


def test_a_paid_diagnosis_is_owned_with_its_meeting_until_the_meeting_ends(db: Database) -> None:
    assert owned(db) == ()
    lead(db, "lead-1")
    payment(db, "DRB" + "1" * 29, "lead-1", status="active")
    assert owned(db) == ()  # a Pix not paid is not owned

    payment(db, "DRB" + "2" * 29, "lead-1")
    [paid] = owned(db)
    assert paid == PaidDiagnosis(
        lead_id="lead-1",
        area="security",
        amount="1800.00",
        txid="DRB" + "2" * 29,
        name="Ana Souza",
        email="ana@lojaexemplo.com.br",
    )
    assert not paid.booked

    meeting(db, "bk-old", "lead-1", THURSDAY_14H - timedelta(hours=3), status="cancelled")
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)
    [booked] = owned(db)
    assert (booked.booking_id, booked.slot_id) == (
        "bk-1",
        Slot(start=THURSDAY_14H, end=THURSDAY_14H + timedelta(hours=1)).id,
    )
    assert owned(db, THURSDAY_14H + timedelta(minutes=30))[0].booked  # under way: still owned
    assert owned(db, THURSDAY_14H + timedelta(hours=1)) == ()  # held: nothing left to schedule


def test_several_paid_diagnoses_the_booked_meeting_first_and_other_customers_apart(
    db: Database,
) -> None:
    lead(db, "lead-1")
    payment(db, "DRB" + "1" * 29, "lead-1", ago=5)
    lead(db, "lead-2")
    payment(db, "DRB" + "2" * 29, "lead-2", ago=3)
    lead(db, "lead-3")
    payment(db, "DRB" + "3" * 29, "lead-3", ago=2)
    meeting(db, "bk-1", "lead-1", THURSDAY_14H)
    lead(db, "lead-9", key="5511900000000")
    payment(db, "DRB" + "9" * 29, "lead-9", key="5511900000000")
    assert [d.lead_id for d in owned(db)] == ["lead-1", "lead-3", "lead-2"]
