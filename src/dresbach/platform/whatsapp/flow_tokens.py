"""Flow tokens: the `flow_token` sent with a WhatsApp Flow message, and checked on every request
the Flow makes to our endpoint and on its completion.

A token is 32 random bytes (`secrets.token_urlsafe`), sent to WhatsApp and never stored: the
table keeps its SHA-256. It is bound to one conversation and one purpose (`login`, `ticket`),
lives `TTL` (ten minutes) and is used once: `complete` ends it with one conditional UPDATE, so of
any number of concurrent completions exactly one wins, on SQLite and PostgreSQL alike. Issuing a
new token for the same conversation and purpose ends the previous one ("replaced"), so only the
last Flow message sent can be used.

Every refusal is the same `FlowTokenRejected` (the endpoint answers 427); its `reason` (unknown,
expired, used, replaced, mismatch) is for logs only. `context` is what the Flow's business side
keeps between screens (a client id after the password screen, say); the store never reads it and
the caller seals it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Engine, select, update

from dresbach.platform.store.database import to_utc, utc
from dresbach.platform.store.schema import flow_tokens
from dresbach.platform.whatsapp.flows_exchange import FlowTokenRejected

TTL: Final = timedelta(minutes=10)
PURPOSES: Final = frozenset({"login", "ticket"})
TOKEN_BYTES: Final = 32
MAX_TOKEN: Final = 200
"""Longer than any token we issue: refused without a database look-up."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedToken:
    """A token just issued: `token` goes into the Flow message and nowhere else."""

    token: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowToken:
    """A live (or just completed) token's binding."""

    conversation_key: str
    purpose: str
    expires_at: datetime
    context: str | None = field(default=None, repr=False)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown flow token purpose {purpose!r}")
    return purpose


def _hash(token: str) -> str:
    if not token or len(token) > MAX_TOKEN:
        raise FlowTokenRejected("unknown")
    return token_hash(token)


def _live(digest: str, now: datetime) -> list[Any]:
    return [
        flow_tokens.c.token_hash == digest,
        flow_tokens.c.ended_at.is_(None),
        flow_tokens.c.expires_at > to_utc(now),
    ]


def _token(row: Any) -> FlowToken:
    return FlowToken(
        conversation_key=row["conversation_key"],
        purpose=row["purpose"],
        expires_at=utc(row["expires_at"]) or row["expires_at"],
        context=row["context"],
    )


def _refusal(connection: Connection, digest: str, now: datetime) -> FlowTokenRejected:
    """Why a token failed (for the logs); the same exception whatever the reason."""
    row = (
        connection.execute(select(flow_tokens).where(flow_tokens.c.token_hash == digest))
        .mappings()
        .first()
    )
    if row is None:
        return FlowTokenRejected("unknown")
    if row["ended_at"] is not None:
        return FlowTokenRejected("used" if row["end_reason"] == "completed" else "replaced")
    expires = utc(row["expires_at"])
    if expires is not None and expires <= now:
        return FlowTokenRejected("expired")
    return FlowTokenRejected("mismatch")


def issue(
    engine: Engine,
    *,
    conversation_key: str,
    purpose: str,
    now: datetime,
    ttl: timedelta = TTL,
) -> IssuedToken:
    """A new token for `conversation_key` and `purpose`; ends the one issued before it."""
    with engine.begin() as connection:
        return issue_in(
            connection, conversation_key=conversation_key, purpose=purpose, now=now, ttl=ttl
        )


def issue_in(
    connection: Connection,
    *,
    conversation_key: str,
    purpose: str,
    now: datetime,
    ttl: timedelta = TTL,
) -> IssuedToken:
    """`issue` inside the caller's transaction (the step that sends the Flow message)."""
    _purpose(purpose)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    at = to_utc(now)
    connection.execute(
        update(flow_tokens)
        .where(
            flow_tokens.c.conversation_key == conversation_key,
            flow_tokens.c.purpose == purpose,
            flow_tokens.c.ended_at.is_(None),
        )
        .values(ended_at=at, end_reason="replaced")
    )
    connection.execute(
        flow_tokens.insert().values(
            token_hash=token_hash(token),
            conversation_key=conversation_key,
            purpose=purpose,
            created_at=at,
            expires_at=at + ttl,
        )
    )
    return IssuedToken(token=token, expires_at=at + ttl)


def check(engine: Engine, token: str, now: datetime, *, purpose: str) -> FlowToken:
    """The live token's binding, for a request of its Flow; `FlowTokenRejected` otherwise."""
    digest = _hash(token)
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(flow_tokens).where(
                    *_live(digest, now), flow_tokens.c.purpose == _purpose(purpose)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise _refusal(connection, digest, now)
    return _token(row)


def purpose_of(engine: Engine, token: str, now: datetime) -> str:
    """What a live token is for (which Flow's exchange answers it); `FlowTokenRejected`
    otherwise."""
    digest = _hash(token)
    with engine.connect() as connection:
        found = connection.execute(select(flow_tokens.c.purpose).where(*_live(digest, now)))
        purpose = found.scalar()
        if purpose is None:
            raise _refusal(connection, digest, now)
    return str(purpose)


def remember(engine: Engine, token: str, now: datetime, *, purpose: str, context: str) -> None:
    """Keep `context` (sealed by the caller) with a live token, for its next screens."""
    digest = _hash(token)
    with engine.begin() as connection:
        changed = connection.execute(
            update(flow_tokens)
            .where(*_live(digest, now), flow_tokens.c.purpose == _purpose(purpose))
            .values(context=context)
        ).rowcount
        if changed != 1:
            raise _refusal(connection, digest, now)


def complete(
    engine: Engine, token: str, now: datetime, *, purpose: str, conversation_key: str
) -> FlowToken:
    """Use the token up, if it is live and bound to this conversation and purpose: one
    conditional UPDATE, so of concurrent completions exactly one returns and the others raise
    `FlowTokenRejected`."""
    digest = _hash(token)
    with engine.begin() as connection:
        changed = connection.execute(
            update(flow_tokens)
            .where(
                *_live(digest, now),
                flow_tokens.c.purpose == _purpose(purpose),
                flow_tokens.c.conversation_key == conversation_key,
            )
            .values(ended_at=to_utc(now), end_reason="completed")
        ).rowcount
        if changed != 1:
            raise _refusal(connection, digest, now)
        row = (
            connection.execute(select(flow_tokens).where(flow_tokens.c.token_hash == digest))
            .mappings()
            .one()
        )
    return _token(row)
