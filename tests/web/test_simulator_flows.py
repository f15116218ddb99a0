"""The simulator completes the login Flow (issue #13): the Flow message's button opens it
(`kind: "flow"`), its screens come back as questions in `form`, what the user types answers
them against the real endpoint in-process, and the completion logs the conversation in."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp

from dresbach.bootstrap import build
from dresbach.config import Secret, Settings
from dresbach.features.client_area.adapters.local_directory import DirectoryStore
from dresbach.features.client_area.credentials import enroll_totp
from dresbach.platform.whatsapp.flows_crypto import generate_key_pair
from dresbach.web.app import create_app
from tests.support.servers import serve_in_thread

USER = "5511966665555"
CPF = "529.982.247-25"
PASSWORD = "Senha-Muito-Secreta-42"
LOGIN_FLOW = "1234567890123456"


def test_the_simulator_completes_the_login_flow(tmp_path: Path) -> None:
    key = tmp_path / "private.pem"
    key.write_bytes(generate_key_pair().private_pem)
    settings = Settings(
        sandbox=True,
        database_url=f"sqlite:///{tmp_path}/sandbox.sqlite3",
        secret_key=Secret("55" * 32),
        whatsapp_flows_private_key=str(key),
        whatsapp_flow_login_id=LOGIN_FLOW,
    )
    container = build(settings)
    store = DirectoryStore(container.db.engine, container.sealer)
    now = datetime.now(UTC)
    client_id = store.add_client(
        document=CPF, name="Maria Souza", email="maria@exemplo.com.br", password=PASSWORD, now=now
    )
    totp = pyotp.TOTP(enroll_totp(container.db.engine, container.sealer, client_id, now))
    with serve_in_thread(create_app(container)) as origin, httpx.Client(trust_env=False) as http:

        def send(**data: Any) -> dict[str, Any]:
            sent = http.post(f"{origin}/simulator/api/send", json={"user": USER, **data})
            assert sent.status_code == 200, sent.text
            answer: dict[str, Any] = sent.json()
            return answer

        def bodies() -> list[dict[str, Any]]:
            found = http.get(f"{origin}/simulator/api/messages", params={"user": USER})
            return [m["body"] for m in found.json()["messages"]]

        def waits_for(test: Any) -> list[dict[str, Any]]:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if test(seen := bodies()):
                    return seen
                time.sleep(0.1)
            raise AssertionError(bodies()[-3:])

        send(text="oi")
        waits_for(lambda b: any("Área do Cliente" in str(x) for x in b))
        menu = next(b for b in reversed(bodies()) if b.get("type") == "interactive")
        action = menu["interactive"]["action"]
        rows = [r for section in action.get("sections", []) for r in section["rows"]]
        options = [b["reply"] for b in action.get("buttons", [])] + rows
        area = next(o["id"] for o in options if o["title"] == "Área do Cliente")
        kind = "button" if action.get("buttons") else "list"
        send(choice_id=area, title="Área do Cliente", kind=kind)
        found = waits_for(lambda b: any(x.get("interactive", {}).get("type") == "flow" for x in b))
        flow = next(x for x in found if x.get("interactive", {}).get("type") == "flow")
        parameters = flow["interactive"]["action"]["parameters"]

        opened = send(kind="flow", choice_id=parameters["flow_token"], flow_id=LOGIN_FLOW)
        assert "*CPF ou CNPJ*" in "\n".join(opened["form"])
        assert "*Senha*" in "\n".join(send(text=CPF)["form"])
        assert "*Código*" in "\n".join(send(text=PASSWORD)["form"])
        assert send(text=totp.now())["form"] == ["Formulário concluído e enviado."]
        waits_for(lambda b: "Serviços ativos" in str(b[-3:]))
    container.db.close()
