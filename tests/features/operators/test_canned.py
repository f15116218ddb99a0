"""Canned replies (respostas prontas) on SQLite and PostgreSQL: saved with a checked shortcut
and only the known variables, found by shortcut or title, filled from the hand-off (a missing
value is a pt-BR error, never braces sent raw), removed; each change audited by name; and the
same through `dresbach canned`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, create_engine, insert, select

from dresbach.features.operators import canned
from dresbach.features.operators.canned import CannedError, CannedReply
from dresbach.platform.store.database import migrate, normalize_url
from dresbach.platform.store.schema import audit_log, conversations, handoffs
from tests.features.operators.test_operator_cli import dresbach

NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
DNS = "Oi, {nome}! Para {dominio}, aponte os nameservers para ns1.dresbach.com.br."


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        migrate(database_url)
    engine = create_engine(normalize_url(database_url))
    yield engine
    engine.dispose()


def audited(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.who, audit_log.c.action, audit_log.c.detail).where(
                audit_log.c.action.like("canned%")
            )
        )
        return [(r.who, r.action, r.detail) for r in rows]


def test_saved_found_changed_and_removed_each_audited(engine: Engine) -> None:
    assert canned.save(engine, "/DNS", "Apontar DNS", DNS, "ana", NOW) is True
    assert canned.save(engine, "prazo", "Propagação", "Leva até 24 h.", "bia", NOW) is True
    assert [r.shortcut for r in canned.search(engine, "/d")] == ["dns"]
    assert [r.shortcut for r in canned.search(engine, "propaga")] == ["prazo"]
    assert [r.shortcut for r in canned.search(engine)] == ["dns", "prazo"]
    assert canned.save(engine, "dns", "Apontar DNS", "Novo texto, {nome}.", "bia", NOW) is False
    found = canned.find(engine, "/dns")
    assert found is not None
    assert (found.body, found.updated_by) == ("Novo texto, {nome}.", "bia")
    canned.remove(engine, "/dns", "ana", NOW)
    assert canned.find(engine, "dns") is None
    with pytest.raises(CannedError, match="não encontrada"):
        canned.remove(engine, "dns", "ana", NOW)
    assert audited(engine) == [
        ("ana", "canned_reply_created", "/dns"),
        ("bia", "canned_reply_created", "/prazo"),
        ("bia", "canned_reply_changed", "/dns"),
        ("ana", "canned_reply_removed", "/dns"),
    ]


@pytest.mark.parametrize(
    ("shortcut", "body", "problem"),
    [
        ("d", "Oi", "Atalho inválido"),
        ("com espaço", "Oi", "Atalho inválido"),
        ("dns", "   ", "Escreva o texto"),
        ("dns", "Oi, {cliente}!", "Variável desconhecida: {cliente}"),
        ("dns", "Oi, {nome!", "Chaves soltas"),
    ],
)
def test_what_cannot_be_saved_is_said_in_portuguese(
    engine: Engine, shortcut: str, body: str, problem: str
) -> None:
    with pytest.raises(CannedError, match=problem):
        canned.save(engine, shortcut, "Título", body, "ana", NOW)
    assert canned.search(engine) == []


def _handoff(
    engine: Engine, *, lead_name: str | None, profile: str | None, domain: str | None
) -> int:
    slots = {"client_area.domain": domain} if domain else {}
    context = {"lead": {"answers": {"name": lead_name}}} if lead_name else {"lead": None}
    with engine.begin() as connection:
        connection.execute(
            insert(conversations).values(
                key="5511977776666",
                address="5511977776666",
                profile_name=profile,
                flow="handoff",
                state="with_human",
                slots=orjson.dumps(slots).decode(),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        return int(
            connection.execute(
                insert(handoffs)
                .values(
                    request_id="r1",
                    conversation_key="5511977776666",
                    status="active",
                    reason="customer",
                    flow="menu",
                    context=orjson.dumps(context).decode(),
                    requested_at=NOW,
                )
                .returning(handoffs.c.id)
            ).scalar_one()
        )


def test_variables_are_filled_from_the_handoff(engine: Engine) -> None:
    handoff_id = _handoff(engine, lead_name="Maria Souza", profile="Mah", domain="loja.com.br")
    values = canned.values_for(engine, handoff_id)
    assert values == {"nome": "Maria", "dominio": "loja.com.br"}
    reply = CannedReply(shortcut="dns", title="t", body=DNS, updated_by="ana", updated_at=NOW)
    assert canned.fill(reply, values) == (
        "Oi, Maria! Para loja.com.br, aponte os nameservers para ns1.dresbach.com.br."
    )


def test_a_missing_variable_is_an_error_for_the_operator(engine: Engine) -> None:
    handoff_id = _handoff(engine, lead_name=None, profile="João Pedro", domain=None)
    values = canned.values_for(engine, handoff_id)
    assert values == {"nome": "João", "dominio": None}
    reply = CannedReply(shortcut="dns", title="t", body=DNS, updated_by="ana", updated_at=NOW)
    with pytest.raises(CannedError) as refused:
        canned.fill(reply, values)
    assert str(refused.value) == (
        "A resposta /dns usa {dominio}, mas este atendimento não tem o domínio que o cliente "
        "consultou na Área do Cliente. Escreva a mensagem sem ela."
    )


def test_the_cli_adds_lists_and_removes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/canned.sqlite3"
    added = dresbach(url, "canned", "add", "dns", "--title", "Apontar DNS", stdin=DNS)
    assert added.returncode == 0, added.stderr
    assert "Resposta pronta /dns criada." in added.stdout
    listed = dresbach(url, "canned", "list")
    assert "/dns  Apontar DNS" in listed.stdout
    wrong = dresbach(url, "canned", "add", "x y", "--title", "T", "--body", "Oi")
    assert wrong.returncode == 1
    assert "Atalho inválido" in wrong.stderr
    removed = dresbach(url, "canned", "remove", "/dns")
    assert "Resposta pronta /dns removida." in removed.stdout
    assert "Nenhuma resposta pronta" in dresbach(url, "canned", "list").stdout
