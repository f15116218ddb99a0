"""Operators of the console: accounts with argon2 password hashes, login with lockout, and
sessions.

Five failed logins within 15 minutes lock the account for 15 minutes; while locked, the password
is not even checked, so the answer says "locked" without telling whether the password was
right. The count and the lock are one conditional UPDATE (`credentials.count_failure`), so
concurrent logins cannot slip past the limit nor clear a lock. An unknown username gets the same
answer as a wrong password, takes the same time (a dummy hash is verified) and is counted and
locked exactly the same way (by a hash of the name in `login_locks`, no account made), so the
login page never tells which usernames exist.

A session is a random 32-byte token given to the browser; only its SHA-256 is stored, with a
per-session CSRF token and an expiry. Errors an operator can act on are `OperatorError`, with a
pt-BR message.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Connection, Engine, Table, select, update

from dresbach.features.client_area import credentials
from dresbach.kernel.hours import SAO_PAULO, clock
from dresbach.platform.observe import audit
from dresbach.platform.store.database import to_utc, utc
from dresbach.platform.store.schema import login_locks, operator_sessions, operators
from dresbach.platform.store.sql import insert_ignore

MAX_FAILURES = credentials.MAX_FAILURES
LOCK = credentials.LOCK
SESSION_TTL = timedelta(hours=12)
MIN_PASSWORD = 10

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("dresbach-operator-dummy-password")
"""Verified against for an unknown username, so both answers take the same time."""

REFUSED = "Usuário ou senha incorretos."
LOCKED = "Acesso bloqueado por excesso de tentativas. Tente de novo a partir {until}."


class OperatorError(ValueError):
    """An operator account action that cannot be done; the message is pt-BR."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Operator:
    id: int
    username: str
    display_name: str
    phone: str | None
    on_duty: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    role: str = "operator"
    """operator, team_lead or admin (`operators.roles`)."""

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True, slots=True, kw_only=True)
class Login:
    """The outcome of a login attempt. `message` is what the login page shows when refused."""

    outcome: Literal["ok", "refused", "locked"]
    operator: Operator | None = None
    locked_until: datetime | None = None
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    operator: Operator
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewSession:
    """A session just opened: `token` goes to the browser and is never stored."""

    token: str
    session: Session


