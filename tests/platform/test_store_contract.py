"""The store contract: the unit of work, the outbox and statuses, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from sqlalchemy import create_engine, func, select

from dresbach.kernel.events import IdentityChanged, Sender, StatusReported, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.outbound.outbox import Result, claim, settle
from dresbach.platform.store.database import Database, normalize_url
from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.store.unit_of_work import record_statuses, take_in

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MARIA = Sender(user_id="BR.100", wa_id="5511911110000", profile_name="Maria")


def text(n: int, body: str = "oi", sender: Sender = MARIA) -> TextReceived:
    return TextReceived(
        message_id=f"wamid.{sender.key}.{n}", sender=sender, timestamp=NOW, body=body
    )


@pytest.fixture
def db(database_url: str) -> Database:
    from dresbach.platform.store.database import migrate

    migrate(database_url)
    database = Database(database_url)
    yield database  # type: ignore[misc]
    database.close()


def rows(db: Database, table, *where):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        return connection.execute(select(table).where(*where)).mappings().all()


def test_a_message_is_processed_once_however_often_it_arrives(db: Database) -> None:
    first = take_in(db.engine, text(1), {"id": "x"}, NOW, Policy())
    again = take_in(db.engine, text(1), {"id": "x"}, NOW + timedelta(days=3), Policy())
    assert not first.duplicate
    assert first.replies == 2
    assert again.duplicate
    assert len(rows(db, inbox)) == 1
    queued = rows(db, outbox)
    assert [r["kind"] for r in queued] == ["read", "message", "message"]
    assert [r["seq"] for r in queued] == [1, 2, 3]
    assert [r["callback_data"] for r in queued] == [None, "wamid.BR.100.1#0", "wamid.BR.100.1#1"]


def test_state_is_saved_with_the_outbox_in_one_transaction(db: Database) -> None:
    take_in(db.engine, text(1), {}, NOW, Policy())
    take_in(db.engine, text(2, "2"), {}, NOW, Policy())
    (conversation,) = rows(db, conversations)
    assert (conversation["flow"], conversation["state"]) == ("client_area", "start")
    assert conversation["version"] == 2
    assert conversation["outbox_seq"] == len(rows(db, outbox))


def test_concurrent_deliveries_of_one_user_lose_no_update(db: Database) -> None:
    errors: list[BaseException] = []

    def deliver(n: int) -> None:
        try:
            take_in(db.engine, text(n, "blá"), {}, NOW, Policy())
            take_in(db.engine, text(n, "blá"), {}, NOW, Policy())  # and a redelivery
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (conversation,) = rows(db, conversations)
    assert conversation["version"] == 40
    seqs = sorted(r["seq"] for r in rows(db, outbox))
    assert seqs == list(range(1, len(seqs) + 1))


def test_only_the_head_of_each_conversation_can_be_claimed(db: Database) -> None:
    ana = Sender(user_id=None, wa_id="5521922220000", profile_name="Ana")
    take_in(db.engine, text(1), {}, NOW, Policy())
    take_in(db.engine, text(1, sender=ana), {}, NOW, Policy())
    claimed = claim(db.engine, NOW, 10)
    assert sorted((c.conversation_key, c.seq) for c in claimed) == [
        ("5521922220000", 1),
        ("BR.100", 1),
    ]
    assert claim(db.engine, NOW, 10) == []  # leased, and the next ones wait behind them
    settle(db.engine, [Result(id=c.id, sent=True, wamid=f"w{c.id}") for c in claimed], NOW)
    nxt = claim(db.engine, NOW, 10)
    assert sorted((c.conversation_key, c.seq) for c in nxt) == [("5521922220000", 2), ("BR.100", 2)]


def test_a_retry_later_holds_back_the_conversation_but_not_others(db: Database) -> None:
    ana = Sender(user_id=None, wa_id="5521922220000", profile_name="Ana")
    take_in(db.engine, text(1), {}, NOW, Policy())
    take_in(db.engine, text(1, sender=ana), {}, NOW, Policy())
    claimed = claim(db.engine, NOW, 10)
    maria = next(c for c in claimed if c.conversation_key == "BR.100")
    other = next(c for c in claimed if c.conversation_key != "BR.100")
    later = NOW + timedelta(seconds=10)
    settle(
        db.engine,
        [Result(id=maria.id, retry_at=later), Result(id=other.id, sent=True, wamid="w")],
        NOW,
    )
    assert [c.conversation_key for c in claim(db.engine, NOW, 10)] == ["5521922220000"]
    retried = claim(db.engine, later, 10)
    assert [(c.conversation_key, c.seq, c.attempts) for c in retried] == [("BR.100", 1, 1)]


def test_an_expired_lease_is_taken_over(db: Database) -> None:
    take_in(db.engine, text(1), {}, NOW, Policy())
    (first,) = claim(db.engine, NOW, 1)
    assert claim(db.engine, NOW + timedelta(seconds=20), 1) == []
    (again,) = claim(db.engine, NOW + timedelta(seconds=26), 1)
    assert again.id == first.id


def test_statuses_never_go_backwards_and_failed_is_final(db: Database) -> None:
    take_in(db.engine, text(1), {}, NOW, Policy())
    claimed = claim(db.engine, NOW, 10)
    settle(db.engine, [Result(id=c.id, sent=True, wamid=f"wamid.out.{c.id}") for c in claimed], NOW)
    wamid = f"wamid.out.{claimed[0].id}"

    def status(name: str) -> StatusReported:
        return StatusReported(wamid=wamid, status=name, timestamp=NOW, recipient=MARIA.wa_id)

    record_statuses(db.engine, [status("delivered"), status("sent")])
    assert rows(db, outbox, outbox.c.wamid == wamid)[0]["delivery_status"] == "delivered"
    record_statuses(db.engine, [status("read")])
    record_statuses(db.engine, [status("delivered")])
    assert rows(db, outbox, outbox.c.wamid == wamid)[0]["delivery_status"] == "read"
    record_statuses(db.engine, [status("failed"), status("read")])
    assert rows(db, outbox, outbox.c.wamid == wamid)[0]["delivery_status"] == "failed"


def test_a_number_change_moves_the_conversation_to_the_new_key(db: Database) -> None:
    phone_only = Sender(user_id=None, wa_id="5511933330000", profile_name="João")
    take_in(db.engine, text(1, sender=phone_only), {}, NOW, Policy())
    change = IdentityChanged(
        message_id="wamid.sys.1",
        sender=phone_only,
        timestamp=NOW,
        system_type="user_changed_number",
        new_user_id=None,
        new_wa_id="5511944440000",
    )
    assert not take_in(db.engine, change, {}, NOW, Policy()).duplicate
    keys = [r["key"] for r in rows(db, conversations)]
    assert keys == ["5511944440000"]
    assert {r["conversation_key"] for r in rows(db, outbox)} == {"5511944440000"}


def test_a_phone_keyed_conversation_is_adopted_by_its_bsuid(db: Database) -> None:
    phone_only = Sender(user_id=None, wa_id="5511955550000", profile_name="Bia")
    take_in(db.engine, text(1, sender=phone_only), {}, NOW, Policy())
    with_bsuid = Sender(user_id="BR.555", wa_id="5511955550000", profile_name="Bia")
    take_in(db.engine, text(2, "2", sender=with_bsuid), {}, NOW, Policy())
    (conversation,) = rows(db, conversations)
    assert conversation["key"] == "BR.555"
    assert conversation["state"] == "start"  # the menu choice "2" applied to the same conversation


def test_the_inbox_keeps_the_raw_message(db: Database) -> None:
    raw = {"from": MARIA.wa_id, "id": "wamid.BR.100.1", "type": "text", "text": {"body": "oi"}}
    take_in(db.engine, text(1), raw, NOW, Policy())
    (row,) = rows(db, inbox)
    assert orjson.loads(row["payload"]) == raw
    assert row["place"] == "menu.main"


def test_migrations_match_the_schema(database_url: str) -> None:
    from dresbach.platform.store.database import migrate

    migrate(database_url)
    migrate(database_url)  # idempotent
    engine = create_engine(normalize_url(database_url))
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(outbox)).scalar() is not None
    engine.dispose()
