"""The sandbox is asked for, never fallen into, as real `dresbach serve` and `dresbach worker`
processes meet it: a half-configured production environment refuses to start and names what is
missing; a production server has no simulator; `DRESBACH_SANDBOX=1` has it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.fakes.graph_api import FakeGraphServer
from tests.support.environments import production_env, sandbox_env
from tests.support.servers import DRESBACH, ServiceProcess, free_port

SIMULATOR = ("/simulator", "/simulator/mail", "/simulator/api/messages?user=5511955550001")


def clean_environ() -> dict[str, str]:
    """The test runner's environment without any setting of ours."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WHATSAPP_", "DRESBACH_", "SMTP_", "CHATWOOT_", "CALDAV_"))
    }


def started(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command that should refuse to start: it must end on its own, quickly."""
    return subprocess.run(
        [DRESBACH, *command],
        env=clean_environ() | env,
        cwd=cwd,  # away from any developer's .env
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "database"),
    [
        ("WHATSAPP_VERIFY_TOKEN", "sqlite"),  # each WhatsApp variable: tests/unit, load_settings
        ("SMTP_HOST", "sqlite"),
        ("DRESBACH_SECRET_KEY", "postgres"),
    ],
)
def test_a_process_missing_one_variable_refuses_to_start_and_names_it(
    missing: str, database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        request.getfixturevalue("postgres_database")
        if database == "postgres"
        else f"sqlite:///{tmp_path}/db.sqlite3"
    )
    env = production_env(url, "http://127.0.0.1:9")
    del env[missing]
    port = free_port()
    for command in (["serve", "--port", str(port)], ["worker"]):
        refused = started(command, env, tmp_path)
        assert refused.returncode == 2, (command, refused.stderr)
        assert missing in refused.stderr, refused.stderr
        assert "Configuração inválida" in refused.stderr
        assert "Traceback" not in refused.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/simulator", timeout=2)
    if database == "sqlite":  # nothing was created on the way out
        assert not (tmp_path / "db.sqlite3").exists()


def test_a_production_server_has_no_simulator(graph: FakeGraphServer, tmp_path: Path) -> None:
    env = production_env(f"sqlite:///{tmp_path}/db.sqlite3", graph.base_url)
    server = ServiceProcess(env, log=tmp_path / "serve.log").start()
    try:
        for path in SIMULATOR:
            assert httpx.get(f"{server.origin}{path}").status_code == 404, path
        sent = httpx.post(
            f"{server.origin}/simulator/api/send",
            json={"user": "5511955550001", "text": "oi"},
        )
        assert sent.status_code == 404
    finally:
        server.stop()
    assert "Modo sandbox" not in (tmp_path / "serve.log").read_text()


def test_the_sandbox_asked_for_has_the_simulator_and_says_so(tmp_path: Path) -> None:
    server = ServiceProcess(
        sandbox_env(f"sqlite:///{tmp_path}/db.sqlite3"), log=tmp_path / "serve.log"
    ).start()
    try:
        for path in SIMULATOR:
            assert httpx.get(f"{server.origin}{path}").status_code == 200, path
    finally:
        server.stop()
    assert "Modo sandbox (DRESBACH_SANDBOX=1)" in (tmp_path / "serve.log").read_text()
