"""Credentials in the database: login attempts and locks, one-time e-mail codes (stored as
keyed hashes), TOTP secrets (sealed) and their last used step.

Failures are counted by one conditional UPDATE per counter (`count_failure`): the count, the
lock and the check that the row is not locked are one statement, so concurrent failures each
count once and none clears a lock. The Área do Cliente counts in `login_locks` (one row per
keyed subject: a document, a WhatsApp number, a client's second factor; a `locked_until` in the
past means not locked); the console counts a real operator on the `operators` row and an
unknown username in `login_locks`, by the same function, so both lock alike.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Table,
    case,
    func,
    literal,
    null,
    or_,
    select,
    update,
)

from dresbach.platform.store.database import to_utc, utc
from dresbach.platform.store.schema import email_codes, login_attempts, login_locks, second_factors
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
MAX_FAILURES = 5
CODE_TTL = timedelta(minutes=5)
TS = DateTime(timezone=True)


@cache
def _dummy_hash() -> str:
    return PasswordHasher().hash("dresbach-dummy-password")


def spend_a_password_check(password: str) -> None:
    """Verify `password` against a dummy argon2 hash (the parameters every stored hash has) and
    forget the answer: what a document or a name without an account costs, so that it answers
    in the time a real one does."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        PasswordHasher().verify(_dummy_hash(), password)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """A login's lock after an attempt was counted."""

    locked_until: datetime | None
    """The lock's end, when the login is locked now (by this attempt or an earlier one)."""
    locks: bool = False
    """This very failure set the lock (to notify the owner once)."""
    failures: int = 0
    """Failures counted in the current window, after this one (0 once locked)."""


def _unlocked(table: Table, now: datetime) -> ColumnElement[bool]:
    return or_(table.c.locked_until.is_(None), table.c.locked_until <= now)


def count_failure(
    connection: Connection, table: Table, where: ColumnElement[bool], now: datetime
) -> Tally:
    """Count one failure in `table`'s row `where` (its `failed_logins`, `first_failed_at` and
    `locked_until`): one conditional UPDATE, so concurrent failures each count exactly once.

    A failure within `WINDOW` of the first counted one adds to the count, a later one starts a
    new count; the `MAX_FAILURES`-th locks for `LOCK` and the count starts again. A row locked
    now is not touched: a failure never extends, shortens or clears a lock."""
    now = to_utc(now)
    fresh = or_(table.c.first_failed_at.is_(None), table.c.first_failed_at <= now - WINDOW)
    counted = case((fresh, 1), else_=table.c.failed_logins + 1)
    locks = counted >= MAX_FAILURES
    changed = connection.execute(
        update(table)
        .where(where, _unlocked(table, now))
        .values(
            failed_logins=case((locks, 0), else_=counted),
            first_failed_at=case(
                (locks, null()), (fresh, literal(now, TS)), else_=table.c.first_failed_at
            ),
            locked_until=case((locks, literal(now + LOCK, TS)), else_=table.c.locked_until),
        )
        .returning(table.c.locked_until, table.c.failed_logins)
    ).first()
    if changed is None:  # locked meanwhile (or gone)
        return Tally(locked_until=lock_of(connection, table, where, now))
    until = utc(changed[0])
    if until is not None and until > now:
        return Tally(locked_until=until, locks=True)
    return Tally(locked_until=None, failures=int(changed[1]))


def count_success(
    connection: Connection,
    table: Table,
    where: ColumnElement[bool],
    now: datetime,
    **values: Any,
) -> bool:
    """A right password on an `operators` row: the count starts again (and `values` are
    written), unless the row is locked now; False then. The lock is checked in the same UPDATE
    that forgives the failures."""
    now = to_utc(now)
    changed = connection.execute(
        update(table)
        .where(where, _unlocked(table, now))
        .values(failed_logins=0, first_failed_at=None, locked_until=None, **values)
    ).rowcount
    return bool(changed)


def lock_of(
    connection: Connection, table: Table, where: ColumnElement[bool], now: datetime
) -> datetime | None:
    """The end of the lock on `table`'s row `where`, if it is locked now."""
    found = connection.execute(select(table.c.locked_until).where(where)).scalar()
    until = utc(found)
    return until if until is not None and until > now else None


def open_counter(connection: Connection, subject: str, now: datetime) -> None:
    """The `login_locks` row of `subject`, unless it has one: no failure, not locked (a lock
    that ends now)."""
    insert_ignore(
        connection,
        login_locks,
        {"subject": subject, "failed_logins": 0, "locked_until": to_utc(now)},
        ["subject"],
    )


