"""`dresbach chat`: a conversation in the terminal through the real pipeline (sandbox sink).

Buttons and list rows are shown numbered; typing the number chooses it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
import uuid
from typing import Any, TextIO

from dresbach.bootstrap import Container, build
from dresbach.config import load_settings
from dresbach.integrations.whatsapp import payloads
from dresbach.integrations.whatsapp.parse import parse_webhook
from dresbach.runtime import sandbox_store

Choice = tuple[str, str, str]  # kind, id, title


def render(body: dict[str, Any]) -> tuple[str, list[Choice]]:
    """A Graph API request body as terminal text, and the choices it offers."""
    kind = body.get("type")
    if kind == "text":
        return str(body["text"]["body"]), []
    if kind == "interactive":
        interactive = body["interactive"]
        lines = []
        if "header" in interactive:
            lines.append(f"*{interactive['header']['text']}*")
        lines.append(interactive["body"]["text"])
        choices: list[Choice] = []
        if interactive["type"] == "button":
            for b in interactive["action"]["buttons"]:
                choices.append(("button_reply", b["reply"]["id"], b["reply"]["title"]))
        else:
            lines.append(f"[{interactive['action']['button']}]")
            for section in interactive["action"]["sections"]:
                if section.get("title"):
                    lines.append(f"  {section['title']}")
                for row in section["rows"]:
                    choices.append(("list_reply", row["id"], row["title"]))
        for n, (_kind, _id, title) in enumerate(choices, start=1):
            lines.append(f"  {n}. {title}")
        if "footer" in interactive:
            lines.append(f"_{interactive['footer']['text']}_")
        return "\n".join(lines), choices
    if kind in ("image", "document"):
        media = body[kind]
        label = "imagem" if kind == "image" else f"documento {media.get('filename', '')}".strip()
        caption = f": {media['caption']}" if media.get("caption") else ""
        return f"[{label}{caption}]", []
    if kind == "template":
        return f"[modelo {body['template']['name']}]", []
    return f"[{kind}]", []


class ChatSession:
    """One terminal user talking to the pipeline."""

    def __init__(self, container: Container, user: str, name: str) -> None:
        self.container, self.user, self.name = container, user, name
        self.after = 0
        self.choices: list[Choice] = []
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]

    async def say(self, typed: str) -> list[str]:
        message_id = f"wamid.chat.{self._run}.{next(self._ids)}"
        now = int(time.time())
        typed = typed.strip()
        if typed.isdigit() and self.choices and 1 <= int(typed) <= len(self.choices):
            kind, choice_id, title = self.choices[int(typed) - 1]
            message = payloads.reply_message(message_id, self.user, kind, choice_id, title, now)
        else:
            message = payloads.text_message(message_id, self.user, typed, now)
        batch = parse_webhook(payloads.envelope([message], wa_id=self.user, name=self.name))
        await self.container.pipeline.take_in_all(
            [(m.event, m.payload) for m in batch.messages], batch.statuses
        )
        await self.settle()
        return await self.replies()

    async def settle(self) -> None:
        """Run what the step queued (a Pix charge, say), then send everything due."""
        await self.container.jobs.drain()
        await self.container.sender.drain()

    async def replies(self) -> list[str]:
        db = self.container.db
        found = await db.run(sandbox_store.messages_for, db.engine, self.user, self.after)
        shown = []
        for item in found:
            self.after = item["id"]
            text, choices = render(item["body"])
            if choices:
                self.choices = choices
            shown.append(text)
        return shown


async def _loop(container: Container, user: str, name: str, stdin: TextIO, out: TextIO) -> None:
    session = ChatSession(container, user, name)
    print("Conversa local com a Dresbach Assistente. Ctrl-D para sair.\n", file=out)
    try:
        while True:
            print("você> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if not line.strip():
                continue
            for reply in await session.say(line):
                print(f"\nbot> {reply}\n", file=out)
    finally:
        await container.aclose()


def chat(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.sandbox:
        print(
            "Erro: o `dresbach chat` conversa pelo simulador local. Rode com DRESBACH_SANDBOX=1 "
            "(nada chega ao WhatsApp).",
            file=sys.stderr,
        )
        return 1
    container = build(settings)
    asyncio.run(_loop(container, args.user, args.name, sys.stdin, sys.stdout))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("chat", help="talk to the bot in the terminal (sandbox)")
    parser.add_argument("--user", default="5511999990000", help="your WhatsApp number (digits)")
    parser.add_argument("--name", default="Visitante", help="your WhatsApp profile name")
    parser.set_defaults(func=chat)
