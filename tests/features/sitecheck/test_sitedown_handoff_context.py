"""After a site check, the customer asks for a person: the operator's hand-off context says which
site was checked, when, what the customer read and the ticket opened, so nobody runs the checks
again (#16.2: "the site-down checks already run")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import create_engine

from dresbach.features.sitecheck.assistant.context import check_lines, gather_checks
from dresbach.kernel.commands import RequestHandOff
from dresbach.platform.store.database import migrate
from dresbach.platform.store.schema import conversations
from tests.features.sitecheck.test_sitedown_flow import logged_in_picks_the_site
from tests.support.sitecheck import DOMAIN, https

KEY = "5511955550077"
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)


def context_of(slots: dict[str, object], tmp_path: Path) -> dict[str, object] | None:
    """What the hand-off's context reads from the conversation as the runtime saved it."""
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    migrate(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            conversations.insert().values(
                key=KEY,
                address=KEY,
                flow="handoff",
                state="waiting",
                slots=orjson.dumps(slots).decode(),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        found = gather_checks(connection, KEY, {})
    engine.dispose()
    return found


def test_the_operator_reads_the_site_check_the_customer_already_ran(tmp_path: Path) -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(https=https(outcome="timeout", status=None, seconds=None))
    chat.says("atendente")
    assert chat.place == "handoff.waiting"
    assert chat.of(RequestHandOff)

    checks = context_of(dict(chat.conversation.slots), tmp_path)
    assert checks is not None
    lines = check_lines(checks)
    assert lines[0].startswith(f"Verificação do site {DOMAIN}: ")
    assert any(line.startswith("Resultado: ") for line in lines[1:])
    assert lines[-1] == "Chamado aberto com as verificações: nº 482913"


def test_no_site_check_adds_nothing(tmp_path: Path) -> None:
    assert context_of({"client_area.client_id": "c-1"}, tmp_path) is None
