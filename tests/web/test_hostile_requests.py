"""Requests an attacker sends, over real HTTP against the real app, on SQLite and PostgreSQL:
each gets a documented answer (401, 404, 413…), never a 500, and changes nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from dresbach.config import Secret
from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import conversations, inbox
from dresbach.platform.whatsapp import payloads
from tests.fakes.chatwoot import sign
from tests.features.operators.test_console import Console
from tests.support.console import status_webhook
from tests.support.meta import PHONE_NUMBER_ID
from tests.support.stack_fixtures import Stack

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


# ---- POST /webhook: addressed to another number of the same Meta app -------------------------

OTHER_NUMBER = "100000000000999"


def addressed_to(stack: Stack, number: str, wa_id: str, text: str) -> bytes:
    message = payloads.text_message(stack.meta.message_id(), wa_id, text, int(time.time()))
    return orjson.dumps(payloads.envelope([message], wa_id=wa_id, phone_number_id=number))


def conversations_of(stack: Stack) -> list[str]:
    with stack.container.db.engine.connect() as connection:
        return list(connection.execute(select(conversations.c.key)).scalars())


def test_a_webhook_for_another_number_of_the_app_is_acknowledged_and_ignored(stack: Stack) -> None:
    """Meta sends an app's webhooks for all of its numbers: what was written to another number
    gets its 200 (or Meta would redeliver it for a week) and nothing else, no reply from ours."""
    elsewhere = addressed_to(stack, OTHER_NUMBER, "5511955550002", "oi")
    assert stack.meta.post(elsewhere).status_code == 200
    status = orjson.loads(status_webhook("5511955550002", "wamid.theirs", "read"))
    status["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = OTHER_NUMBER
    assert stack.meta.post(orjson.dumps(status)).status_code == 200
    no_metadata = orjson.loads(addressed_to(stack, OTHER_NUMBER, "5511955550002", "oi"))
    del no_metadata["entry"][0]["changes"][0]["value"]["metadata"]
    assert stack.meta.post(orjson.dumps(no_metadata)).status_code == 200
    time.sleep(0.5)  # what a reply would have needed to reach the fake Graph API
    assert (stored(stack), conversations_of(stack)) == (0, [])
    assert stack.graph.requests == []

    ours = addressed_to(stack, PHONE_NUMBER_ID, "5511955550002", "oi")
    assert stack.meta.post(ours).status_code == 200
    assert stored(stack) == 1
    stack.customer("5511955550002").waits_for_reply()  # and it is answered


def test_the_sandbox_takes_the_simulators_number(stack_factory, database_url: str) -> None:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(database_url, sandbox=True, whatsapp_phone_number_id="")
    elsewhere = addressed_to(stack, OTHER_NUMBER, "5511955550003", "oi")
    assert stack.meta.post(elsewhere).status_code == 200
    assert stored(stack) == 0
    sandbox = addressed_to(stack, payloads.SANDBOX_NUMBER, "5511955550003", "oi")
    assert stack.meta.post(sandbox).status_code == 200
    assert stored(stack) == 1
