"""Roles from the command line: the first admin is made with `operators add --role admin`, a
role changes with `operators role`, each change audited, an unknown role refused; and what each
role may do at the console (`roles.allowed`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from dresbach.features.operators import roles
from dresbach.features.operators import service as operators
from dresbach.platform.store.schema import audit_log
from tests.features.operators.test_operators_cli import PASSWORD, dresbach


def test_the_first_admin_and_a_team_lead_come_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.sqlite3"
    added = dresbach(
        url, "operators", "add", "carla", "--name", "Carla Chefe", "--password-stdin",
        "--role", "admin", stdin=f"{PASSWORD}\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        "Atendente carla (Carla Chefe) cadastrado, de plantão (administrador)."
    )
    dresbach(url, "operators", "add", "ana", "--name", "Ana Lima", "--password-stdin",
             stdin=f"{PASSWORD}\n")  # fmt: skip
    assert "ana  Ana Lima  -  de plantão  atendente" in dresbach(url, "operators", "list").stdout

    changed = dresbach(url, "operators", "role", "ana", "team_lead")
    assert changed.stdout.strip() == "ana agora é líder de equipe."
    refused = dresbach(url, "operators", "role", "ana", "dono")
    assert refused.returncode != 0

    engine = create_engine(url)
    ana = operators.get_operator(engine, "ana")
    assert ana is not None
    assert ana.role == "team_lead"
    actions = engine.connect().execute(select(audit_log.c.action)).scalars().all()
    assert "operator_role_team_lead" in actions
    engine.dispose()


@pytest.mark.parametrize(
    ("role", "lead", "admin"),
    [("operator", False, False), ("team_lead", True, False), ("admin", True, True)],
)
def test_each_role_may_do_what_the_ones_before_it_may(role: str, lead: bool, admin: bool) -> None:
    someone = operators.Operator(
        id=1,
        username="x",
        display_name="X",
        phone=None,
        on_duty=True,
        failed_logins=0,
        locked_until=None,
        created_at=datetime(2026, 12, 7, tzinfo=UTC),
        role=role,
    )
    assert roles.allowed(someone, "operator")
    assert roles.allowed(someone, "team_lead") is lead
    assert roles.allowed(someone, "admin") is admin