def locked_until(engine: Engine, subjects: list[str], now: datetime) -> datetime | None:
    with engine.connect() as connection:
        rows = connection.execute(
            select(login_locks.c.locked_until).where(login_locks.c.subject.in_(subjects))
        ).scalars()
        until = [u for u in (utc(r) for r in rows) if u is not None and u > now]
    return max(until) if until else None


def note_attempt(engine: Engine, subjects: list[str], success: bool, now: datetime) -> Tally:
    """Log an attempt for each subject (`login_attempts`, the access log) and count a failure in
    each subject's counter (`login_locks`). The answer says whether the login is locked now: a
    failure that reaches the limit locks it; a success is refused if a subject is locked (the
    lock, read in the same transaction, wins over a password checked before it was set)."""
    tallies: list[Tally] = []
    with engine.begin() as connection:
        for subject in subjects:
            connection.execute(
                login_attempts.insert().values(subject=subject, success=int(success), at=now)
            )
            where = login_locks.c.subject == subject
            if success:
                tallies.append(Tally(locked_until=lock_of(connection, login_locks, where, now)))
                continue
            open_counter(connection, subject, now)
            tallies.append(count_failure(connection, login_locks, where, now))
    ends = [t.locked_until for t in tallies if t.locked_until is not None]
    return Tally(locked_until=max(ends) if ends else None, locks=any(t.locks for t in tallies))


def unlock(engine: Engine, subjects: list[str], now: datetime | None = None) -> int:
    """Lift the locks and forget the counts of these subjects; how many were locked. The
    access log (`login_attempts`) stays: it is kept for its own retention period."""
    moment = to_utc(now or datetime.now(UTC))
    with engine.begin() as connection:
        rows = login_locks.c.subject.in_(subjects)
        locked = connection.execute(
            select(func.count()).where(rows, login_locks.c.locked_until > moment)
        ).scalar_one()
        connection.execute(login_locks.delete().where(rows))
    return int(locked)


def new_email_code(engine: Engine, sealer: Sealer, client_id: str, now: datetime) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    with engine.begin() as connection:
        connection.execute(  # a new code replaces the previous ones
            update(email_codes)
            .where(email_codes.c.client_id == client_id, email_codes.c.used_at.is_(None))
            .values(used_at=now)
        )
        connection.execute(
            email_codes.insert().values(
                client_id=client_id,
                code_hash=sealer.code_hash(code, salt),
                salt=salt,
                expires_at=now + CODE_TTL,
                created_at=now,
            )
        )
    return code


def check_email_code(
    engine: Engine, sealer: Sealer, client_id: str, code: str, now: datetime
) -> str:
    with engine.begin() as connection:
        row = (
            connection.execute(
                select(email_codes)
                .where(email_codes.c.client_id == client_id, email_codes.c.used_at.is_(None))
                .order_by(email_codes.c.id.desc())
            )
            .mappings()
            .first()
        )
        if row is None:
            return "expired"
        expires = utc(row["expires_at"])
        if expires is None or expires <= now:
            return "expired"
        if not secrets.compare_digest(sealer.code_hash(code, row["salt"]), row["code_hash"]):
            return "failed"
        used = connection.execute(  # only one of concurrent checks of the same code wins
            update(email_codes)
            .where(email_codes.c.id == row["id"], email_codes.c.used_at.is_(None))
            .values(used_at=now)
        ).rowcount
    return "ok" if used == 1 else "expired"


def totp_secret(engine: Engine, sealer: Sealer, client_id: str) -> tuple[str, int] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(second_factors).where(second_factors.c.client_id == client_id)
            )
            .mappings()
            .first()
        )
    return (sealer.open(row["totp_secret"]), int(row["last_counter"])) if row else None


def use_totp_counter(engine: Engine, client_id: str, counter: int) -> bool:
    """A code is accepted once: the counter must move forward (no replay)."""
    with engine.begin() as connection:
        moved = connection.execute(
            update(second_factors)
            .where(second_factors.c.client_id == client_id, second_factors.c.last_counter < counter)
            .values(last_counter=counter)
        ).rowcount
    return bool(moved)


def enroll_totp(engine: Engine, sealer: Sealer, client_id: str, now: datetime) -> str:
    secret = pyotp.random_base32()
    with engine.begin() as connection:
        connection.execute(second_factors.delete().where(second_factors.c.client_id == client_id))
        connection.execute(
            second_factors.insert().values(
                client_id=client_id,
                totp_secret=sealer.seal(secret),
                last_counter=0,
                enrolled_at=now,
            )
        )
    return secret


def remove_totp(engine: Engine, client_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(second_factors.delete().where(second_factors.c.client_id == client_id))


def matching_counter(secret: str, code: str, now: datetime) -> int | None:
    """The TOTP time step (RFC 6238, 30 s, ±1 step) whose code this is, or None."""
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // 30
    for counter in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None
