"""The ad a conversation began from (#12 item 7), as the store keeps it: the first referral only,
listed in the customer's LGPD copy and cleared by erasure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.privacy.model import Retention
from dresbach.features.privacy.personal_data import document, erase
from dresbach.kernel.events import Referral, Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import conversations
from dresbach.platform.store.unit_of_work import take_in

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BIA = Sender(user_id="BR.777", wa_id="5511955550000", profile_name="Bia")
AD = Referral(source_id="120211223344550", source_type="ad", headline="Tech Ops", ctwa_clid="AR1")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def says(db: Database, n: int, referral: Referral | None) -> None:
    event = TextReceived(
        message_id=f"wamid.ad.{n}", sender=BIA, timestamp=NOW, body="oi", referral=referral
    )
    take_in(db.engine, event, {}, NOW, Policy())


def kept(db: Database) -> str | None:
    with db.engine.connect() as connection:
        found: str | None = connection.execute(select(conversations.c.referral)).scalar_one()
    return found


def test_the_first_ad_is_kept_listed_in_the_copy_and_erased(db: Database) -> None:
    says(db, 1, None)
    says(db, 2, AD)
    says(db, 3, Referral(source_id="999", source_type="post"))

    first = {"source_id": "120211223344550", "source_type": "ad", "headline": "Tech Ops"}
    assert orjson.loads(kept(db) or "null") == {**first, "ctwa_clid": "AR1"}
    with db.engine.begin() as connection:
        copy = document(connection, BIA.key, "BR.***", NOW, Policy(), Retention())
        assert copy["conversa"]["anuncio_de_origem"]["ctwa_clid"] == "AR1"
        erase(connection, BIA.key, NOW)
    assert kept(db) is None
