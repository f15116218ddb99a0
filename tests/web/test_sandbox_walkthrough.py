"""`make run`'s sandbox, as the README walks through it: a real `dresbach serve` with no Meta
account, the simulator's API for the customer and `/console` for the operator. The customer
pays (the operator confirms it in the console), books a slot, is handed to the operator, talks
to them, and is handed back to the bot."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.environments import sandbox_env
from tests.support.servers import DRESBACH, ServiceProcess

USER = "5511933332222"


class SimulatedCustomer:
    """The simulator page, minus the page: sends through `/simulator/api/send` and reads what
    the sandbox sink kept for this number."""

    def __init__(self, origin: str) -> None:
        self.origin, self.seen = origin, 0
        self.http = httpx.Client(timeout=10, trust_env=False)

    def _all(self) -> list[dict[str, Any]]:
        found = self.http.get(f"{self.origin}/simulator/api/messages", params={"user": USER})
        return [m["body"] for m in found.json()["messages"]]

    def wait(self, needle: str, timeout: float = 20.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bodies = self._all()
            new = bodies[self.seen :]
            if any(needle in text_of(b) for b in new):
                self.seen = len(bodies)
                return new
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never reached the chat; last: {self._all()[-3:]}")

    def says(self, text: str, expect: str) -> list[dict[str, Any]]:
        sent = self.http.post(
            f"{self.origin}/simulator/api/send", json={"user": USER, "name": "Bia", "text": text}
        )
        assert sent.status_code == 200, sent.text
        return self.wait(expect)

    def taps(self, title: str, expect: str) -> list[dict[str, Any]]:
        for body in reversed(self._all()):
            if body.get("type") != "interactive":
                continue
            interactive = body["interactive"]
            options = (
                [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
                if interactive["type"] == "button"
                else [
                    (r["id"], r["title"])
                    for s in interactive["action"]["sections"]
                    for r in s["rows"]
                ]
            )
            for choice_id, shown in options:
                if shown == title:
                    sent = self.http.post(
                        f"{self.origin}/simulator/api/send",
                        json={
                            "user": USER,
                            "name": "Bia",
                            "choice_id": choice_id,
                            "title": title,
                            "kind": "list" if interactive["type"] == "list" else "button",
                        },
                    )
                    assert sent.status_code == 200, sent.text
                    return self.wait(expect)
        raise AssertionError(f"no option {title!r} in the chat")


def text_of(body: dict[str, Any]) -> str:
    if body.get("type") == "text":
        return str(body["text"]["body"])
    if body.get("type") == "interactive":
        interactive = body["interactive"]
        rows = [r["title"] for s in interactive["action"].get("sections", []) for r in s["rows"]]
        buttons = [b["reply"]["title"] for b in interactive["action"].get("buttons", [])]
        link = interactive["action"].get("parameters", {})  # a cta_url: the button and its URL
        opens = [f"[{link['display_text']}] {link['url']}"] if "url" in link else []
        return "\n".join([interactive["body"]["text"], *rows, *buttons, *opens])
    if body.get("type") == "document":
        return f"[document {body['document'].get('filename')}]"
    return f"[{body.get('type')}]"


class Operator:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.http = httpx.Client(timeout=10, trust_env=False, follow_redirects=False)

    def token(self, path: str) -> str:
        found = re.search(
            r'name="csrf_token" value="([^"]+)"', self.http.get(self.origin + path).text
        )
        assert found
        return found.group(1)

    def login(self, username: str, password: str) -> None:
        answer = self.http.post(
            f"{self.origin}/console/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": self.token("/console/login"),
            },
        )
        assert answer.status_code == 303, answer.text

    def page(self, path: str) -> str:
        return self.http.get(self.origin + path).text

    def post(self, path: str, **data: str) -> httpx.Response:
        answer = self.http.post(
            self.origin + path, data={"csrf_token": self.token("/console"), **data}
        )
        assert answer.status_code in (200, 303), answer.text
        return answer


def test_pay_book_talk_to_a_person_and_come_back_in_the_sandbox(tmp_path: Path) -> None:
    env = sandbox_env(f"sqlite:///{tmp_path}/sandbox.sqlite3")
    seeded = subprocess.run(
        [DRESBACH, "demo", "seed"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "usuário demo, senha console-demo" in seeded.stdout
    service = ServiceProcess(env).start()
    try:
        customer, operator = SimulatedCustomer(service.origin), Operator(service.origin)
        customer.says("oi", "Como posso ajudar")
        customer.taps("Consultoria Tech Ops", "Em qual área")
        customer.taps("Segurança da informação", "")
        customer.says("Nosso servidor foi invadido ontem.", "empresa")
        customer.says("Padaria Boa Massa", "")
        customer.taps("De 10 a 49 pessoas", "")
        customer.taps("É urgente", "")
        customer.says("bia@boamassa.com.br", "")
        customer.taps("Sim, pode ser", "")
        customer.taps("Pular", "Está tudo certo?")
        customer.taps("Está tudo certo", "R$ 1.800,00")
        customer.taps("Pagar e agendar", "000201")  # the Pix copia e cola

        # the operator sees the open charge in the console and confirms it
        operator.login("demo", "console-demo")
        payments = operator.page("/console/payments")
        txid = re.search(r'data-testid="charge" data-txid="([^"]+)"', payments)
        assert txid is not None, payments
        operator.post(f"/console/payments/{txid.group(1)}/approve")
        shown = customer.wait("Outros horários")
        assert any("Pagamento confirmado" in text_of(b) for b in shown)

        # a slot, the confirmation and the invitation
        slot = next(
            r["title"]
            for b in shown
            if b.get("type") == "interactive"
            for s in b["interactive"]["action"]["sections"]
            for r in s["rows"]
        )
        booked = customer.taps(slot, "[document diagnostico-dresbach.ics]")
        assert any("Reunião marcada" in text_of(b) for b in booked)

        # the consultant's hand-off waits in the console with the context
        deadline = time.monotonic() + 10
        queue = operator.page("/console")
        while "Padaria Boa Massa" not in queue and time.monotonic() < deadline:
            time.sleep(0.2)
            queue = operator.page("/console")
        handoff = re.search(r"/console/conversations/(\d+)", queue)
        assert handoff is not None, queue
        base = f"/console/conversations/{handoff.group(1)}"
        operator.post(f"{base}/take")
        customer.wait("Ana Demonstração, da equipe Dresbach, entrou na conversa")
        operator.post(f"{base}/reply", body="Olá, Bia! Já estou vendo o seu caso.")
        customer.wait("*Ana Demonstração:* Olá, Bia! Já estou vendo o seu caso.")
        sent = customer.http.post(
            f"{service.origin}/simulator/api/send",
            json={"user": USER, "name": "Bia", "text": "Obrigada!"},
        )
        assert sent.status_code == 200
        deadline = time.monotonic() + 10
        while "Obrigada!" not in operator.page(f"{base}/history") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Obrigada!" in operator.page(f"{base}/history")

        operator.post(f"{base}/hand-back")
        customer.wait("Ana Demonstração concluiu o atendimento")
    finally:
        service.stop()
