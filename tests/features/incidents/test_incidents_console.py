"""`/console/incidents` over real HTTP: an operator opens, updates and closes an incident; a
customer who asked reads the update and is told of the closing; each move is audited under the
operator's username, and a POST without the session's CSRF token changes nothing."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from dresbach.platform.store.schema import audit_log, incidents
from tests.features.operators.test_console import Console, console, token_in
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the operator's browser fixture, logged in below

PASSWORD = "cafe-com-leite-42"
USER = "5511966667777"


@pytest.fixture
def operator(console: Console) -> Console:
    assert console.login("ana", PASSWORD).status_code == 303
    return console


def post(console: Console, path: str, **data: str) -> httpx.Response:
    token = token_in(console.http.get(f"{console.origin}/console/incidents").text)
    return console.http.post(f"{console.origin}{path}", data={"csrf_token": token, **data})


def test_an_operator_opens_updates_and_closes_an_incident_from_the_console(
    stack: Stack, operator: Console
) -> None:
    page = operator.http.get(f"{operator.origin}/console/incidents")
    assert page.status_code == 200
    assert "Nenhum incidente aberto." in page.text

    refused = operator.http.post(
        f"{operator.origin}/console/incidents",
        data={"csrf_token": "forjado", "title": "x", "message": "y"},
    )
    assert refused.status_code == 403
    empty = post(operator, "/console/incidents", title="Sem mensagem", message=" ")
    assert empty.status_code == 400
    assert "Informe uma mensagem" in empty.text

    opened = post(
        operator,
        "/console/incidents",
        title="Instabilidade no servidor br2",
        servers="br2.dresbach.com.br",
        message="O servidor br2 está reiniciando.",
    )
    assert opened.status_code == 303
    with stack.container.db.engine.connect() as connection:
        incident_id = connection.execute(select(incidents.c.incident_id)).scalar_one()

    customer = stack.customer(USER)
    customer.says("oi")
    first = "\n".join(text_of(m) for m in customer.says("meu site caiu"))
    assert "O servidor br2 está reiniciando." in first

    updated = post(
        operator,
        f"/console/incidents/{incident_id}/update",
        title="Instabilidade no servidor br2",
        servers="br2.dresbach.com.br",
        message="O servidor br2 voltou; estamos validando os sites.",
    )
    assert updated.status_code == 303
    page = operator.http.get(f"{operator.origin}/console/incidents?feito=atualizado")
    assert "O servidor br2 voltou" in page.text
    assert re.search(r'data-testid="asked">1<', page.text)
    again = "\n".join(text_of(m) for m in customer.says("site fora do ar"))
    assert "O servidor br2 voltou; estamos validando os sites." in again

    closed = post(operator, f"/console/incidents/{incident_id}/close")
    assert closed.status_code == 303
    told = customer.waits_for_reply()
    assert text_of(told[0]).startswith("✅ Resolvido: *Instabilidade no servidor br2*")
    page = operator.http.get(f"{operator.origin}/console/incidents")
    assert "Nenhum incidente aberto." in page.text
    assert "Encerrados recentemente" in page.text
    twice = post(operator, f"/console/incidents/{incident_id}/close")
    assert twice.status_code == 409

    with stack.container.db.engine.connect() as connection:
        moves = connection.execute(
            select(audit_log.c.action, audit_log.c.who).where(audit_log.c.action.like("incident_%"))
        ).all()
    assert [tuple(m) for m in moves] == [
        ("incident_opened", "ana"),
        ("incident_updated", "ana"),
        ("incident_closed", "ana"),
    ]
