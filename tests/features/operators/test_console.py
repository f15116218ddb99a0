"""The operator console over real HTTP, against the real app, its workers and a fake Graph API.

An operator logs in (a wrong password is refused), a POST without the session's CSRF token
changes nothing, and the review of a static Pix receipt reaches the customer: approving emits
the same `PaymentConfirmed` as `dresbach payments confirm` (the customer gets the receipt),
rejecting tells the customer why and leaves the charge open.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select

from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import (
    audit_log,
    conversations,
    handoffs,
    inbox,
    payment_receipts,
    payments,
)
from tests.features.techops.test_techops_over_whatsapp import walk_to_the_pix
from tests.support.console import receipt_image, status_webhook
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack

USER = "5511955554444"
PASSWORD = "cafe-com-leite-42"


@dataclass
class Console:
    """An operator's browser, minus the browser: a cookie jar over real HTTP."""

    origin: str
    http: httpx.Client

    def csrf(self, path: str = "/console/payments") -> str:
        return token_in(self.http.get(f"{self.origin}{path}").text)

    def login(self, username: str, password: str) -> httpx.Response:
        page = self.http.get(f"{self.origin}/console/login")
        return self.http.post(
            f"{self.origin}/console/login",
            data={"username": username, "password": password, "csrf_token": token_in(page.text)},
        )

    def post(self, path: str, **data: str) -> httpx.Response:
        return self.http.post(f"{self.origin}{path}", data={"csrf_token": self.csrf(), **data})


def token_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


@pytest.fixture
def console(stack: Stack) -> Iterator[Console]:
    operators.add_operator(
        stack.container.db.engine,
        "ana",
        "Ana Lima",
        PASSWORD,
        None,
        datetime.now(UTC),
        by="test",
        role="admin",  # manages canned replies and reads the reports
    )
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        yield Console(stack.origin, http)


def customer_with_a_receipt(stack: Stack) -> tuple[Customer, dict[str, Any]]:
    """The customer walks to a static Pix and sends a photo of the receipt."""
    customer = stack.customer(USER)
    walk_to_the_pix(customer)
    assert stack.meta.post(receipt_image(USER, stack.meta.message_id())).status_code == 200
    stored = "\n".join(text_of(m) for m in customer.waits_for_reply())
    assert "Recebi o seu comprovante" in stored
    with stack.container.db.engine.connect() as connection:
        payment = dict(connection.execute(select(payments)).mappings().one())
    assert payment["provider"] == "static"
    return customer, payment


def receipt_statuses(stack: Stack) -> list[str]:
    with stack.container.db.engine.connect() as connection:
        return list(connection.execute(select(payment_receipts.c.status)).scalars())


def audited(stack: Stack, action: str) -> list[tuple[str, str]]:
    with stack.container.db.engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.who, audit_log.c.detail).where(audit_log.c.action == action)
        )
        return [(r.who, r.detail) for r in rows]


# ---- login, cookie and CSRF ------------------------------------------------------------------


def test_a_wrong_password_is_refused_like_an_unknown_user(stack: Stack, console: Console) -> None:
    wrong = console.login("ana", "nao-e-esta-senha")
    unknown = console.login("ninguem", PASSWORD)
    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert "Usuário ou senha incorretos." in wrong.text
    assert "Usuário ou senha incorretos." in unknown.text
    assert "dresbach_console" not in console.http.cookies
    page = console.http.get(f"{stack.origin}/console/payments")
    assert page.status_code == 303
    assert page.headers["location"] == "/console/login?next=/console/payments"


