"""Canned replies in the console over real HTTP (SQLite and PostgreSQL): managed on
`/console/canned`, offered while the operator types `/dns`, and sent filled in for this
customer; a reply whose variable this hand-off lacks is refused, and nothing reaches WhatsApp."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from dresbach.features.operators import roles
from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import audit_log
from tests.features.operators.test_console import Console, console, waiting_handoff
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the fixture, shared
PASSWORD = "cafe-com-leite-42"


def test_a_canned_reply_is_managed_offered_and_sent_filled_in(
    stack: Stack, console: Console
) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    saved = console.post(
        "/console/canned",
        shortcut="/prazo",
        title="Tempo de propagação",
        body="{nome}, a propagação do DNS leva até 24 horas.",
    )
    assert saved.headers["location"] == "/console/canned?feito=salva"
    refused = console.post("/console/canned", shortcut="dns", title="DNS", body="Oi {cliente}")
    assert refused.status_code == 409
    assert "Variável desconhecida: {cliente}" in refused.text
    assert (
        console.post(
            "/console/canned", shortcut="dns", title="DNS", body="Aponte {dominio} para ns1."
        ).status_code
        == 303
    )
    listing = console.http.get(f"{stack.origin}/console/canned").text
    assert "/prazo" in listing
    assert "/dns" in listing
    editing = console.http.get(f"{stack.origin}/console/canned?editar=dns").text
    assert "Alterar /dns" in editing
    assert ">Aponte {dominio} para ns1.</textarea>" in editing

    customer, handoff_id = waiting_handoff(stack, console)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()

    offered = console.http.get(
        f"{stack.origin}/console/conversations/{handoff_id}/canned", params={"body": "/pra"}
    ).text
    assert "Cliente, a propagação do DNS leva até 24 horas." in offered
    lacking = console.http.get(
        f"{stack.origin}/console/conversations/{handoff_id}/canned", params={"body": "/dn"}
    ).text
    assert "usa {dominio}, mas este atendimento não tem" in lacking
    assert 'data-testid="send-canned"' not in lacking

    not_sent = console.post(f"/console/conversations/{handoff_id}/reply", body="/dns")
    assert not_sent.status_code == 409
    assert "usa {dominio}" in not_sent.text
    sent = console.post(f"/console/conversations/{handoff_id}/reply", canned="prazo")
    assert sent.status_code == 303
    [reply] = customer.waits_for_reply()
    assert text_of(reply) == "*Ana Lima:* Cliente, a propagação do DNS leva até 24 horas."
    typed = console.post(f"/console/conversations/{handoff_id}/reply", body=" /prazo ")
    assert typed.status_code == 303
    [again] = customer.waits_for_reply()
    assert "{" not in text_of(again)
    with stack.container.db.engine.connect() as connection:
        actions = list(
            connection.execute(select(audit_log.c.action).where(audit_log.c.who == "ana")).scalars()
        )
    assert actions.count("canned_reply_created") == 2
    assert actions.count("handoff_reply") == 2


def test_an_operator_uses_canned_replies_but_only_an_admin_manages_them_and_leads_see_reports(
    stack: Stack, console: Console
) -> None:
    """Roles: every operator reads the canned replies (and sends them from a conversation);
    saving or removing one is an admin's; the reports are for team leads and admins."""
    engine = stack.container.db.engine
    now = datetime.now(UTC)
    operators.add_operator(engine, "bruno", "Bruno Reis", PASSWORD, None, now, by="test")
    assert console.login("bruno", PASSWORD).status_code == 303
    assert console.http.get(f"{stack.origin}/console/canned").status_code == 200
    refused = console.post("/console/canned", shortcut="dns", title="DNS", body="Aponte ns1.")
    assert refused.status_code == 403
    assert console.post("/console/canned/remove", shortcut="dns").status_code == 403
    assert console.http.get(f"{stack.origin}/console/reports").status_code == 403
    assert console.http.get(f"{stack.origin}/console/reports.csv").status_code == 403
    roles.set_role(engine, "bruno", "team_lead", now, by="test")
    assert console.http.get(f"{stack.origin}/console/reports").status_code == 200
    assert console.post("/console/canned", shortcut="dns", title="DNS", body="x").status_code == 403
