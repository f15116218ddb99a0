"""The flow-token store on SQLite and PostgreSQL: random, stored hashed, bound to one
conversation and purpose, expiring, replaced by the next one, used once however many try."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dresbach.features.privacy.model import Retention
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.retention import purge
from dresbach.platform.store.schema import flow_tokens
from dresbach.platform.whatsapp import flow_tokens as tokens
from dresbach.platform.whatsapp.flows_exchange import FlowTokenRejected

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
MARIA, JOAO = "5511911110000", "BR.200"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def rows(db: Database) -> list[dict[str, object]]:
    with db.engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(flow_tokens)).mappings()]


def reason(call: object) -> str:
    with pytest.raises(FlowTokenRejected) as rejected:
        call()  # type: ignore[operator]
    return rejected.value.reason


def test_a_token_is_random_and_only_its_hash_is_stored(db: Database) -> None:
    first = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    second = tokens.issue(db.engine, conversation_key=JOAO, purpose="login", now=NOW)
    assert first.token != second.token
    assert len(first.token) >= 43  # 32 random bytes, base64url
    assert first.expires_at == NOW + timedelta(minutes=10)
    stored = rows(db)
    assert {r["token_hash"] for r in stored} == {
        tokens.token_hash(first.token),
        tokens.token_hash(second.token),
    }
    everything = repr(stored) + repr(first)
    assert first.token not in everything
    assert second.token not in everything


def test_a_live_token_says_whose_it_is_and_keeps_the_context(db: Database) -> None:
    issued = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    found = tokens.check(db.engine, issued.token, NOW + timedelta(minutes=9), purpose="login")
    assert (found.conversation_key, found.purpose, found.context) == (MARIA, "login", None)
    tokens.remember(db.engine, issued.token, NOW, purpose="login", context="sealed:abc")
    assert tokens.check(db.engine, issued.token, NOW, purpose="login").context == "sealed:abc"
    done = tokens.complete(db.engine, issued.token, NOW, purpose="login", conversation_key=MARIA)
    assert done.context == "sealed:abc"


def test_unknown_expired_and_foreign_tokens_are_refused(db: Database) -> None:
    issued = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    later = NOW + timedelta(minutes=10)
    assert reason(lambda: tokens.check(db.engine, "forged", NOW, purpose="login")) == "unknown"
    assert reason(lambda: tokens.check(db.engine, "", NOW, purpose="login")) == "unknown"
    assert reason(lambda: tokens.check(db.engine, "x" * 500, NOW, purpose="login")) == "unknown"
    assert reason(lambda: tokens.check(db.engine, issued.token, later, purpose="login")) == (
        "expired"
    )
    assert reason(lambda: tokens.check(db.engine, issued.token, NOW, purpose="ticket")) == (
        "mismatch"
    )
    assert (
        reason(
            lambda: tokens.complete(
                db.engine, issued.token, NOW, purpose="login", conversation_key=JOAO
            )
        )
        == "mismatch"
    )
    assert (
        reason(
            lambda: tokens.remember(db.engine, issued.token, later, purpose="login", context="x")
        )
        == "expired"
    )
    # none of the refusals used it up: its own conversation can still complete it
    tokens.complete(db.engine, issued.token, NOW, purpose="login", conversation_key=MARIA)


def test_a_completed_token_cannot_be_replayed(db: Database) -> None:
    issued = tokens.issue(db.engine, conversation_key=MARIA, purpose="ticket", now=NOW)
    tokens.complete(db.engine, issued.token, NOW, purpose="ticket", conversation_key=MARIA)
    again = NOW + timedelta(seconds=1)
    assert (
        reason(
            lambda: tokens.complete(
                db.engine, issued.token, again, purpose="ticket", conversation_key=MARIA
            )
        )
        == "used"
    )
    assert reason(lambda: tokens.check(db.engine, issued.token, again, purpose="ticket")) == "used"


def test_a_new_token_ends_the_one_before_for_the_same_conversation_and_purpose(
    db: Database,
) -> None:
    old = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    ticket = tokens.issue(db.engine, conversation_key=MARIA, purpose="ticket", now=NOW)
    other = tokens.issue(db.engine, conversation_key=JOAO, purpose="login", now=NOW)
    new = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    assert reason(lambda: tokens.check(db.engine, old.token, NOW, purpose="login")) == "replaced"
    tokens.check(db.engine, new.token, NOW, purpose="login")
    tokens.check(db.engine, ticket.token, NOW, purpose="ticket")
    tokens.check(db.engine, other.token, NOW, purpose="login")


def test_an_unknown_purpose_is_a_programming_error(db: Database) -> None:
    with pytest.raises(ValueError, match="purpose"):
        tokens.issue(db.engine, conversation_key=MARIA, purpose="payment", now=NOW)


def test_of_twenty_concurrent_completions_exactly_one_wins(db: Database) -> None:
    issued = tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=NOW)
    start = threading.Barrier(20)
    won: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def complete(n: int) -> None:
        start.wait()
        try:
            tokens.complete(db.engine, issued.token, NOW, purpose="login", conversation_key=MARIA)
            won.append(n)
        except FlowTokenRejected as rejected:
            refused.append(rejected.reason)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(won) == 1
    assert refused == ["used"] * 19
    (row,) = rows(db)
    assert row["end_reason"] == "completed"


def test_the_purge_removes_tokens_a_day_after_they_expired(db: Database) -> None:
    old = NOW - timedelta(days=1, minutes=11)
    tokens.issue(db.engine, conversation_key=MARIA, purpose="login", now=old)
    recent = tokens.issue(db.engine, conversation_key=JOAO, purpose="login", now=NOW)
    counts = purge(db.engine, NOW, Retention())
    assert counts["flow_tokens"] == 1
    assert [r["token_hash"] for r in rows(db)] == [tokens.token_hash(recent.token)]
