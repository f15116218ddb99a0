"""WHMCS hooks calling our signed endpoint, through the whole app over HTTP: a forged call
changes nothing, a signed one reaches the customer once (the same event twice is one notice),
as the template when the customer never wrote, and as the template again when WhatsApp says
the window closed before the text left."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from dresbach.config import Secret
from dresbach.features.notices.hook import HEADER, notice_of, sign
from tests.fakes.whmcs import DEFAULT_IDENTIFIER, DEFAULT_SECRET, FakeWhmcs
from tests.support.meta import replies_to
from tests.support.stack_fixtures import Stack

SECRET = "whmcs-hook-secret"
ANA = "5511987654321"  # client 1's phone in WHMCS, (11) 98765-4321


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    with FakeWhmcs() as fake:
        yield fake


@pytest.fixture
def app(stack_factory, sqlite_url: str, whmcs: FakeWhmcs) -> Stack:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(
        sqlite_url,
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(DEFAULT_SECRET),
        whmcs_document_field="7",
        notices_hook_secret=Secret(SECRET),
    )
    return stack


def hook(stack: Stack, event: dict[str, Any], secret: str = SECRET) -> httpx.Response:
    body = orjson.dumps(event)
    return httpx.post(
        f"{stack.origin}/hooks/whmcs",
        content=body,
        headers={HEADER: sign(secret, body), "content-type": "application/json"},
    )


def ssl_event(days: int = 10) -> dict[str, Any]:
    on = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
    return {
        "kind": "ssl_expiring",
        "client_id": "1",
        "object_id": "anasouza.com.br",
        "date": on,
        "subject": "anasouza.com.br",
    }


def test_a_forged_call_sends_nothing_and_a_signed_one_reaches_the_customer_once(app: Stack):  # type: ignore[no-untyped-def]
    forged = hook(app, ssl_event(), secret="not-the-secret")
    assert forged.status_code == 401
    unsigned = httpx.post(f"{app.origin}/hooks/whmcs", content=orjson.dumps(ssl_event()))
    assert unsigned.status_code == 401

    answer = hook(app, ssl_event())
    assert answer.status_code == 200
    assert answer.json()["template"] == 1
    [sent] = app.waits_until_sent(1, ANA)
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "aviso_ssl_expirando"
    params = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
    assert params[:2] == ["Ana", "anasouza.com.br"]

    again = hook(app, ssl_event())
    assert again.status_code == 200
    assert again.json() == {"event": answer.json()["event"], "already": 1}
    time.sleep(0.5)
    assert len(replies_to(app.graph.requests, ANA)) == 1


def test_a_malformed_event_is_refused(app: Stack):  # type: ignore[no-untyped-def]
    assert hook(app, {**ssl_event(), "kind": "marketing"}).status_code == 400
    assert hook(app, {**ssl_event(), "date": "amanhã"}).status_code == 400
    assert hook(app, {**ssl_event(), "client_id": "1 OR 1=1"}).status_code == 400
    assert hook(app, {**ssl_event(), "object_id": "x" * 81}).status_code == 400
    assert hook(app, {**ssl_event(), "subject": ""}).status_code == 400
    assert replies_to(app.graph.requests, ANA) == []


def test_the_window_closing_before_the_text_leaves_sends_the_template(app: Stack):  # type: ignore[no-untyped-def]
    ana = app.customer(ANA)
    assert ana.says("oi")  # the greeting and the menu: the window is open
    before = len(replies_to(app.graph.requests, ANA))
    app.graph.outside_window.add(ANA)  # 24 h pass between our read and WhatsApp's answer
    event = {
        "kind": "invoice_due",
        "client_id": "1",
        "object_id": "500",
        "date": "2026-12-10",
        "subject": "nº 500",
        "amount": "59.90",
    }
    answer = hook(app, event)
    assert answer.json()["text"] == 1  # inside the window when it was queued
    sent = app.waits_until_sent(before + 1, ANA)[-1]
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "aviso_fatura_vencendo"
    params = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
    assert params == ["Ana", "nº 500", "R$ 59,90", "10/12/2026", "https://cliente.dresbach.com.br"]


def test_the_signature_is_over_the_raw_body() -> None:
    body = orjson.dumps(ssl_event())
    assert sign(SECRET, body) != sign(SECRET, body + b" ")
    assert notice_of(body).event_key.startswith("ssl_expiring:anasouza.com.br:")
