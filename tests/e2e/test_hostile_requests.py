"""Requests an attacker sends, over real HTTP against the real app, on SQLite and PostgreSQL:
each gets a documented answer (401, 404, 413…), never a 500, and changes nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select

from dresbach.config import Secret
from dresbach.fakes.chatwoot import sign
from dresbach.runtime import operators
from dresbach.runtime.schema import inbox
from tests.e2e.conftest import Stack
from tests.e2e.test_console import Console

CHATWOOT_SECRET = "chatwoot-webhook-secret"
PASSWORD = "cafe-com-leite-42"


def stored(stack: Stack) -> int:
    with stack.container.db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(inbox)).scalar_one())


# ---- POST /webhook: the signature header ------------------------------------------------------


NOT_ASCII = (
    b"sha256=\xff" + b"0" * 63,  # one byte that is not ASCII
    b"sha256=" + "é".encode() * 32,  # UTF-8 text where hex should be
    b"\xe9",
)


def test_a_signature_header_that_is_not_ascii_is_refused_not_a_crash(stack: Stack) -> None:
    body = stack.meta.text_body("5511955550001", "oi")
    for header in NOT_ASCII:
        response = httpx.post(
            f"{stack.origin}/webhook",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": header},
        )
        assert (response.status_code, response.text) == (401, "missing signature"), header
    assert stored(stack) == 0
    assert stack.meta.post(body).status_code == 200  # the same body, signed: taken in


# ---- POST /webhooks/chatwoot: the timestamp --------------------------------------------------


@pytest.fixture
def chatwoot_stack(stack_factory, database_url: str) -> Stack:  # type: ignore[no-untyped-def]
    started: Stack = stack_factory(
        database_url,
        handoff_desk="chatwoot",
        chatwoot_url="http://127.0.0.1:9",
        chatwoot_account_id="1",
        chatwoot_inbox_id="7",
        chatwoot_api_token=Secret("token"),
        chatwoot_webhook_secret=Secret(CHATWOOT_SECRET),
    )
    return started


NO_CLOCK = (
    b"\xb2",  # "²" as the server reads the byte (latin-1): a digit to str.isdigit, not to int()
    "١٧٠٠٠٠٠٠٠٠".encode(),  # Arabic-Indic digits, as UTF-8
    b"9" * 5000,  # more digits than int() converts
    b"1" * 13,
    b"-1",
    b"+1700000000",
)


def test_a_chatwoot_timestamp_that_is_no_clock_is_refused_not_a_crash(
    chatwoot_stack: Stack,
) -> None:
    body = b'{"event": "message_created"}'
    for timestamp in NO_CLOCK:
        response = httpx.post(
            f"{chatwoot_stack.origin}/webhooks/chatwoot",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Chatwoot-Timestamp": timestamp,
                "X-Chatwoot-Signature": sign(CHATWOOT_SECRET, timestamp.decode("latin-1"), body),
            },
        )
        assert (response.status_code, response.text) == (401, "invalid signature"), timestamp
    now = str(int(time.time()))
    fine = httpx.post(
        f"{chatwoot_stack.origin}/webhooks/chatwoot",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Chatwoot-Timestamp": now,
            "X-Chatwoot-Signature": sign(CHATWOOT_SECRET, now, body),
        },
    )
    assert fine.status_code == 200


# ---- /console/conversations/{id}: ids beyond 64 bits ----------------------------------------


@pytest.fixture
def console(stack: Stack) -> Iterator[Console]:
    operators.add_operator(
        stack.container.db.engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="test"
    )
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        console = Console(stack.origin, http)
        assert console.login("ana", PASSWORD).status_code == 303
        yield console


BEYOND_64_BITS = (str(2**63), str(2**64 + 1), "9" * 40, str(2**63 - 1), "0" * 19 + "1")


def test_a_conversation_id_beyond_64_bits_is_not_found(console: Console) -> None:
    token = console.csrf("/console")
    for handoff_id in BEYOND_64_BITS:
        base = f"{console.origin}/console/conversations/{handoff_id}"
        assert console.http.get(base).status_code == 404, handoff_id
        assert console.http.get(f"{base}/history").status_code == 404, handoff_id
        for action in ("take", "reply", "hand-back", "close"):
            answer = console.http.post(f"{base}/{action}", data={"csrf_token": token, "body": "oi"})
            assert answer.status_code == 404, (handoff_id, action)
    missing = console.http.get(f"{console.origin}/console/conversations/424242")
    assert missing.status_code == 404  # an id that fits, but no such hand-off: the same answer
