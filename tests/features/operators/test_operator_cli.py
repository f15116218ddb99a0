"""The operator CLI as an operator runs it, in-process, against a real database."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from dresbach.bootstrap import build
from dresbach.config import Settings
from dresbach.features.client_area.credentials import locked_until, note_attempt
from tests.support.cli import Ran, run_dresbach
from tests.support.environments import production_env, sandbox_env


def dresbach(url: str, *args: str, stdin: str = "") -> Ran:
    return run_dresbach(args, sandbox_env(url), stdin=stdin)


def test_clients_add_list_password_totp_and_unlock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.sqlite3"
    added = dresbach(
        url,
        "clients",
        "add",
        "--document",
        "12.ABC.345/01DE-35",
        "--name",
        "Loja Exemplo",
        "--email",
        "ti@loja.com.br",
        "--password-stdin",
        "--totp",
        stdin="uma-senha-boa\n",
    )
    assert added.returncode == 0, added.stderr
    assert "otpauth://totp/" in added.stdout
    assert "**.***.***/01DE-**" in added.stdout
    listed = dresbach(url, "clients", "list")
    assert "Loja Exemplo" in listed.stdout
    assert "12ABC34501DE35" not in listed.stdout
    short = dresbach(
        url,
        "clients",
        "set-password",
        "--document",
        "12ABC34501DE35",
        "--password-stdin",
        stdin="curta\n",
    )
    assert short.returncode == 0  # set-password takes what the operator gives
    bad = dresbach(
        url,
        "clients",
        "add",
        "--document",
        "123",
        "--name",
        "X",
        "--email",
        "x@y.z",
        "--password-stdin",
        stdin="uma-senha-boa\n",
    )
    assert bad.returncode == 1
    assert "CPF" in bad.stderr or "CNPJ" in bad.stderr

    container = build(Settings(sandbox=True, database_url=url))
    subject = container.sealer.lookup_key("doc:12ABC34501DE35")
    now = datetime.now(UTC)
    for _ in range(5):
        note_attempt(container.db.engine, [subject], False, now)
    assert locked_until(container.db.engine, [subject], now) is not None
    container.db.close()
    unlocked = dresbach(url, "clients", "unlock", "--document", "12.ABC.345/01DE-35")
    assert "desbloqueado" in unlocked.stdout
    container = build(Settings(sandbox=True, database_url=url))
    assert locked_until(container.db.engine, [subject], now) is None
    container.db.close()


def test_payments_show_and_reject_explain_themselves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.sqlite3"
    missing = dresbach(url, "payments", "show", "NAOEXISTE")
    assert missing.returncode == 1
    assert "não encontrada" in missing.stderr
    rejected = dresbach(url, "payments", "reject", "NAOEXISTE", "--reason", "ilegível")
    assert rejected.returncode == 1
    assert "não encontrada" in rejected.stderr
    empty = dresbach(url, "payments", "list")
    assert "Nenhuma cobrança" in empty.stdout


def test_demo_data_with_known_passwords_is_refused_outside_the_sandbox(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/prod.sqlite3"
    refused = run_dresbach(["demo", "seed"], production_env(url, "http://127.0.0.1:9"))
    assert refused.returncode == 1
    assert "só podem ser criados no modo sandbox" in refused.stderr
    listed = dresbach(url, "clients", "list")
    assert "529" not in listed.stdout


def test_a_half_configured_environment_is_no_sandbox_either(tmp_path: Path) -> None:
    """One WhatsApp variable missing used to mean the sandbox, demo passwords included: now the
    command refuses to start and names what is missing."""
    url = f"sqlite:///{tmp_path}/prod.sqlite3"
    env = production_env(url, "http://127.0.0.1:9")
    del env["WHATSAPP_VERIFY_TOKEN"]
    whatsapp = [k for k in os.environ if k.startswith("WHATSAPP_")]
    refused = run_dresbach(["demo", "seed"], env, unset=whatsapp)
    assert refused.returncode == 2
    assert "WHATSAPP_VERIFY_TOKEN" in refused.stderr
    assert "DRESBACH_SANDBOX=1" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = dresbach(url, "clients", "list")
    assert "529" not in listed.stdout
