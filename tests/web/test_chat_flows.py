"""`dresbach chat` completes the Área do Cliente's WhatsApp Flows (issue #13): with the Flows key
and the Flows published, the Flow the bot sends is option 0; its screens come one question per
message; the answers go to the real endpoint in-process, encrypted and signed as WhatsApp does;
the completion reaches the chat as WhatsApp's `nfm_reply`. Without the key, the chat login."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest

from dresbach.bootstrap import Container, build
from dresbach.cli.chat import FLOW_LABEL, ChatSession
from dresbach.config import Secret, Settings
from dresbach.features.client_area.adapters.local_directory import DirectoryStore
from dresbach.features.client_area.credentials import enroll_totp
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.platform.whatsapp.flows_crypto import generate_key_pair

USER = "5511955554444"
CPF = "529.982.247-25"
PASSWORD = "Senha-Muito-Secreta-42"
LOGIN_FLOW = "1234567890123456"
TICKET_FLOW = "2234567890123456"


def _container(tmp_path: Path, *, flows: bool = True) -> tuple[Container, pyotp.TOTP]:
    key = tmp_path / "private.pem"
    key.write_bytes(generate_key_pair().private_pem)
    more: dict[str, object] = {}
    if flows:
        more = {
            "whatsapp_flows_private_key": str(key),
            "whatsapp_flow_login_id": LOGIN_FLOW,
            "whatsapp_flow_ticket_id": TICKET_FLOW,
        }
    settings = Settings(
        sandbox=True,
        database_url=f"sqlite:///{tmp_path}/sandbox.sqlite3",
        secret_key=Secret("44" * 32),
        **more,  # type: ignore[arg-type]
    )
    container = build(settings)
    store = DirectoryStore(container.db.engine, container.sealer)
    now = datetime.now(UTC)
    client_id = store.add_client(
        document=CPF, name="Maria Souza", email="maria@exemplo.com.br", password=PASSWORD, now=now
    )
    secret = enroll_totp(container.db.engine, container.sealer, client_id, now)
    return container, pyotp.TOTP(secret)


def test_dresbach_chat_completes_the_login_flow_and_the_ticket_flow(tmp_path: Path) -> None:
    container, totp = _container(tmp_path)
    chat = ChatSession(container, USER, "Maria Souza")

    async def says(*lines: str) -> str:
        return "\n".join([reply for typed in lines for reply in await chat.say(typed)])

    async def conversation() -> tuple[str, str]:
        seen = await says("oi", "2")  # the menu, Área do Cliente
        assert f"  {FLOW_LABEL}. Entrar com segurança (formulário)" in seen
        seen += await says(FLOW_LABEL, CPF, PASSWORD, totp.now())
        shown = await says("chamados")
        lines = [line.strip() for line in shown.splitlines()]
        new = next(line.split(".")[0] for line in lines if line.endswith("Abrir novo chamado"))
        shown += await says(new)
        assert f"  {FLOW_LABEL}. Abrir chamado (formulário)" in shown
        shown += await says(FLOW_LABEL, "1", "oi", "Uma mensagem longa o bastante para valer.")
        # the screen again, with the error: every field once more
        message = "Desde hoje cedo o site mostra erro 500 em todas as páginas."
        shown += await says("1", "Site fora do ar", message)
        return seen, shown

    try:
        seen, shown = asyncio.run(conversation())
        assert "Formulário do WhatsApp" in seen
        assert "*CPF ou CNPJ*" in seen
        assert "*Senha*" in seen
        assert "no WhatsApp este campo fica oculto" in seen
        assert "*Código*" in seen
        assert "Formulário concluído e enviado." in seen
        assert "Serviços ativos" in seen  # logged in: the area's menu
        assert f"⚠️ {TEXTS['text_short']}" in shown
        assert "O seu chamado #" in shown
        assert "foi aberto no departamento" in shown
    finally:
        asyncio.run(container.aclose())


@pytest.mark.parametrize("flows", [False])
def test_without_the_flows_key_dresbach_chat_keeps_the_chat_login(
    tmp_path: Path, flows: bool
) -> None:
    container, _totp = _container(tmp_path, flows=flows)
    chat = ChatSession(container, USER, "Maria Souza")

    async def conversation() -> str:
        seen: list[str] = []
        for typed in ("oi", "2"):
            seen += await chat.say(typed)
        return "\n".join(seen)

    try:
        seen = asyncio.run(conversation())
        assert TEXTS["start"] in seen
        assert "(formulário)" not in seen
    finally:
        asyncio.run(container.aclose())
