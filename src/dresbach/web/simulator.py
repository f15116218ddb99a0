"""`/simulator` (sandbox mode only): a chat page that talks to the real pipeline.

What the page sends is built as a real webhook body and goes through the same parser and unit
of work as Meta's; what it shows is read from the sandbox sink, as Graph API request bodies.

A WhatsApp Flow the bot sends opens from its button (`kind: "flow"`, the token as `choice_id`):
its screens come back as questions in `form` (one field per message) and what the user types
meanwhile answers them, submitted to the real endpoint in-process as WhatsApp does
(`SandboxFlows`); the Flow's completion is delivered as WhatsApp's `nfm_reply`.
"""

from __future__ import annotations

import itertools
import time
import uuid
from html import escape
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container, sandbox_flows
from dresbach.platform.outbound.media import load_blob
from dresbach.platform.whatsapp import payloads, sandbox_store
from dresbach.platform.whatsapp.parse import parse_webhook

MAX_TEXT = 4096


def routes(container: Container) -> list[Route]:
    counter = itertools.count(1)
    run = uuid.uuid4().hex[:10]
    flows = sandbox_flows(container)

    async def deliver(message: dict[str, Any], user: str, name: str) -> None:
        batch = parse_webhook(payloads.envelope([message], wa_id=user, name=name))
        await container.pipeline.receive(
            [(m.event, m.payload) for m in batch.messages], batch.statuses
        )

    async def in_flow(data: dict[str, Any], user: str, name: str) -> list[str] | None:
        """The Flow's questions, when this message opens or answers one; None otherwise."""
        if data.get("kind") == "flow":
            token = str(data.get("choice_id") or "")
            return await flows.open(user, str(data.get("flow_id") or ""), token)
        if not flows.walking(user) or data.get("choice_id"):
            return None
        shown, response_json = await flows.answer(user, str(data.get("text") or "")[:MAX_TEXT])
        if response_json is not None:
            message_id = f"wamid.sim.{run}.{next(counter)}"
            now = int(time.time())
            reply = payloads.flow_reply_message(message_id, user, response_json, now)
            await deliver(reply, user, name)
        return shown

    async def page(_request: Request) -> Response:
        html = files("dresbach.web").joinpath("static/simulator.html").read_text("utf-8")
        return HTMLResponse(html)

    async def send(request: Request) -> Response:
        try:
            data = await request.json()
        except ValueError:
            return JSONResponse({"erro": "Corpo inválido."}, status_code=400)
        if not isinstance(data, dict):
            return JSONResponse({"erro": "Corpo inválido."}, status_code=400)
        user = str(data.get("user") or "").strip()
        if not user.isdigit() or not 8 <= len(user) <= 15:
            return JSONResponse(
                {"erro": "Informe um número de WhatsApp com DDI e DDD, só dígitos."},
                status_code=400,
            )
        name = str(data.get("name") or "Visitante")[:60]
        form = await in_flow(data, user, name)
        if form is not None:
            return JSONResponse({"form": form})
        message_id = f"wamid.sim.{run}.{next(counter)}"
        now = int(time.time())
        if data.get("choice_id"):
            kind = "list_reply" if data.get("kind") == "list" else "button_reply"
            message = payloads.reply_message(
                message_id, user, kind, str(data["choice_id"]), str(data.get("title", "")), now
            )
        else:
            text = str(data.get("text") or "")
            if not text.strip():
                return JSONResponse({"erro": "Digite uma mensagem."}, status_code=400)
            message = payloads.text_message(message_id, user, text[:MAX_TEXT], now)
        await deliver(message, user, name)
        return JSONResponse({"id": message_id})

    async def messages(request: Request) -> Response:
        user = request.query_params.get("user", "")
        after = request.query_params.get("after", "0")
        after_id = int(after) if after.isdigit() else 0
        found = await container.db.run(
            sandbox_store.messages_for, container.db.engine, user, after_id, container.sealer
        )
        return JSONResponse({"messages": found})

    async def media(request: Request) -> Response:
        row = await container.db.run(load_blob, container.db.engine, request.path_params["ref"])
        if row is None:
            return Response("mídia não encontrada", status_code=404)
        return Response(row["data"], media_type=row["mime_type"])

    return [
        Route("/simulator", page),
        Route("/simulator/media/{ref}", media),
        mail_route(container),
        Route("/simulator/api/send", send, methods=["POST"]),
        Route("/simulator/api/messages", messages),
    ]


def mail_route(container: Container) -> Route:
    """`/simulator/mail`: the e-mails the sandbox "sent" (2FA codes, notices), newest first."""

    async def mailbox(_request: Request) -> Response:
        found = await container.db.run(sandbox_store.mails, container.db.engine)
        items = (
            "".join(
                f"<article><h2>{escape(m['subject'])}</h2><p class='to'>Para: {escape(m['to'])}</p>"
                f"<pre>{escape(m['body'])}</pre></article>"
                for m in found
            )
            or "<p>Nenhum e-mail enviado ainda.</p>"
        )
        return HTMLResponse(
            "<!doctype html><html lang='pt-BR'><meta charset='utf-8'>"
            "<meta http-equiv='refresh' content='5'><title>Caixa de e-mail (sandbox)</title>"
            "<style>body{font-family:system-ui;max-width:720px;margin:2rem auto;background:#f0f2f5}"
            "article{background:#fff;border-radius:8px;padding:1rem;margin:1rem 0}"
            "pre{white-space:pre-wrap;font:inherit}.to{color:#667}</style>"
            "<h1>Caixa de e-mail do sandbox</h1>"
            "<p>O que a Dresbach Assistente enviaria por e-mail. Atualiza a cada 5 segundos.</p>"
            f"{items}</html>"
        )

    return Route("/simulator/mail", mailbox)
