"""Private notes and @mentions on a hand-off, over real HTTP on SQLite and PostgreSQL: a note
stays with the team (nothing reaches WhatsApp), a mention shows on the mentioned operator's
queue page while the hand-off is open, each note is audited by name without its text, and the
LGPD copy and erasure reach the notes too."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from dresbach.features.handoff import personal_data
from dresbach.features.operators import service as operators
from dresbach.kernel.text import ERASED
from dresbach.platform.store.schema import audit_log, handoff_notes, handoffs
from tests.features.operators.test_console import Console, console, waiting_handoff
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the fixture, shared
PASSWORD = "cafe-com-leite-42"


def test_a_note_mentions_a_colleague_and_never_reaches_the_customer(
    stack: Stack, console: Console
) -> None:
    engine = stack.container.db.engine
    operators.add_operator(engine, "bia", "Bia Souza", PASSWORD, None, datetime.now(UTC), by="t")
    assert console.login("ana", PASSWORD).status_code == 303
    customer, handoff_id = waiting_handoff(stack, console)
    sent_before = len(customer.replies())

    empty = console.post(f"/console/conversations/{handoff_id}/notes", note="  ")
    assert empty.status_code == 409
    assert "Escreva a nota antes de salvar." in empty.text
    saved = console.post(
        f"/console/conversations/{handoff_id}/notes",
        note="Cliente já ligou ontem sobre o DNS. @bia pode olhar? (@ninguem não existe)",
    )
    assert saved.headers["location"].endswith("?feito=nota")
    page = console.http.get(f"{stack.origin}/console/conversations/{handoff_id}").text
    assert "Cliente já ligou ontem sobre o DNS." in page
    assert "Ana Lima" in page

    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        bia = Console(stack.origin, http)
        assert bia.login("bia", PASSWORD).status_code == 303
        queue = http.get(f"{stack.origin}/console").text
        assert 'data-testid="mention"' in queue
        assert "@bia pode olhar?" in queue
        assert f"/console/conversations/{handoff_id}#notas" in queue
    assert 'data-testid="mention"' not in console.http.get(f"{stack.origin}/console").text

    assert len(customer.replies()) == sent_before  # nothing went to WhatsApp
    with engine.connect() as connection:
        row = connection.execute(select(handoff_notes)).mappings().one()
        audited = connection.execute(
            select(audit_log.c.who, audit_log.c.detail).where(audit_log.c.action == "handoff_note")
        ).one()
        key = connection.execute(
            select(handoffs.c.conversation_key).where(handoffs.c.id == handoff_id)
        ).scalar_one()
    assert row["mentions"] == "bia"
    assert audited.who == "ana"
    assert audited.detail.endswith("; menciona bia")
    assert "DNS" not in audited.detail

    # the hand-off ends: the mention leaves Bia's queue page
    console.post(f"/console/conversations/{handoff_id}/close", label="dns_domain")
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        bia = Console(stack.origin, http)
        assert bia.login("bia", PASSWORD).status_code == 303
        assert 'data-testid="mention"' not in http.get(f"{stack.origin}/console").text

    with engine.begin() as connection:
        copy = personal_data.held(connection, key)
        assert [n["texto"] for n in copy["anotacoes_da_equipe"]] == [row["body"]]
        erased = personal_data.erase(connection, key, datetime.now(UTC))
    assert erased["handoff_notes"] == 1
    with engine.connect() as connection:
        assert connection.execute(select(handoff_notes.c.body)).scalar_one() == ERASED
