"""#10.17 end to end: the customer checks the CNPJ they typed, in full, in the summary; nothing
the service keeps holds it in clear (the outbox keeps the summary masked once it is sent); and an
operator who must issue the receipt in the company's name reveals it in the console with an
explicit "Mostrar CNPJ", recorded with their name. In the sandbox, the simulator's sink shows it
too, and keeps it sealed."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select

from dresbach.bootstrap import build
from dresbach.cli.chat import ChatSession
from dresbach.config import Settings
from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import audit_log, leads, metadata, outbox, sandbox_messages
from tests.features.operators.test_console import Console
from tests.support.meta import Customer, text_of
from tests.support.stack_fixtures import Stack

USER = "5511944446666"
PASSWORD = "cafe-com-leite-42"
TYPED = "12.ABC.345/01DE-35"
CLEAR_FORMS = ("12ABC34501DE35", "12.ABC.345/01DE-35", "12.ABC.345")


def walk_to_the_summary(customer: Customer) -> str:
    customer.says("oi")
    customer.taps("Consultoria Tech Ops")
    customer.taps("Arquitetura de sistemas")
    customer.says("Nosso sistema não aguenta o pico de acessos da Black Friday.")
    customer.says("Loja Exemplo")
    customer.taps("De 10 a 49 pessoas")
    customer.taps("Sem pressa")
    customer.says("compras@lojaexemplo.com.br")
    customer.taps("Sim, pode ser")
    customer.taps("Informar CNPJ")
    return "\n".join(text_of(m) for m in customer.says(TYPED))


def everything_kept(stack: Stack) -> str:
    with stack.container.db.engine.connect() as connection:
        return "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        ).upper()


def test_the_customer_checks_their_cnpj_and_an_operator_reveals_it_audited(
    stack: Stack,
) -> None:
    customer = stack.customer(USER)
    summary = walk_to_the_summary(customer)
    assert f"*CNPJ:* {TYPED}" in summary  # theirs, in full, to check
    customer.taps("Está tudo certo")
    customer.taps("Pagar e agendar")
    time.sleep(1.0)  # the charge job ran, the summary was sent long ago

    kept = everything_kept(stack)
    for form in CLEAR_FORMS:
        assert form not in kept
    with stack.container.db.engine.connect() as connection:
        payloads = connection.execute(
            select(outbox.c.payload).where(outbox.c.payload.like("%Confira os seus dados%"))
        ).scalars()
        [sent_summary] = list(payloads)
        assert "**.***.***/01DE-**" in sent_summary  # the console history's copy: masked
        assert "sealed" not in sent_summary  # and the sealed clear copy is gone once sent
        [lead_id] = connection.execute(select(leads.c.lead_id)).scalars()

    operators.add_operator(
        stack.container.db.engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="test"
    )
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        console = Console(stack.origin, http)
        assert console.login("ana", PASSWORD).status_code == 303
        page = http.get(f"{stack.origin}/console/leads").text
        assert "**.***.***/01DE-**" in page
        assert "Mostrar CNPJ" in page
        assert TYPED not in page

        forged = http.post(f"{stack.origin}/console/leads/cnpj", data={"lead_id": lead_id})
        assert forged.status_code == 403  # no CSRF token: nothing shown
        assert TYPED not in forged.text

        revealed = console.post("/console/leads/cnpj", lead_id=lead_id)
        assert revealed.status_code == 200
        assert revealed.headers["cache-control"] == "no-store"
        assert f'data-testid="revealed-cnpj">{TYPED}<' in revealed.text
        assert TYPED not in http.get(f"{stack.origin}/console/leads").text  # once, on request

        unknown = console.post("/console/leads/cnpj", lead_id="lead-nope")
        assert unknown.status_code == 404
    with stack.container.db.engine.connect() as connection:
        audited = connection.execute(
            select(audit_log.c.who, audit_log.c.detail, audit_log.c.document_masked).where(
                audit_log.c.action == "cnpj_revealed"
            )
        ).all()
    assert [tuple(a) for a in audited] == [("ana", f"lead {lead_id}", "**.***.***/01DE-**")]
    kept = everything_kept(stack)
    for form in CLEAR_FORMS:
        assert form not in kept


def test_in_the_sandbox_the_sink_shows_the_cnpj_and_keeps_it_sealed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sandbox.sqlite3"
    container = build(Settings(sandbox=True, database_url=url))
    assert container.settings.sandbox
    chat = ChatSession(container, USER, "Maria Souza")

    async def conversation() -> str:
        for typed in (
            "oi",
            "1",  # Consultoria Tech Ops
            "3",  # Arquitetura de sistemas
            "Nosso sistema não aguenta o pico de acessos da Black Friday.",
            "Loja Exemplo",
            "2",  # company size
            "1",  # urgency
            "compras@lojaexemplo.com.br",
            "1",  # yes, my name is Maria Souza
            "1",  # Informar CNPJ
        ):
            await chat.say(typed)
        return "\n".join(await chat.say(TYPED))

    summary = asyncio.run(conversation())
    assert f"*CNPJ:* {TYPED}" in summary
    with container.db.engine.connect() as connection:
        stored = "\n".join(connection.execute(select(sandbox_messages.c.payload)).scalars())
    assert re.search(r"sealed:v1:", stored)
    for form in CLEAR_FORMS:
        assert form not in stored.upper()
    container.db.close()
