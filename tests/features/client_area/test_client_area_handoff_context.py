"""A logged-in client asks for a person: the operator is told who the client is (the document
masked, the WHMCS client, the name) and the invoice the client was looking at; a customer who
never logged in shows only what they wanted to see. Never the document in clear."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import create_engine

from dresbach.features.client_area.context import client_lines, gather_client
from dresbach.kernel.commands import RequestHandOff
from dresbach.platform.store.database import migrate
from dresbach.platform.store.schema import conversations
from tests.support.client_area_transcript import CPF, INVOICES, PDF, ClientAreaTranscript

KEY = "5511955550001"
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def context_of(chat: ClientAreaTranscript, tmp_path: Path) -> dict[str, object] | None:
    """What the hand-off's context reads from the conversation as the runtime saved it."""
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    migrate(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            conversations.insert().values(
                key=KEY,
                address=KEY,
                flow=chat.conversation.place.flow,
                state=chat.conversation.place.state,
                slots=orjson.dumps(dict(chat.conversation.slots)).decode(),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        found = gather_client(connection, KEY, {})
    engine.dispose()
    return found


def test_a_logged_in_client_looking_at_an_invoice_asks_for_a_person(tmp_path: Path) -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Faturas")
    chat.answer(*INVOICES)
    chat.taps("Fatura 2026-0512")
    chat.answer({**INVOICES[1], "pdf": PDF})
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    (request,) = chat.of(RequestHandOff)
    assert request.topic == "billing"

    client = context_of(chat, tmp_path)
    assert client is not None
    assert client_lines(client) == [
        "Cliente: Maria Souza, documento ***.982.247-**",
        "Cliente no WHMCS: nº c-1001",
        "Fatura: 2026-0512, 10/12/2026, R$ 59,90, Em aberto",
    ]
    digits = "".join(c for c in CPF if c.isdigit())
    assert digits not in orjson.dumps(client).decode()


def test_a_customer_who_did_not_log_in_shows_what_they_wanted(tmp_path: Path) -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.says("quero falar sobre minha fatura")
    chat.says("atendente")
    client = context_of(chat, tmp_path)
    assert client is not None
    assert client_lines(client) == ["Área do Cliente: sem login; queria ver faturas"]


def test_a_customer_who_never_went_to_the_area_adds_nothing(tmp_path: Path) -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.says("atendente")
    assert context_of(chat, tmp_path) is None