def normalize_username(username: str) -> str:
    return username.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _subject(username: str) -> str:
    """The `login_locks` subject of a username that has no account."""
    return hashlib.sha256(f"operator:{username}".encode()).hexdigest()


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return bool(HASHER.verify(stored_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _operator(row: Any) -> Operator:
    return Operator(
        id=int(row["id"]),
        username=row["username"],
        display_name=row["display_name"],
        phone=row["phone"],
        on_duty=bool(row["on_duty"]),
        failed_logins=int(row["failed_logins"]),
        locked_until=utc(row["locked_until"]),
        created_at=utc(row["created_at"]) or row["created_at"],
        role=str(row["role"] or "operator"),
    )


def _row(connection: Connection, username: str) -> Any:
    query = select(operators).where(operators.c.username == normalize_username(username))
    return connection.execute(query).mappings().first()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise OperatorError(f"A senha precisa ter pelo menos {MIN_PASSWORD} caracteres.")


def _when_pt(moment: datetime) -> str:
    """ "das 14h30 (horário de Brasília)", "da 1h (…)": said after "a partir"."""
    local = moment.astimezone(SAO_PAULO)
    return f"{'da' if local.hour <= 1 else 'das'} {clock(local)} (horário de Brasília)"


def record(connection: Connection, who: str, action: str, now: datetime, detail: str = "") -> None:
    """An operator's action in the audit log, with the username kept (not masked)."""
    audit.record(connection, who=who, action=action, now=now, detail=detail or None, mask=False)


def record_action(engine: Engine, who: str, action: str, now: datetime, detail: str = "") -> None:
    with engine.begin() as connection:
        record(connection, who, action, now, detail)


# ---- accounts ------------------------------------------------------------------------------


def add_operator(
    engine: Engine,
    username: str,
    display_name: str,
    password: str,
    phone: str | None,
    now: datetime,
    *,
    by: str,
    role: str = "operator",
) -> Operator:
    name = normalize_username(username)
    if not name or len(name) > 80 or not all(c.isalnum() or c in "._-" for c in name):
        raise OperatorError("Nome de usuário inválido: use letras, números, ponto, - ou _.")
    if not display_name.strip():
        raise OperatorError("Informe o nome do atendente.")
    if phone is not None and not (phone.startswith("+") and phone[1:].isdigit()):
        raise OperatorError("Telefone inválido: use o formato internacional, como +5511999998888.")
    _check_password(password)
    with engine.begin() as connection:
        inserted = insert_ignore(
            connection,
            operators,
            {
                "username": name,
                "display_name": display_name.strip(),
                "password_hash": HASHER.hash(password),
                "phone": phone,
                "on_duty": 1,
                "failed_logins": 0,
                "locked_until": None,
                "created_at": to_utc(now),
                "role": role,
            },
            ["username"],
        )
        if not inserted:
            raise OperatorError(f"Já existe um atendente com o usuário {name}.")
        record(connection, by, "operator_added", now, f"operator {name}")
        return _operator(_row(connection, name))


def get_operator(engine: Engine, username: str) -> Operator | None:
    with engine.connect() as connection:
        row = _row(connection, username)
    return None if row is None else _operator(row)


def list_operators(engine: Engine) -> list[Operator]:
    with engine.connect() as connection:
        rows = connection.execute(select(operators).order_by(operators.c.username)).mappings()
        return [_operator(r) for r in rows]


def on_duty(engine: Engine) -> list[Operator]:
    """Operators on duty (to be told on WhatsApp when a hand-off waits)."""
    return [o for o in list_operators(engine) if o.on_duty]


def update_operator(
    engine: Engine, username: str, audit_as: tuple[str, str, datetime], **values: Any
) -> Operator:
    name = normalize_username(username)
    by, action, now = audit_as
    with engine.begin() as connection:
        changed = connection.execute(
            update(operators).where(operators.c.username == name).values(**values)
        ).rowcount
        if not changed:
            raise OperatorError(f"Atendente {name} não encontrado.")
        operator = _operator(_row(connection, name))
        if "password_hash" in values:  # a stolen cookie stops working with the old password
            connection.execute(
                operator_sessions.delete().where(operator_sessions.c.operator_id == operator.id)
            )
        record(connection, by, action, now, f"operator {name}")
    return operator


def unlock(engine: Engine, username: str, now: datetime, *, by: str) -> Operator:
    credentials.unlock(engine, [_subject(normalize_username(username))])
    return update_operator(
        engine,
        username,
        (by, "operator_unlocked", now),
        failed_logins=0,
        first_failed_at=None,
        locked_until=None,
    )


def set_duty(engine: Engine, username: str, duty: bool, now: datetime, *, by: str) -> Operator:
    action = "operator_on_duty" if duty else "operator_off_duty"
    return update_operator(engine, username, (by, action, now), on_duty=int(duty))


def set_password(
    engine: Engine, username: str, password: str, now: datetime, *, by: str
) -> Operator:
    """A new password; the operator's open sessions end."""
    _check_password(password)
    return update_operator(
        engine,
        username,
        (by, "operator_password_set", now),
        password_hash=HASHER.hash(password),
        failed_logins=0,
        first_failed_at=None,
        locked_until=None,
    )


# ---- login ---------------------------------------------------------------------------------


def _locked(until: datetime) -> Login:
    return Login(outcome="locked", locked_until=until, message=LOCKED.format(until=_when_pt(until)))


@dataclass(frozen=True, slots=True)
class _Counter:
    """Where the failures of one username are counted: the operator's own row, or, for a name
    with no account, a `login_locks` row keyed by a hash of the name (no account is made).
    Both are counted by the same `credentials.count_failure`, so both lock alike."""

    table: Table
    where: ColumnElement[bool]
    subject: str | None = None

    def lock(self, connection: Connection, now: datetime) -> datetime | None:
        return credentials.lock_of(connection, self.table, self.where, now)

    def failure(self, connection: Connection, now: datetime) -> credentials.Tally:
        if self.subject is not None:
            credentials.open_counter(connection, self.subject, now)
        return credentials.count_failure(connection, self.table, self.where, now)


def _counter(name: str, row: Any) -> _Counter:
    if row is None:
        subject = _subject(name)
        return _Counter(login_locks, login_locks.c.subject == subject, subject)
    return _Counter(operators, operators.c.id == row["id"])


def authenticate(engine: Engine, username: str, password: str, now: datetime) -> Login:
    """Check a login. Slow on purpose (argon2): call it off the event loop.

    The lock is read first only to spare a locked account the hash; what decides is the
    conditional UPDATE after the hash, which counts the failure (and maybe locks) or forgives
    the count, in one statement that does nothing to a row locked meanwhile."""
    name = normalize_username(username)
    with engine.connect() as connection:
        row = _row(connection, name)
        counter = _counter(name, row)
        until = counter.lock(connection, now)
    if until is not None:
        return _locked(until)
    # an unknown name costs the same hash as a real one
    ok = verify_password(DUMMY_HASH if row is None else row["password_hash"], password)
    ok = ok and row is not None
    with engine.begin() as connection:
        if ok:
            values: dict[str, Any] = {}
            if HASHER.check_needs_rehash(row["password_hash"]):
                values["password_hash"] = HASHER.hash(password)
            if credentials.count_success(connection, operators, counter.where, now, **values):
                record(connection, name, "operator_login", now)
                return Login(outcome="ok", operator=_operator(_row(connection, name)))
            until = counter.lock(connection, now)  # locked meanwhile (or removed)
            return _locked(until) if until else Login(outcome="refused", message=REFUSED)
        tally = counter.failure(connection, now)
        if row is not None and tally.locks:
            record(connection, name, "operator_locked", now, f"{MAX_FAILURES} failed logins")
        elif row is not None and tally.locked_until is None:
            record(connection, name, "operator_login_failed", now, f"failure {tally.failures}")
    if tally.locked_until is not None:
        return _locked(tally.locked_until)
    return Login(outcome="refused", message=REFUSED)


# ---- sessions ------------------------------------------------------------------------------


def open_session(engine: Engine, operator: Operator, now: datetime) -> NewSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = to_utc(now + SESSION_TTL)
    with engine.begin() as connection:
        connection.execute(  # expired sessions of everyone go on the way
            operator_sessions.delete().where(operator_sessions.c.expires_at <= to_utc(now))
        )
        connection.execute(
            operator_sessions.insert().values(
                token_hash=token_hash(token),
                operator_id=operator.id,
                csrf_token=csrf,
                created_at=to_utc(now),
                expires_at=expires,
            )
        )
    return NewSession(
        token=token, session=Session(operator=operator, csrf_token=csrf, expires_at=expires)
    )


def find_session(engine: Engine, token: str, now: datetime) -> Session | None:
    """The live session of this browser token, or None (unknown, expired or logged out)."""
    if not token:
        return None
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(operators, operator_sessions.c.csrf_token, operator_sessions.c.expires_at)
                .join(operators, operators.c.id == operator_sessions.c.operator_id)
                .where(operator_sessions.c.token_hash == token_hash(token))
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    expires = utc(row["expires_at"])
    if expires is None or expires <= now:
        close_session(engine, token)
        return None
    return Session(operator=_operator(row), csrf_token=row["csrf_token"], expires_at=expires)


def close_session(engine: Engine, token: str) -> bool:
    """Logout: the session row is deleted; True when there was one."""
    with engine.begin() as connection:
        deleted = connection.execute(
            operator_sessions.delete().where(operator_sessions.c.token_hash == token_hash(token))
        ).rowcount
    return bool(deleted)
