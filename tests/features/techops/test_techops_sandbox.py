"""The sandbox, as a person would use it: from "oi" to a Pix code, confirmed by an operator with
`dresbach payments confirm`, and the receipt in the chat. Real pipeline, real job worker, real
static Pix gateway, the real CLI in a subprocess; only Meta is replaced by the sandbox sink."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from sqlalchemy import select

from dresbach.bootstrap import build
from dresbach.cli.chat import ChatSession
from dresbach.config import Settings
from dresbach.features.payments.pix import parse_brcode
from dresbach.platform.store.schema import leads, payments
from dresbach.platform.whatsapp import sandbox_store
from tests.support.environments import sandbox_env
from tests.support.servers import DRESBACH

USER = "5511977776666"


def test_from_oi_to_a_receipt_in_the_sandbox(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sandbox.sqlite3"
    container = build(Settings(sandbox=True, database_url=url))
    assert container.settings.sandbox
    chat = ChatSession(container, USER, "Maria Souza")

    async def conversation() -> list[str]:
        said: list[str] = []

        async def say(text: str) -> str:
            replies = await chat.say(text)
            said.extend(replies)
            return "\n".join(replies)

        assert "Como posso ajudar" in await say("oi")
        assert "área" in await say("1")  # Consultoria Tech Ops
        await say("2")  # Segurança da informação (list row 2)
        await say("Nosso servidor foi invadido e precisamos entender o que aconteceu.")
        await say("Padaria Boa Massa")
        await say("2")  # company size: two people (the size rows are lettered)
        await say("1")  # urgency: the first button
        await say("maria@boamassa.com.br")
        await say("1")  # yes, my name is Maria Souza
        await say("2")  # skip the CNPJ
        offer = await say("1")  # the summary is right
        assert "R$ 1.800,00" in offer
        assert "Pagar e agendar" in offer
        await say("1")  # Pagar e agendar
        await container.jobs.drain()
        await container.sender.drain()
        said.extend(await chat.replies())
        return said

    said = asyncio.run(conversation())
    with container.db.engine.connect() as connection:
        (payment,) = connection.execute(select(payments)).mappings().all()
    assert payment["status"] == "active"
    code = payment["copia_e_cola"]
    assert code in said  # the copia e cola alone in its own message
    parsed = parse_brcode(code)
    assert str(parsed.amount) == "1800.00"
    bodies = sandbox_store.messages_for(container.db.engine, USER)
    images = [b["body"]["image"] for b in bodies if b["body"]["type"] == "image"]
    assert images
    assert images[0].get("link", "").startswith("/simulator/media/qr-"), images
    container.db.close()

    env = {**os.environ, **sandbox_env(url)}
    shown = subprocess.run(
        [DRESBACH, "payments", "list", "--status", "active"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # the operator works with the txid the payer's bank shows: the 25 characters of the BR Code
    from_the_bank = parsed.txid
    assert len(from_the_bank) == 25
    assert payment["txid"].startswith(from_the_bank)
    assert from_the_bank in shown.stdout
    assert "R$ 1.800,00" in shown.stdout
    one = subprocess.run(
        [DRESBACH, "payments", "show", from_the_bank.lower()],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"txid no Pix (o que o banco mostra): {from_the_bank}" in one.stdout
    assert f"txid completo: {payment['txid']}" in one.stdout
    confirmed = subprocess.run(
        [DRESBACH, "payments", "confirm", from_the_bank, "--operator", "ana"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "confirmado por ana" in confirmed.stdout
    again = subprocess.run(
        [DRESBACH, "payments", "confirm", payment["txid"], "--operator", "ana"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "já estava confirmada" in again.stdout

    container = build(Settings(sandbox=True, database_url=url))
    chat = ChatSession(container, USER, "Maria Souza")
    chat.after = max(b["id"] for b in bodies)

    async def receipt() -> list[str]:
        await container.sender.drain()
        return await chat.replies()

    after = asyncio.run(receipt())
    text = "\n".join(after)
    assert "R$ 1.800,00" in text
    assert payment["txid"] in text
    with container.db.engine.connect() as connection:
        lead = connection.execute(select(leads)).mappings().one()
        paid = connection.execute(select(payments)).mappings().one()
    assert lead["status"] == "paid"
    assert (paid["status"], paid["decided_by"]) == ("paid", "ana")
    listed = subprocess.run(
        [DRESBACH, "leads", "list"], env=env, capture_output=True, text=True, check=True
    )
    assert "Padaria Boa Massa" in listed.stdout
    container.db.close()
