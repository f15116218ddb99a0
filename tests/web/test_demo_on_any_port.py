"""The demo's access links work on the port in use: a sandbox `dresbach serve` on a port other
than 8000, a client logs in through the simulator and asks for cPanel, and the link the bot
sends points at this server and opens the demo panel's page (it once pointed at :8000 and
`/demo/` answered 404)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.environments import sandbox_env
from tests.support.servers import DRESBACH, ServiceProcess, free_port
from tests.web.test_sandbox_walkthrough import SimulatedCustomer, text_of


def e_mailed_code(origin: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = re.findall(r"\b(\d{6})\b", httpx.get(f"{origin}/simulator/mail").text)
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("no code in the sandbox mailbox")


def test_the_cpanel_link_opens_the_demo_panel_on_the_port_in_use(tmp_path: Path) -> None:
    env = sandbox_env(f"sqlite:///{tmp_path}/demo.sqlite3", DRESBACH_LOG_LEVEL="warning")
    subprocess.run(
        [DRESBACH, "demo", "seed"],
        env={**os.environ, **env},
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    port = free_port()
    assert port != 8000
    server = ServiceProcess(env, port, log=tmp_path / "serve.log").start()
    try:
        customer = SimulatedCustomer(server.origin)
        customer.says("oi", "Como posso ajudar")
        customer.taps("Área do Cliente", "CPF")
        customer.says("529.982.247-25", "senha")
        customer.says("demo12345", "código")
        customer.says(e_mailed_code(server.origin), "Você entrou na Área do Cliente")
        customer.taps("Acessos", "Para qual serviço")
        customer.taps("loja-maria.com.br", "Qual acesso")
        said = "\n".join(text_of(b) for b in customer.taps("cPanel", "/demo/cpanel/"))
        (link,) = re.findall(r"http://\S+/demo/cpanel/\S+", said)
        assert link.startswith(f"{server.origin}/demo/cpanel/"), link
        page = httpx.get(link)
        assert page.status_code == 200
        assert "cPanel" in page.text
        assert "demonstração" in page.text
        assert link.rsplit("/", 1)[1] in page.text  # the account's user name
        assert httpx.get(f"{server.origin}/demo/ftp/x").status_code == 404
        hostile = httpx.get(f"{server.origin}/demo/webmail/x", params={"mailbox": "<b>oi</b>"})
        assert "<b>oi</b>" not in hostile.text
        assert "&lt;b&gt;oi&lt;/b&gt;" in hostile.text
    finally:
        server.stop()


def test_make_run_is_the_sandbox_on_the_port_asked_for() -> None:
    """`make run PORT=…` reaches `dresbach serve --port`; without it `serve` takes DRESBACH_PORT
    (next test); either way the sandbox is asked for, not guessed."""
    root = Path(__file__).resolve().parents[2]
    environ = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")}

    def planned(*args: str) -> list[str]:
        done = subprocess.run(
            ["make", "-n", "run", *args], cwd=root, env=environ, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return [line for line in done.stdout.splitlines() if "dresbach" in line]

    serve, migrate = planned("PORT=8123")[-1], planned("PORT=8123")[-2]
    assert "DRESBACH_SANDBOX=1" in serve
    assert "DRESBACH_SANDBOX=1" in migrate
    assert serve.split()[-2:] == ["--port", "8123"]
    assert "--host" not in serve
    plain = planned()[-1]
    assert plain.rstrip().endswith("dresbach serve")  # from DRESBACH_HOST / DRESBACH_PORT
    assert planned("HOST=0.0.0.0")[-1].split()[-2:] == ["--host", "0.0.0.0"]


def test_serve_listens_on_dresbach_port(tmp_path: Path) -> None:
    port = free_port()
    env = sandbox_env(f"sqlite:///{tmp_path}/db.sqlite3", DRESBACH_PORT=str(port))
    with (tmp_path / "serve.log").open("wb") as log:
        running = subprocess.Popen(
            [DRESBACH, "serve"], env={**os.environ, **env}, cwd=tmp_path, stderr=log
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
                break
            except httpx.HTTPError:
                assert running.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "nothing listens on DRESBACH_PORT"
                time.sleep(0.1)
        assert answer.status_code == 200
        assert f"http://127.0.0.1:{port}/simulator" in (tmp_path / "serve.log").read_text()
    finally:
        running.terminate()
        running.wait(timeout=10)