def test_the_session_cookie_is_httponly_strict_and_limited_to_the_console(
    stack: Stack, console: Console
) -> None:
    ok = console.login("ana", PASSWORD)
    assert ok.status_code == 303
    assert ok.headers["location"] == "/console"
    cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith("dresbach_console="))
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "path=/console", "samesite=strict"} <= attributes
    assert "secure" not in attributes  # DRESBACH_INSECURE_COOKIES=1: plain http on 127.0.0.1
    page = console.http.get(f"{stack.origin}/console/payments")
    assert page.status_code == 200
    assert "Ana Lima" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def cookie_attributes(stack: Stack) -> tuple[set[str], set[str]]:
    """The attributes of the login form's cookie and of the session cookie, after a login."""
    operators.add_operator(
        stack.container.db.engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="t"
    )
    with httpx.Client(trust_env=False, timeout=10) as http:
        page = http.get(f"{stack.origin}/console/login")
        form_cookie = page.headers["set-cookie"]
        ok = http.post(
            f"{stack.origin}/console/login",
            data={"username": "ana", "password": PASSWORD, "csrf_token": token_in(page.text)},
            headers={"Cookie": f"dresbach_console_login={page.cookies['dresbach_console_login']}"},
        )
    assert ok.status_code == 303
    cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith("dresbach_console="))
    return (
        {a.strip().lower() for a in form_cookie.split(";")[1:]},
        {a.strip().lower() for a in cookie.split(";")[1:]},
    )


