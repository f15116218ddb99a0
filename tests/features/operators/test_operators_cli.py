"""`dresbach operators` as an administrator runs it, in-process, against a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select

from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import audit_log
from tests.support.cli import Ran, run_dresbach
from tests.support.environments import sandbox_env

PASSWORD = "cafe-com-leite-42"


def dresbach(url: str, *args: str, stdin: str = "") -> Ran:
    return run_dresbach(args, sandbox_env(url), stdin=stdin)


def test_add_list_duty_unlock_and_a_new_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.sqlite3"
    empty = dresbach(url, "operators", "list")
    assert "Nenhum atendente cadastrado" in empty.stdout

    added = dresbach(
        url,
        "operators",
        "add",
        "Ana",
        "--name",
        "Ana Lima",
        "--phone",
        "+5511999998888",
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Atendente ana (Ana Lima) cadastrado, de plantão."
    again = dresbach(
        url, "operators", "add", "ana", "--name", "Ana", "--password-stdin", stdin=f"{PASSWORD}\n"
    )
    assert again.returncode == 1
    assert "Já existe um atendente com o usuário ana." in again.stderr
    short = dresbach(
        url, "operators", "add", "bia", "--name", "Bia", "--password-stdin", stdin="curta\n"
    )
    assert short.returncode == 1
    assert "pelo menos 10 caracteres" in short.stderr
    bad_phone = dresbach(
        url,
        "operators",
        "add",
        "bia",
        "--name",
        "Bia",
        "--phone",
        "11 99999",
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    assert bad_phone.returncode == 1
    assert "formato internacional" in bad_phone.stderr

    assert dresbach(url, "operators", "duty", "ana", "off").stdout.strip() == (
        "ana agora está fora de plantão."
    )
    listed = dresbach(url, "operators", "list").stdout
    assert "ana  Ana Lima  +5511999998888  fora de plantão" in listed

    engine = create_engine(url)
    now = datetime.now(UTC)
    for attempt in range(5):
        operators.authenticate(engine, "ana", f"errada-{attempt}", now)
    assert "bloqueado até" in dresbach(url, "operators", "list").stdout
    unlocked = dresbach(url, "operators", "unlock", "ana")
    assert unlocked.stdout.strip() == "Acesso de ana desbloqueado."
    assert operators.authenticate(engine, "ana", PASSWORD, now).outcome == "ok"

    login = operators.authenticate(engine, "ana", PASSWORD, now)
    assert login.operator is not None
    opened = operators.open_session(engine, login.operator, now)
    changed = dresbach(
        url, "operators", "set-password", "ana", "--password-stdin", stdin="uma-senha-nova-99\n"
    )
    assert "Senha de ana alterada. As sessões abertas foram encerradas." in changed.stdout
    assert operators.find_session(engine, opened.token, now) is None
    assert operators.authenticate(engine, "ana", "uma-senha-nova-99", now).outcome == "ok"
    missing = dresbach(url, "operators", "unlock", "ninguem")
    assert missing.returncode == 1
    assert "Atendente ninguem não encontrado." in missing.stderr

    with engine.connect() as connection:
        actions = connection.execute(
            select(audit_log.c.who, audit_log.c.action).where(audit_log.c.who.like("cli:%"))
        ).all()
    engine.dispose()
    assert [a for _, a in actions] == [
        "operator_added",
        "operator_off_duty",
        "operator_unlocked",
        "operator_password_set",
    ]
