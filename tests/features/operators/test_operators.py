"""Console operators on SQLite and PostgreSQL: argon2 hashes (the password is nowhere in
clear), the same answer for an unknown user and a wrong password, lockout after five
failures for 15 minutes, unlock, sessions stored as hashes that expire and end at logout, and
every account action in the audit log under the operator's name."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Engine, create_engine, select, text

from dresbach.features.operators import service as operators
from dresbach.features.operators.service import OperatorError
from dresbach.platform.store.database import Database, migrate, normalize_url
from dresbach.platform.store.schema import audit_log, metadata, operator_sessions
from dresbach.platform.store.schema import operators as operators_table

PASSWORD = "cafe-com-leite-42"
NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
ADMIN = "cli:root"
T = TypeVar("T")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        migrate(database_url)
    engine = create_engine(normalize_url(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def app_engine(database_url: str) -> Iterator[Engine]:
    """The engine as the server has it (on SQLite: `BEGIN IMMEDIATE`, a 30 s busy timeout)."""
    if database_url.startswith("sqlite"):
        migrate(database_url)
    db = Database(database_url)
    yield db.engine
    db.close()


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, all released together."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def attempt(
    engine: Engine, username: str, password: str, at: datetime
) -> Callable[[], operators.Login]:
    return lambda: operators.authenticate(engine, username, password, at)


@pytest.fixture
def ana(engine: Engine) -> operators.Operator:
    return operators.add_operator(
        engine, "Ana", "Ana Lima", PASSWORD, "+5511999998888", NOW, by=ADMIN
    )


def everything_stored(engine: Engine) -> str:
    """Every value of every table, as one string."""
    with engine.connect() as connection:
        return "\n".join(
            repr(tuple(row))
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )


def audit_trail(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.who, audit_log.c.action).order_by(audit_log.c.id)
        )
        return [(r.who, r.action) for r in rows]


def test_the_password_is_stored_only_as_an_argon2_hash(
    engine: Engine, ana: operators.Operator
) -> None:
    assert ana.username == "ana"  # usernames are case-insensitive
    assert ana.on_duty
    with engine.connect() as connection:
        stored = connection.execute(select(operators_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in everything_stored(engine)
    login = operators.authenticate(engine, "ANA", PASSWORD, NOW)
    assert login.outcome == "ok"
    assert login.operator is not None
    assert login.operator.display_name == "Ana Lima"


def test_accounts_refuse_duplicates_short_passwords_and_bad_phones(
    engine: Engine, ana: operators.Operator
) -> None:
    with pytest.raises(OperatorError, match="Já existe"):
        operators.add_operator(engine, "ana", "Outra Ana", PASSWORD, None, NOW, by=ADMIN)
    with pytest.raises(OperatorError, match="pelo menos 10"):
        operators.add_operator(engine, "bia", "Bia", "curta", None, NOW, by=ADMIN)
    with pytest.raises(OperatorError, match="Telefone"):
        operators.add_operator(engine, "bia", "Bia", PASSWORD, "11 9999", NOW, by=ADMIN)
    with pytest.raises(OperatorError, match="não encontrado"):
        operators.unlock(engine, "ninguem", NOW, by=ADMIN)
    assert [o.username for o in operators.list_operators(engine)] == ["ana"]


def test_unknown_user_and_wrong_password_get_the_same_answer(
    engine: Engine, ana: operators.Operator
) -> None:
    wrong = operators.authenticate(engine, "ana", "errada-123456", NOW)
    unknown = operators.authenticate(engine, "ninguem", PASSWORD, NOW)
    assert (wrong.outcome, unknown.outcome) == ("refused", "refused")
    assert wrong.message == unknown.message == "Usuário ou senha incorretos."
    assert wrong.operator is None


def test_five_failures_lock_for_15_minutes_whatever_the_password(
    engine: Engine, ana: operators.Operator
) -> None:
    for attempt in range(4):
        assert operators.authenticate(engine, "ana", f"errada-{attempt}", NOW).outcome == "refused"
    fifth = operators.authenticate(engine, "ana", "errada-5", NOW)
    assert fifth.outcome == "locked"
    assert fifth.locked_until == NOW + timedelta(minutes=15)
    assert "bloqueado" in fifth.message
    assert "10h15" in fifth.message  # 13:15 UTC is 10:15 in São Paulo

    # while locked, the right password gets the same "locked" answer as a wrong one
    right = operators.authenticate(engine, "ana", PASSWORD, NOW + timedelta(minutes=14))
    wrong = operators.authenticate(engine, "ana", "errada-6", NOW + timedelta(minutes=14))
    assert (right.outcome, wrong.outcome) == ("locked", "locked")
    assert right.message == wrong.message
    assert right.operator is None

    # the lock ends by itself
    later = operators.authenticate(engine, "ana", PASSWORD, NOW + timedelta(minutes=16))
    assert later.outcome == "ok"


def test_a_success_resets_the_count(engine: Engine, ana: operators.Operator) -> None:
    for attempt in range(4):
        operators.authenticate(engine, "ana", f"errada-{attempt}", NOW)
    assert operators.authenticate(engine, "ana", PASSWORD, NOW).outcome == "ok"
    for attempt in range(4):
        assert operators.authenticate(engine, "ana", f"errada-{attempt}", NOW).outcome == "refused"


def test_unknown_usernames_lock_too_so_locks_reveal_no_account(engine: Engine) -> None:
    answers = [operators.authenticate(engine, "fantasma", "x" * 12, NOW) for _ in range(5)]
    assert [a.outcome for a in answers] == ["refused"] * 4 + ["locked"]
    assert "fantasma" not in everything_stored(engine)


def test_an_operator_unlocks_a_locked_account(engine: Engine, ana: operators.Operator) -> None:
    for attempt in range(5):
        operators.authenticate(engine, "ana", f"errada-{attempt}", NOW)
    assert operators.authenticate(engine, "ana", PASSWORD, NOW).outcome == "locked"
    unlocked = operators.unlock(engine, "ana", NOW, by=ADMIN)
    assert unlocked.locked_until is None
    assert operators.authenticate(engine, "ana", PASSWORD, NOW).outcome == "ok"


def test_duty_and_new_password(engine: Engine, ana: operators.Operator) -> None:
    operators.add_operator(engine, "bia", "Bia Souza", PASSWORD, None, NOW, by=ADMIN)
    operators.set_duty(engine, "bia", False, NOW, by=ADMIN)
    assert [o.username for o in operators.on_duty(engine)] == ["ana"]
    opened = operators.open_session(engine, ana, NOW)
    operators.set_password(engine, "ana", "uma-senha-nova-99", NOW, by=ADMIN)
    assert operators.authenticate(engine, "ana", PASSWORD, NOW).outcome == "refused"
    assert operators.authenticate(engine, "ana", "uma-senha-nova-99", NOW).outcome == "ok"
    assert operators.find_session(engine, opened.token, NOW) is None  # sessions ended


def test_sessions_store_only_a_hash_and_expire_after_12_hours(
    engine: Engine, ana: operators.Operator
) -> None:
    opened = operators.open_session(engine, ana, NOW)
    assert len(opened.token) >= 43  # 32 random bytes, base64url
    assert opened.token not in everything_stored(engine)
    with engine.connect() as connection:
        stored = connection.execute(select(operator_sessions)).mappings().one()
    assert stored["token_hash"] == operators.token_hash(opened.token)
    assert stored["csrf_token"] == opened.session.csrf_token

    found = operators.find_session(engine, opened.token, NOW + timedelta(hours=11, minutes=59))
    assert found is not None
    assert found.operator.username == "ana"
    assert found.csrf_token == opened.session.csrf_token
    assert operators.find_session(engine, opened.token + "x", NOW) is None
    assert operators.find_session(engine, "", NOW) is None

    assert operators.find_session(engine, opened.token, NOW + timedelta(hours=12)) is None
    with engine.connect() as connection:  # the expired session is gone, not only refused
        assert connection.execute(select(operator_sessions)).first() is None


def test_two_sessions_are_independent_and_logout_deletes_one(
    engine: Engine, ana: operators.Operator
) -> None:
    first = operators.open_session(engine, ana, NOW)
    second = operators.open_session(engine, ana, NOW)
    assert first.token != second.token
    assert first.session.csrf_token != second.session.csrf_token
    assert operators.close_session(engine, first.token)
    assert operators.find_session(engine, first.token, NOW) is None
    assert operators.find_session(engine, second.token, NOW) is not None
    assert not operators.close_session(engine, first.token)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM operator_sessions")).scalar_one()
    assert count == 1


def test_account_actions_and_logins_are_audited_by_name(
    engine: Engine, ana: operators.Operator
) -> None:
    operators.authenticate(engine, "ana", "errada-1", NOW)
    operators.authenticate(engine, "ana", PASSWORD, NOW)
    operators.set_duty(engine, "ana", False, NOW, by=ADMIN)
    operators.unlock(engine, "ana", NOW, by=ADMIN)
    assert audit_trail(engine) == [
        (ADMIN, "operator_added"),
        ("ana", "operator_login_failed"),
        ("ana", "operator_login"),
        (ADMIN, "operator_off_duty"),
        (ADMIN, "operator_unlocked"),
    ]


@pytest.mark.slow  # argon2 hashes by the dozen
@pytest.mark.parametrize("username", ["ana", "fantasma"])
def test_concurrent_wrong_logins_lock_after_exactly_five_and_the_lock_holds(
    app_engine: Engine, username: str
) -> None:
    """#18.1: 24 wrong logins at once. Four are refused, the fifth locks, the rest find the lock;
    then not even the right password gets in, even fired together with wrong ones, until the
    lock ends. An unknown name (#18.6) goes through the very same count."""
    operators.add_operator(app_engine, "ana", "Ana Lima", PASSWORD, None, NOW, by=ADMIN)
    first = at_once([attempt(app_engine, username, f"errada-{n}", NOW) for n in range(24)])
    outcomes = [login.outcome for login in first]
    assert outcomes.count("refused") == 4, outcomes
    assert outcomes.count("locked") == 20, outcomes
    assert {login.locked_until for login in first if login.outcome == "locked"} == {
        NOW + timedelta(minutes=15)
    }

    later = NOW + timedelta(minutes=5)
    mixed = at_once(
        [attempt(app_engine, username, PASSWORD, later) for _ in range(10)]
        + [attempt(app_engine, username, f"errada-{n}", later) for n in range(10)]
    )
    assert [login.outcome for login in mixed] == ["locked"] * 20
    assert all(login.operator is None for login in mixed)
    # nothing cleared, shortened or stretched the lock
    assert {login.locked_until for login in mixed} == {NOW + timedelta(minutes=15)}
    last_minute = NOW + timedelta(minutes=14, seconds=59)
    assert operators.authenticate(app_engine, username, PASSWORD, last_minute).outcome == "locked"

    after = operators.authenticate(app_engine, username, PASSWORD, NOW + timedelta(minutes=15))
    assert after.outcome == ("ok" if username == "ana" else "refused")


@pytest.mark.slow  # argon2 hashes by the dozen
def test_concurrent_right_and_wrong_logins_keep_the_rule_in_the_order_they_landed(
    app_engine: Engine,
) -> None:
    """#18.1: 4 failures, then 30 logins at once, one in five with the right password. Which
    land first is up to the threads, so what is checked is the rule, in the order the audit log
    kept them (the operator's row is locked by each login's UPDATE, so that is commit order): a
    right password forgives up to four failures, the fifth failure in a row locks, and after the
    lock nothing, not even the right password, gets in."""
    operators.add_operator(app_engine, "ana", "Ana Lima", PASSWORD, None, NOW, by=ADMIN)
    for n in range(4):
        operators.authenticate(app_engine, "ana", f"errada-{n}", NOW)
    calls = [
        attempt(app_engine, "ana", PASSWORD if n % 5 == 0 else f"errada-{n}", NOW)
        for n in range(30)
    ]
    outcomes = [login.outcome for login in at_once(calls)]

    failures, locked, logins = 0, False, 0
    for who, action in audit_trail(app_engine):
        if who != "ana":
            continue
        assert not locked, f"{action} after the lock"
        if action == "operator_login_failed":
            failures += 1
            assert failures <= 4
        elif action == "operator_login":
            failures, logins = 0, logins + 1
        elif action == "operator_locked":
            assert failures == 4
            locked = True
    assert logins == outcomes.count("ok")
    assert (outcomes.count("locked") > 0) is locked
    expected = "locked" if locked else "ok"
    assert operators.authenticate(app_engine, "ana", PASSWORD, NOW).outcome == expected


@pytest.mark.slow  # argon2 hashes by the dozen
@pytest.mark.parametrize(
    ("timeline", "locks"),
    [
        # 4 failures, 16 minutes, 1 more (the walk that told the names apart): a new count
        ([0, 0, 0, 0, 16 * 60, 16 * 60 + 1], False),
        ([0, 60, 120, 180, 240, 300, 16 * 60 + 240, 31 * 60], True),
        ([0] * 5 + [14 * 60, 15 * 60, 15 * 60 + 1] + [15 * 60 + 2] * 5, True),
    ],
)
def test_unknown_usernames_are_counted_exactly_like_real_ones(
    engine: Engine, ana: operators.Operator, timeline: list[int], locks: bool
) -> None:
    """#18.6: the same wrong logins at the same moments get the same answers, whether the name
    has an account or not."""

    def answers(username: str) -> list[tuple[str, datetime | None]]:
        found = []
        for seconds in timeline:
            login = operators.authenticate(
                engine, username, "errada-123", NOW + timedelta(seconds=seconds)
            )
            found.append((login.outcome, login.locked_until))
        return found

    real, unknown = answers("ana"), answers("fantasma")
    assert real == unknown
    assert ("locked" in [outcome for outcome, _ in real]) is locks
    assert "fantasma" not in everything_stored(engine)