def test_the_cookies_are_secure_whatever_the_public_url_says(stack_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Production: Secure, even when DRESBACH_PUBLIC_URL is (wrongly) http; only an explicit
    DRESBACH_INSECURE_COOKIES=1 or the sandbox turns it off."""
    for n, public_url in enumerate(("http://atende.dresbach.com.br", "https://atende.x.com.br")):
        url = f"sqlite:///{tmp_path}/production{n}.sqlite3"
        stack: Stack = stack_factory(url, public_url=public_url, insecure_cookies=False)
        form, session = cookie_attributes(stack)
        assert "secure" in form, public_url
        assert "secure" in session, public_url


def test_the_cookies_are_plain_only_in_the_sandbox(stack_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(
        f"sqlite:///{tmp_path}/sandbox.sqlite3", sandbox=True, insecure_cookies=False
    )
    form, session = cookie_attributes(stack)
    assert "secure" not in form
    assert "secure" not in session


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(
    stack: Stack, console: Console
) -> None:
    # the login form itself needs its token
    no_token = console.http.post(
        f"{stack.origin}/console/login", data={"username": "ana", "password": PASSWORD}
    )
    assert no_token.status_code == 403
    assert "Ação recusada" in no_token.text
    assert "dresbach_console" not in console.http.cookies

    assert console.login("ana", PASSWORD).status_code == 303
    for data in ({}, {"csrf_token": "forjado"}):
        refused = console.http.post(f"{stack.origin}/console/logout", data=data)
        assert refused.status_code == 403
        assert "Nada foi alterado" in refused.text
    assert console.http.get(f"{stack.origin}/console/payments").status_code == 200  # still in

    # htmx sends the token as a header; then the logout works and the session is gone
    token = console.csrf()
    out = console.http.post(f"{stack.origin}/console/logout", headers={"X-CSRF-Token": token})
    assert out.status_code == 303
    assert out.headers["location"] == "/console/login?saiu=1"
    assert console.http.get(f"{stack.origin}/console/payments").status_code == 303
    assert audited(stack, "operator_logout") == [("ana", None)]


def test_an_unauthenticated_htmx_poll_is_sent_to_the_login(stack: Stack, console: Console) -> None:
    poll = console.http.get(f"{stack.origin}/console/leads", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert poll.headers["hx-redirect"] == "/console/login?next=/console/leads"


def test_the_login_never_sends_the_operator_elsewhere(stack: Stack, console: Console) -> None:
    page = console.http.get(f"{stack.origin}/console/login")
    ok = console.http.post(
        f"{stack.origin}/console/login",
        data={
            "username": "ana",
            "password": PASSWORD,
            "csrf_token": token_in(page.text),
            "next": "//evil.example/console",
        },
    )
    assert ok.headers["location"] == "/console"


# ---- payment review --------------------------------------------------------------------------


def test_approving_a_receipt_confirms_the_payment_and_the_customer_gets_the_receipt(
    stack: Stack, console: Console
) -> None:
    customer, payment = customer_with_a_receipt(stack)
    txid = payment["txid"]
    assert receipt_statuses(stack) == ["pending"]
    assert console.login("ana", PASSWORD).status_code == 303

    # the operator sees the receipt waiting, with the amount and the txid
    page = console.http.get(f"{stack.origin}/console/payments")
    assert "Maria Souza" in page.text
    assert "R$ 2.000,00" in page.text
    assert txid in page.text

    approved = console.post(f"/console/payments/{txid}/approve")
    assert approved.status_code == 303
    assert approved.headers["location"] == "/console/payments?feito=aprovado"
    after = console.http.get(f"{stack.origin}{approved.headers['location']}")
    assert "Pagamento confirmado. O cliente recebe o recibo." in after.text
    assert "Nenhum comprovante aguardando conferência." in after.text

    # the customer gets the receipt on WhatsApp
    receipt = "\n".join(text_of(m) for m in customer.waits_for_reply(timeout=20))
    assert "Pagamento confirmado" in receipt
    assert "R$ 2.000,00" in receipt
    assert txid in receipt

    # the same PaymentConfirmed as the CLI reached the conversation, once
    with stack.container.db.engine.connect() as connection:
        events = connection.execute(
            select(inbox.c.kind, inbox.c.payload).where(inbox.c.message_id == f"{txid}:paid")
        ).all()
        paid = connection.execute(select(payments)).mappings().one()
    assert [kind for kind, _ in events] == ["payment_confirmed"]
    assert orjson.loads(events[0][1])["confirmed_by"] == "ana"
    assert (paid["status"], paid["decided_by"]) == ("paid", "ana")
    assert receipt_statuses(stack) == ["approved"]
    assert audited(stack, "payment_approved") == [("ana", f"txid {txid}: confirmed")]

    # approving twice changes nothing and says so
    again = console.post(f"/console/payments/{txid}/approve")
    assert again.headers["location"] == "/console/payments?feito=ja-pago"
    shown = console.http.get(f"{stack.origin}{again.headers['location']}").text
    assert "Este pagamento já estava confirmado; nada mudou." in shown
    time.sleep(0.5)
    assert sum("Pagamento confirmado" in text_of(m) for m in customer.replies()) == 1


def test_an_open_charge_without_a_receipt_is_confirmed_after_the_statement_shows_it(
    stack: Stack, console: Console
) -> None:
    customer = stack.customer(USER)
    walk_to_the_pix(customer)
    with stack.container.db.engine.connect() as connection:
        txid = connection.execute(select(payments.c.txid)).scalar_one()
    assert console.login("ana", PASSWORD).status_code == 303
    page = console.http.get(f"{stack.origin}/console/payments").text
    assert "Cobranças abertas sem comprovante" in page
    assert f'data-txid="{txid}"' in page
    assert "Nenhum comprovante aguardando conferência." in page

    confirmed = console.post(f"/console/payments/{txid}/approve")
    assert confirmed.headers["location"] == "/console/payments?feito=aprovado"
    after = console.http.get(f"{stack.origin}/console/payments").text
    assert "Nenhuma cobrança aberta." in after
    receipt = "\n".join(text_of(m) for m in customer.waits_for_reply(timeout=20))
    assert "Pagamento confirmado" in receipt
    assert audited(stack, "payment_approved") == [("ana", f"txid {txid}: confirmed")]


def test_rejecting_a_receipt_tells_the_customer_why_and_keeps_the_pix_open(
    stack: Stack, console: Console
) -> None:
    customer, payment = customer_with_a_receipt(stack)
    txid = payment["txid"]
    assert console.login("ana", PASSWORD).status_code == 303

    blank = console.post(f"/console/payments/{txid}/reject", reason="   ")
    assert blank.status_code == 400
    assert "Escreva o motivo da recusa" in blank.text
    assert receipt_statuses(stack) == ["pending"]

    # an amount would be held back by the funnel's price guard: the console says so up front
    with_amount = console.post(
        f"/console/payments/{txid}/reject", reason="o comprovante é de R$ 20,00"
    )
    assert with_amount.status_code == 400
    assert "sem valores em dinheiro" in with_amount.text
    assert receipt_statuses(stack) == ["pending"]

    reason = "o valor do comprovante é diferente do cobrado"
    rejected = console.post(f"/console/payments/{txid}/reject", reason=reason)
    assert rejected.status_code == 303
    told = "\n".join(text_of(m) for m in customer.waits_for_reply(timeout=20))
    assert "Não consegui confirmar o seu pagamento. A nossa equipe explicou:" in told
    assert "“O valor do comprovante é diferente do cobrado.”" in told

    with stack.container.db.engine.connect() as connection:
        events = connection.execute(
            select(inbox.c.kind).where(inbox.c.message_id.like(f"{txid}:rejected:%"))
        ).all()
        row = connection.execute(select(payments)).mappings().one()
    assert [e.kind for e in events] == ["payment_rejected"]
    assert row["status"] == "active"
    assert row["note"] == f"recusado: {reason}"
    assert row["decided_by"] == "ana"
    assert receipt_statuses(stack) == ["rejected"]
    assert audited(stack, "payment_rejected") == [("ana", f"txid {txid}: {reason}")]
    page = console.http.get(f"{stack.origin}/console/payments")
    assert "Nenhum comprovante aguardando conferência." in page.text


def test_a_pix_from_a_bank_api_cannot_be_approved_by_hand(stack: Stack, console: Console) -> None:
    with stack.container.db.engine.begin() as connection:
        connection.execute(
            payments.insert().values(
                txid="MP123",
                provider="mercadopago",
                provider_id="1",
                conversation_key=USER,
                lead_id="lead-1",
                amount="1500.00",
                copia_e_cola="000201",
                status="active",
                created_at=datetime.now(UTC),
                expires_at=datetime.now(UTC),
            )
        )
    assert console.login("ana", PASSWORD).status_code == 303
    refused = console.post("/console/payments/MP123/approve")
    assert refused.status_code == 409
    assert "confirmada pela consulta ao banco" in refused.text


# ---- the hand-off ----------------------------------------------------------------------------


def waiting_handoff(stack: Stack, console: Console) -> tuple[Customer, int]:
    """The customer asks for a person: the real path, from a signed webhook to the queue."""
    customer = stack.customer(USER)
    customer.says("oi")
    customer.says("atendente")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        queue = console.http.get(f"{stack.origin}/console/partials/queue").text
        found = re.search(r'data-testid="queue-item" data-handoff="(\d+)"', queue)
        if found:
            return customer, int(found.group(1))
        time.sleep(0.2)
    raise AssertionError("the hand-off never reached the queue")


def history_of(stack: Stack, console: Console, handoff_id: int) -> str:
    return console.http.get(f"{stack.origin}/console/conversations/{handoff_id}/history").text


def test_an_operator_takes_a_waiting_conversation_replies_and_hands_it_back(
    stack: Stack, console: Console
) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)

    # the queue shows who waits, in which place, and why
    queue = console.http.get(f"{stack.origin}/console")
    assert "Cliente Teste" in queue.text
    assert "posição 1 na fila" in queue.text
    assert "pediu para falar com um atendente" in queue.text
    assert 'hx-trigger="every 3s"' in queue.text

    # taking it without the CSRF token changes nothing
    forged = console.http.post(f"{stack.origin}/console/conversations/{handoff_id}/take")
    assert forged.status_code == 403
    assert "posição 1 na fila" in console.http.get(f"{stack.origin}/console/partials/queue").text

    taken = console.post(f"/console/conversations/{handoff_id}/take")
    assert taken.status_code == 303
    joined = "\n".join(text_of(m) for m in customer.waits_for_reply())
    assert "Ana Lima" in joined

    # the operator replies; the customer gets it on WhatsApp, signed with her name
    sent = console.post(
        f"/console/conversations/{handoff_id}/reply", body="Olá! Sou a Ana. Como posso ajudar?"
    )
    assert sent.status_code == 303
    (reply,) = customer.waits_for_reply()
    assert text_of(reply) == "*Ana Lima:* Olá! Sou a Ana. Como posso ajudar?"

    # the history shows the reply and, once WhatsApp reports it, that it was delivered
    wamid = next(r.wamid for r in stack.graph.requests if r.body == reply)
    assert wamid is not None
    deadline = time.monotonic() + 10
    while "enviada ✓" not in history_of(stack, console, handoff_id):
        assert time.monotonic() < deadline, history_of(stack, console, handoff_id)
        time.sleep(0.1)
    assert stack.meta.post(status_webhook(USER, wamid, "delivered")).status_code == 200
    shown = history_of(stack, console, handoff_id)
    entry = shown[shown.index("Olá! Sou a Ana.") :]
    assert "entregue ✓✓" in entry.split("</li>")[0]

    # the customer writes to the person; the bot keeps quiet, the console shows it
    assert stack.meta.says(USER, "Meu site está fora do ar desde ontem").status_code == 200
    deadline = time.monotonic() + 10
    while "Meu site está fora do ar desde ontem" not in history_of(stack, console, handoff_id):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(0.5)
    assert customer.replies()[customer.seen :] == []

    back = console.post(f"/console/conversations/{handoff_id}/hand-back")
    assert back.status_code == 303
    assert back.headers["location"] == "/console?feito=devolvido"
    resumed = "\n".join(text_of(m) for m in customer.waits_for_reply())
    assert "Como posso ajudar você hoje?" in resumed
    assert "Ninguém aguardando" in console.http.get(f"{stack.origin}/console/partials/queue").text
    assert [who for who, _ in audited(stack, "handoff_taken")] == ["ana"]
    assert [who for who, _ in audited(stack, "handoff_reply")] == ["ana"]
    assert [who for who, _ in audited(stack, "handoff_returned")] == ["ana"]


def test_only_the_operator_who_took_it_may_reply_and_closing_ends_it(
    stack: Stack, console: Console
) -> None:
    operators.add_operator(
        stack.container.db.engine, "bia", "Bia Souza", PASSWORD, None, datetime.now(UTC), by="t"
    )
    assert console.login("ana", PASSWORD).status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()

    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        bia = Console(stack.origin, http)
        assert bia.login("bia", PASSWORD).status_code == 303
        page = http.get(f"{stack.origin}/console/conversations/{handoff_id}")
        assert "Este atendimento está com ana" in page.text
        assert 'data-testid="reply-form"' not in page.text
        refused = bia.post(f"/console/conversations/{handoff_id}/reply", body="Oi, aqui é a Bia")
        assert refused.status_code == 409
        assert "só quem assumiu pode responder" in refused.text
        taken = bia.post(f"/console/conversations/{handoff_id}/take")
        assert taken.status_code == 409
        assert "já está com ana" in taken.text

    empty = console.post(f"/console/conversations/{handoff_id}/reply", body="   ")
    assert empty.status_code == 409
    assert "Escreva a mensagem antes de enviar." in empty.text
    long = "Segue o passo a passo. " * 200
    too_long = console.post(f"/console/conversations/{handoff_id}/reply", body=long)
    assert too_long.status_code == 409
    assert "o WhatsApp aceita até 4096" in too_long.text
    assert long.strip() in too_long.text  # the draft is kept in the text box
    unlabelled = console.post(f"/console/conversations/{handoff_id}/close")
    assert unlabelled.status_code == 409
    assert "Escolha o motivo do atendimento antes de encerrar." in unlabelled.text
    closed = console.post(f"/console/conversations/{handoff_id}/close", label="dns_domain")
    assert closed.headers["location"] == "/console?feito=encerrado"
    customer.waits_for_reply()
    page = console.http.get(f"{stack.origin}/console/conversations/{handoff_id}")
    assert "Este atendimento já foi encerrado." in page.text
    with stack.container.db.engine.connect() as connection:
        kept = connection.execute(
            select(handoffs.c.label).where(handoffs.c.id == handoff_id)
        ).scalar()
    assert kept == "dns_domain"
    missing = console.http.get(f"{stack.origin}/console/conversations/999999")
    assert missing.status_code == 404


def test_after_24_hours_the_console_says_the_reply_goes_as_a_template(
    stack: Stack, console: Console
) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)
    assert "Janela de 24 h fechada" not in history_of(stack, console, handoff_id)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()

    # a day passes without a word from the customer
    with stack.container.db.engine.begin() as connection:
        connection.execute(
            conversations.update()
            .where(conversations.c.key == USER)
            .values(last_inbound_at=datetime.now(UTC) - timedelta(hours=25))
        )
    stack.graph.outside_window.add(USER)
    page = console.http.get(f"{stack.origin}/console/conversations/{handoff_id}")
    assert "Janela de 24 h fechada: a resposta sai como modelo aprovado." in page.text
    queue = console.http.get(f"{stack.origin}/console/partials/queue")
    assert "janela de 24 h fechada" in queue.text

    assert (
        console.post(
            f"/console/conversations/{handoff_id}/reply", body="Consegui verificar o seu caso."
        ).status_code
        == 303
    )
    (sent,) = customer.waits_for_reply(timeout=20)
    assert sent["type"] == "template"


# ---- leads and bookings ----------------------------------------------------------------------


def test_leads_and_bookings_follow_the_funnel_into_the_console(
    stack: Stack, console: Console
) -> None:
    customer, payment = customer_with_a_receipt(stack)
    assert console.login("ana", PASSWORD).status_code == 303

    offered = console.http.get(f"{stack.origin}/console/leads?status=offered")
    assert offered.text.count('data-testid="lead"') == 1
    assert "Maria Souza" in offered.text
    assert "proposta enviada" in offered.text
    assert "Loja Exemplo" in offered.text
    assert "Arquitetura de sistemas" in offered.text  # the area's name, not its code
    assert "De 10 a 49 pessoas" in offered.text
    paid = console.http.get(f"{stack.origin}/console/leads?status=paid")
    assert "Nenhum lead nesta situação." in paid.text
    unknown = console.http.get(f"{stack.origin}/console/leads?status=<script>")
    assert unknown.text.count('data-testid="lead"') == 1  # an unknown filter shows all
    assert "<script>" not in unknown.text.split("<main", 1)[1]
    empty = console.http.get(f"{stack.origin}/console/bookings")
    assert "Nenhuma reunião agendada ainda." in empty.text

    # the payment is approved; the customer picks the first slot offered
    assert console.post(f"/console/payments/{payment['txid']}/approve").status_code == 303
    deadline = time.monotonic() + 20
    while not any(
        m.get("type") == "interactive" and "Outros horários" in str(m) for m in customer.replies()
    ):
        assert time.monotonic() < deadline, [text_of(m) for m in customer.replies()]
        time.sleep(0.1)
    customer.waits_for_reply()
    slots = next(m for m in reversed(customer.replies()) if "Outros horários" in str(m))[
        "interactive"
    ]["action"]["sections"][0]["rows"]
    first = slots[0]["title"]
    customer.taps(first)
    deadline = time.monotonic() + 20
    while 'data-testid="booking"' not in (
        page := console.http.get(f"{stack.origin}/console/bookings?status=booked").text
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert first in page
    assert "agendada" in page
    assert "Nenhuma reunião nesta situação." in (
        console.http.get(f"{stack.origin}/console/bookings?status=cancelled").text
    )
    scheduled = console.http.get(f"{stack.origin}/console/leads?status=scheduled")
    assert scheduled.text.count('data-testid="lead"') == 1

    # the consultant's hand-off waits in the queue with the payment and the meeting
    deadline = time.monotonic() + 20
    while "Reunião:" not in (queue := console.http.get(f"{stack.origin}/console").text):
        assert time.monotonic() < deadline, queue
        time.sleep(0.2)
    assert "Pagamento: R$ 2.000,00, paga" in queue
    assert "diagnóstico pago e reunião agendada" in queue


def booked_customer(stack: Stack, console: Console) -> Customer:
    """The customer pays (the receipt approved in the console) and books the first slot."""
    customer, payment = customer_with_a_receipt(stack)
    assert console.login("ana", PASSWORD).status_code == 303
    assert console.post(f"/console/payments/{payment['txid']}/approve").status_code == 303
    deadline = time.monotonic() + 20
    while not any("Outros horários" in str(m) for m in customer.replies()):
        assert time.monotonic() < deadline, [text_of(m) for m in customer.replies()]
        time.sleep(0.1)
    customer.waits_for_reply()
    slots = next(m for m in reversed(customer.replies()) if "Outros horários" in str(m))
    first = slots["interactive"]["action"]["sections"][0]["rows"][0]["title"]
    replies = customer.taps(first)
    while not any(m.get("type") == "document" for m in replies):
        replies += customer.waits_for_reply(timeout=20)
    return customer


def test_an_operator_sets_the_meeting_link_and_the_customer_gets_it_in_the_chat(
    stack: Stack, console: Console
) -> None:
    """#10.4: with no fixed room and no link from the calendar, nothing promises a link that
    never comes; the operator sets it on the bookings page and it reaches the customer."""
    customer = booked_customer(stack, console)
    confirmation = next(text_of(m) for m in customer.replies() if "Reunião marcada" in text_of(m))
    assert "o link chega no convite" not in confirmation
    assert "A nossa equipe ainda vai criar o link" in confirmation
    asked = "\n".join(text_of(m) for m in customer.says("qual o link da reunião?"))
    assert "ainda não foi criado pela nossa equipe" in asked

    page = console.http.get(f"{stack.origin}/console/bookings").text
    found = re.search(r'name="booking_id" value="([^"]+)"', page)
    assert found, page
    booking_id = html.unescape(found.group(1))
    refused = console.post("/console/bookings/link", booking_id=booking_id, link="javascript:x")
    assert refused.status_code == 400
    assert "Informe um link que comece com https://" in refused.text
    link = "https://meet.google.com/abc-defg-hij"
    saved = console.post("/console/bookings/link", booking_id=booking_id, link=link)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console/bookings?feito=link"
    told = customer.waits_for_reply(timeout=20)
    while not any(m.get("type") == "document" for m in told):
        told += customer.waits_for_reply(timeout=20)
    assert any(link in text_of(m) and "está pronto" in text_of(m) for m in told)
    (updated,) = [m for m in told if m.get("type") == "document"]
    assert updated["document"]["filename"] == "diagnostico-dresbach.ics"
    answered = "\n".join(text_of(m) for m in customer.says("qual o link da reunião?"))
    assert answered.endswith(f"é: {link}")
    shown = console.http.get(f"{stack.origin}/console/bookings?feito=link").text
    assert "Link salvo." in shown
    assert f'value="{link}"' in shown
    assert [who for who, _ in audited(stack, "meeting_link_set")] == ["ana"]


def test_an_amount_before_the_diagnosis_goes_only_once_the_operator_confirms_it(
    stack: Stack, console: Console
) -> None:
    """#10.10: no project price before the diagnosis is the company's rule, not only the bot's.
    The console warns, keeps the draft, and sends it only on an explicit confirmation, which is
    audited. The diagnosis fee, which the customer has seen, is not a project price."""
    customer = stack.customer(USER)
    walk_to_the_pix(customer)
    customer.says("atendente")
    assert console.login("ana", PASSWORD).status_code == 303
    deadline = time.monotonic() + 10
    while not (
        found := re.search(
            r'data-testid="queue-item" data-handoff="(\d+)"',
            console.http.get(f"{stack.origin}/console/partials/queue").text,
        )
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    handoff_id = int(found.group(1))
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()

    price = "O projeto completo fica entre R$ 15.000 e R$ 30.000."
    warned = console.post(f"/console/conversations/{handoff_id}/reply", body=price)
    assert warned.status_code == 409
    assert 'data-testid="price-warning"' in warned.text
    assert "este cliente ainda não fez o diagnóstico" in warned.text
    assert 'name="confirm_price" value="1"' in warned.text
    assert price in warned.text  # the draft is kept
    time.sleep(0.5)
    assert customer.replies()[customer.seen :] == []  # nothing left
    assert audited(stack, "handoff_reply") == []

    also = console.post(f"/console/conversations/{handoff_id}/reply", body="Uns 20 mil, talvez.")
    assert also.status_code == 409

    fee = console.post(
        f"/console/conversations/{handoff_id}/reply",
        body="O diagnóstico custa R$ 2.000,00 e é pago via Pix.",
    )
    assert fee.status_code == 303  # the fee of the offer: no warning
    (said,) = customer.waits_for_reply()
    assert "R$ 2.000,00" in text_of(said)

    confirmed = console.post(
        f"/console/conversations/{handoff_id}/reply", body=price, confirm_price="1"
    )
    assert confirmed.status_code == 303
    (said,) = customer.waits_for_reply()
    assert text_of(said) == f"*Ana Lima:* {price}"
    assert [who for who, _ in audited(stack, "handoff_reply_price_confirmed")] == ["ana"]
    assert [who for who, _ in audited(stack, "handoff_reply")] == ["ana", "ana"]


def test_amounts_outside_tech_ops_go_without_a_warning(stack: Stack, console: Console) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()
    sent = console.post(
        f"/console/conversations/{handoff_id}/reply",
        body="A fatura de R$ 49,90 vence amanhã; pode pagar pelo boleto.",
    )
    assert sent.status_code == 303
    (said,) = customer.waits_for_reply()
    assert "R$ 49,90" in text_of(said)
