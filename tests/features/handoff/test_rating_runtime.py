"""The close with a label and the customer's rating, end to end over real HTTP on SQLite and
PostgreSQL: the operator closes from the console, the customer taps a score in the list that
reaches WhatsApp, writes a comment, and the hand-off keeps all of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dresbach.platform.store.schema import audit_log, handoffs
from tests.features.operators.test_console import Console, console, waiting_handoff
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the fixture, shared


def handoff_row(stack: Stack, handoff_id: int) -> dict[str, Any]:
    with stack.container.db.engine.connect() as connection:
        row = connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).mappings()
        return dict(row.one())


def test_closed_with_a_label_then_the_customer_rates_it_once(
    stack: Stack, console: Console
) -> None:
    assert console.login("ana", "cafe-com-leite-42").status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    customer.waits_for_reply()
    sent = console.post(f"/console/conversations/{handoff_id}/reply", body="Já está no ar.")
    assert sent.status_code == 303
    customer.waits_for_reply()
    assert handoff_row(stack, handoff_id)["first_reply_at"] is not None

    closed = console.post(f"/console/conversations/{handoff_id}/close", label="technical")
    assert closed.status_code == 303
    goodbye, question = customer.waits_for_reply()
    assert text_of(goodbye) == "Ana Lima encerrou o atendimento. Agradecemos o contato!"
    assert question["interactive"]["type"] == "list"
    assert text_of(question) == "Como foi o seu atendimento? Escolha uma nota de 1 a 5."

    [invitation] = customer.taps("4 - Bom")
    assert "comentário" in text_of(invitation)
    [thanks] = customer.says("Resolveram rápido, obrigada")
    assert "comentário foi registrado" in text_of(thanks)

    row = stack.waits_until(
        lambda: (r := handoff_row(stack, handoff_id))["rating_comment"] and r,
        what="the rating and its comment kept",
    )
    assert (row["label"], row["rating"]) == ("technical", 4)
    assert row["rating_comment"] == "Resolveram rápido, obrigada"
    assert row["rated_at"] is not None

    customer.says("5")  # the survey is over: a later digit is no new rating
    assert handoff_row(stack, handoff_id)["rating"] == 4
    with stack.container.db.engine.connect() as connection:
        actions = connection.execute(
            select(audit_log.c.action, audit_log.c.detail).where(audit_log.c.who == "ana")
        ).all()
    closing = [detail for action, detail in actions if action == "handoff_closed"]
    assert closing == [f"atendimento {handoff_id} (5511*****4444); motivo technical"]
