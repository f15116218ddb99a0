"""What customers typed that the bot answered with "não entendi": marked on the inbox row in the
step's own writes (SQLite and PostgreSQL), listed masked by `dresbach understanding misses`
within the inbox retention, gone with the inbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dresbach.cli.main import main
from dresbach.cli.understanding_commands import not_understood
from dresbach.features.privacy.model import Retention
from dresbach.kernel.events import Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.retention import purge
from dresbach.platform.store.schema import inbox
from dresbach.platform.store.unit_of_work import take_in

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
MARIA = Sender(user_id="BR.100", wa_id="5511911110000", profile_name="Maria")
JOAO = Sender(user_id="BR.200", wa_id="5511922220000", profile_name="João")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def say(db: Database, n: int, body: str, when: datetime, sender: Sender = MARIA) -> None:
    message_id = f"wamid.{sender.key}.{n}"
    raw = {"from": sender.wa_id, "id": message_id, "type": "text", "text": {"body": body}}
    event = TextReceived(message_id=message_id, sender=sender, timestamp=when, body=body)
    assert not take_in(db.engine, event, raw, when, Policy()).duplicate


def marks(db: Database) -> list[tuple[str, int]]:
    with db.engine.connect() as connection:
        query = select(inbox.c.message_id, inbox.c.not_understood).order_by(inbox.c.id)
        return [(m.rsplit(".", 1)[1], n) for m, n in connection.execute(query)]


def test_the_step_marks_the_text_it_did_not_understand_in_the_inbox(db: Database) -> None:
    say(db, 1, "oi", NOW)  # first contact: greeted, then the menu
    say(db, 2, "xablau quadrado", NOW)  # "Desculpe, não entendi."
    say(db, 3, "1", NOW)  # a menu choice
    assert marks(db) == [("1", 0), ("2", 1), ("3", 0)]


def test_misses_are_listed_newest_first_masked(db: Database) -> None:
    say(db, 1, "oi", NOW - timedelta(days=2))
    # texts the understanding tier cannot place either (a sentence about an invoice, a call or a
    # document goes where it points since #14), each with something to mask
    say(db, 2, "xablau maria.souza@example.com.br", NOW - timedelta(days=2))
    say(db, 3, "blorb  11 98765-4321", NOW - timedelta(days=1))
    say(db, 4, "oi", NOW, JOAO)
    say(db, 5, "kkk 529.982.247-25 zzz 12345678901234567", NOW, JOAO)
    found = not_understood(db.engine, NOW - timedelta(days=30))
    assert [m.text for m in found] == [
        "kkk ***.982.247-** zzz 1234*********4567",
        "blorb 1198***4321",  # one line, the spaces as typed collapsed
        "xablau m***@e***.com.br",
    ]
    assert {m.place for m in found} == {"menu.main"}
    assert [m.received_at for m in found] == sorted((m.received_at for m in found), reverse=True)
    assert not_understood(db.engine, NOW - timedelta(hours=1)) == found[:1]


def test_the_inbox_purge_takes_the_misses_with_it(db: Database) -> None:
    say(db, 1, "oi", NOW - timedelta(days=200))
    say(db, 2, "xablau", NOW - timedelta(days=200))
    say(db, 3, "blorb", NOW)
    assert len(not_understood(db.engine, NOW - timedelta(days=365))) == 2
    purge(db.engine, NOW, Retention())
    assert [m.text for m in not_understood(db.engine, NOW - timedelta(days=365))] == ["blorb"]


def test_the_command_lists_them_within_the_inbox_retention(
    database_url: str,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the working copy
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")
    monkeypatch.setenv("DRESBACH_DATABASE_URL", database_url)
    monkeypatch.setenv("DRESBACH_RETENTION_INBOX_DAYS", "60")
    say(db, 1, "oi", NOW - timedelta(days=40))
    say(db, 2, "xablau", NOW - timedelta(days=40))
    say(db, 3, "quero falar do meu carro", NOW)

    assert main(["understanding", "misses"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "1 mensagem não entendida nos últimos 30 dias (a caixa de entrada guarda 60 dias):"
    )
    assert out[2].endswith("  menu.main  quero falar do meu carro")

    assert main(["understanding", "misses", "--days", "365"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "A caixa de entrada guarda só 60 dias: mostrando os últimos 60."
    assert out[1].startswith("2 mensagens não entendidas nos últimos 60 dias")
    assert [line.split("  ")[-1] for line in out[3:]] == ["quero falar do meu carro", "xablau"]


def test_nothing_to_list_is_said_plainly(
    database_url: str,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")
    monkeypatch.setenv("DRESBACH_DATABASE_URL", database_url)
    say(db, 1, "oi", NOW)
    assert main(["understanding", "misses", "--days", "1"]) == 0
    assert capsys.readouterr().out == "Nenhuma mensagem ficou sem entendimento no último dia.\n"
