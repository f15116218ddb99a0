"""Credentials of the Área do Cliente, in the database: login attempts and locks, one-time
e-mail codes (stored as keyed hashes), TOTP secrets (sealed) and their last used step."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import Engine, func, select, update

from dresbach.runtime.database import utc
from dresbach.runtime.schema import email_codes, login_attempts, login_locks, second_factors
from dresbach.runtime.sealing import Sealer
from dresbach.runtime.sql import insert_ignore

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
MAX_FAILURES = 5
CODE_TTL = timedelta(minutes=5)


def locked_until(engine: Engine, subjects: list[str], now: datetime) -> datetime | None:
    with engine.connect() as connection:
        rows = connection.execute(
            select(login_locks.c.locked_until).where(login_locks.c.subject.in_(subjects))
        ).scalars()
        until = [u for u in (utc(r) for r in rows) if u is not None and u > now]
    return max(until) if until else None


def note_attempt(engine: Engine, subjects: list[str], success: bool, now: datetime) -> bool:
    """Record an attempt for each subject; True when this failure locks the login."""
    locked = False
    with engine.begin() as connection:
        for subject in subjects:
            connection.execute(
                login_attempts.insert().values(subject=subject, success=int(success), at=now)
            )
            if success:
                continue
            failures = connection.execute(
                select(func.count()).where(
                    login_attempts.c.subject == subject,
                    login_attempts.c.success == 0,
                    login_attempts.c.at > now - WINDOW,
                )
            ).scalar_one()
            if failures >= MAX_FAILURES:
                locked = True
                if not insert_ignore(
                    connection,
                    login_locks,
                    {"subject": subject, "locked_until": now + LOCK},
                    ["subject"],
                ):
                    connection.execute(
                        update(login_locks)
                        .where(login_locks.c.subject == subject)
                        .values(locked_until=now + LOCK)
                    )
    return locked


def unlock(engine: Engine, subjects: list[str]) -> int:
    with engine.begin() as connection:
        removed = connection.execute(
            login_locks.delete().where(login_locks.c.subject.in_(subjects))
        ).rowcount
        connection.execute(login_attempts.delete().where(login_attempts.c.subject.in_(subjects)))
    return int(removed)


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
        connection.execute(
            update(email_codes).where(email_codes.c.id == row["id"]).values(used_at=now)
        )
    return "ok"


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
