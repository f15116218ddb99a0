"""The whole app, as it runs: the workers' timer polls WHMCS (its fake, over HTTP) and the
notice reaches WhatsApp (the fake Graph API) as the approved template, once, for a customer who
never wrote to us; a client without a phone in WHMCS gets nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from dresbach.config import Secret
from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.clock import utcnow
from tests.fakes.whmcs import DEFAULT_IDENTIFIER, DEFAULT_SECRET, FakeWhmcs, WhmcsState
from tests.support.meta import replies_to
from tests.support.stack_fixtures import Stack

ANA = "5511987654321"


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    state = WhmcsState()
    for records in (state.invoices, state.tickets, state.domains, state.products):
        records.clear()
    for client_id, client in state.clients.items():
        if client_id != 1:
            client["phonenumber"] = ""  # only Ana can be reached
    today = utcnow().astimezone(SAO_PAULO).date()
    for invoice_id, client_id in ((600, 1), (601, 2)):
        state.invoices[invoice_id] = {
            "id": invoice_id,
            "userid": client_id,
            "invoicenum": f"2026/{invoice_id}",
            "date": (today - timedelta(days=20)).isoformat(),
            "duedate": (today + timedelta(days=2)).isoformat(),
            "datepaid": "0000-00-00 00:00:00",
            "total": "59.90",
            "status": "Unpaid",
            "items": [{"description": "Hospedagem Plus", "amount": "59.90"}],
        }
    with FakeWhmcs(state=state) as fake:
        yield fake


def test_the_workers_poll_whmcs_and_the_template_reaches_the_customer_once(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, whmcs: FakeWhmcs
):
    stack: Stack = stack_factory(
        sqlite_url,
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(DEFAULT_SECRET),
        whmcs_document_field="7",
        notices_poll_minutes=1,
    )
    [sent] = stack.waits_until_sent(1, ANA)
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "aviso_fatura_vencendo"
    params = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
    assert params[:3] == ["Ana", "nº 2026/600", "R$ 59,90"]
    assert len(whmcs.state.calls_of("GetInvoices")) >= 1
    time.sleep(1.0)
    assert len(replies_to(stack.graph.requests, ANA)) == 1
    assert [r for r in stack.graph.requests if not r.is_read_receipt and r.recipient != ANA] == []
