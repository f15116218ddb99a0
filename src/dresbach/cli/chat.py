"""`dresbach chat`: a conversation in the terminal through the real pipeline (sandbox sink).

Buttons and list rows are shown numbered and typing the number chooses one, but only while
the bot's last message is the one that offered them; where the options themselves speak in
numbers (sizes, times, invoices) they are lettered, so a typed number stays a number. While
the user is silent the chat keeps watching: what arrives meanwhile (a payment confirmed in
another terminal, an operator's message, a reminder) is printed as it comes. The logs go to a
file, never between the turns.

A WhatsApp Flow the bot sends (the Área do Cliente's login or ticket form) is offered as option
0 while the sandbox has the Flows key: choosing it walks the Flow's screens as questions, one
per message (`platform/whatsapp/flows/form.py`), against the real endpoint in-process
(encrypted and signed as WhatsApp does), then delivers its completion (`nfm_reply`) as WhatsApp
would. Without the key the bot keeps the chat login, as always.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import sys
import tempfile
import time
import uuid
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TextIO

from dresbach.bootstrap import Container, build, sandbox_flows
from dresbach.config import Secret, Settings, load_settings
from dresbach.platform.observe import logs
from dresbach.platform.whatsapp import payloads, sandbox_store
from dresbach.platform.whatsapp.flows.form import offered
from dresbach.platform.whatsapp.parse import parse_webhook

log = logging.getLogger(__name__)

Choice = tuple[str, str, str]  # kind, id, title

PROMPT = "você> "
LETTERS = "abcdefghijklmnopqrstuvwxyz"
WATCH_EVERY = 1.0
"""Seconds between two looks for what arrived while the user is silent."""
DEFAULT_LOG = Path(tempfile.gettempdir()) / "dresbach-chat.log"
FLOW_LABEL = "0"
"""How the Flow a message offers is opened (apart from the numbered options below it)."""


def labels(choices: list[Choice]) -> list[str]:
    """How each choice is typed: 1, 2, 3…, or a, b, c… when a title holds a digit (a typed
    "5" then means five, not the fifth row)."""
    lettered = any(ch.isdigit() for _kind, _id, title in choices for ch in title)
    if lettered and len(choices) <= len(LETTERS):
        return list(LETTERS[: len(choices)])
    return [str(n) for n in range(1, len(choices) + 1)]


def render(body: dict[str, Any]) -> tuple[str, list[Choice]]:
    """A Graph API request body as terminal text, and the choices it offers."""
    kind = body.get("type")
    if kind == "text":
        return str(body["text"]["body"]), []
    if kind == "interactive" and body["interactive"].get("type") == "flow":
        interactive = body["interactive"]
        cta = interactive["action"]["parameters"].get("flow_cta", "")
        return f"{interactive['body']['text']}\n  {FLOW_LABEL}. {cta} (formulário)", []
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
        elif interactive["type"] == "cta_url":
            link = interactive["action"]["parameters"]
            lines.append(f"  [{link['display_text']}] {link['url']}")
        else:
            lines.append(f"[{interactive['action']['button']}]")
            for section in interactive["action"]["sections"]:
                if section.get("title"):
                    lines.append(f"  {section['title']}")
                for row in section["rows"]:
                    choices.append(("list_reply", row["id"], row["title"]))
        for label, (_kind, _id, title) in zip(labels(choices), choices, strict=True):
            lines.append(f"  {label}. {title}")
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
        self.choices: dict[str, Choice] = {}
        """What the bot's last message offered, by the label typed to choose it."""
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]
        self._busy = asyncio.Lock()
        self._swept = time.monotonic()
        self.offered: tuple[str, str] | None = None
        """The last Flow the bot sent: its id and its token."""
        self.flows = sandbox_flows(container)

    async def _in_flow(self, typed: str) -> list[str] | None:
        """A line for the Flow being walked (or that opens the one offered): what to show, or
        None when the line is for the bot."""
        if not self.flows.walking(self.user):
            if typed != FLOW_LABEL or self.offered is None:
                return None
            flow_id, token = self.offered
            if not self.flows.can_open(flow_id):
                return None
            self.offered = None
            return await self.flows.open(self.user, flow_id, token)
        shown, response_json = await self.flows.answer(self.user, typed)
        if response_json is not None:
            now = int(time.time())
            reply = payloads.flow_reply_message(self._message_id(), self.user, response_json, now)
            shown += await self._deliver(reply)
        return shown

    def _message_id(self) -> str:
        return f"wamid.chat.{self._run}.{next(self._ids)}"

    async def _deliver(self, message: dict[str, Any]) -> list[str]:
        batch = parse_webhook(payloads.envelope([message], wa_id=self.user, name=self.name))
        await self.container.pipeline.receive(
            [(m.event, m.payload) for m in batch.messages], batch.statuses
        )
        await self.settle()
        return await self._replies()

    async def say(self, typed: str) -> list[str]:
        """Send what the user typed (or the option it names) and return the bot's answers."""
        async with self._busy:
            in_flow = await self._in_flow(typed.strip())
            if in_flow is not None:
                return in_flow
            message_id = self._message_id()
            now = int(time.time())
            typed = typed.strip()
            chosen = self.choices.get(typed.lower())
            if chosen is not None:
                kind, choice_id, title = chosen
                message = payloads.reply_message(message_id, self.user, kind, choice_id, title, now)
            else:
                message = payloads.text_message(message_id, self.user, typed, now)
            return await self._deliver(message)

    async def arrived(self) -> list[str]:
        """What came while the user was silent: the timers are swept at the workers' pace, the
        jobs run and the outbox sent (the service or another command may have queued them)."""
        async with self._busy:
            sweep = self.container.workers.sweep
            every = self.container.workers.sweep_every
            if sweep is not None and time.monotonic() - self._swept >= every:
                self._swept = time.monotonic()
                await sweep()
            await self.settle()
            return await self._replies()

    async def settle(self) -> None:
        """Step what was stored, run what the step queued (a Pix charge, say), then send
        everything due."""
        await self.container.pipeline.drain()
        await self.container.jobs.drain()
        await self.container.sender.drain()

    async def replies(self) -> list[str]:
        async with self._busy:
            return await self._replies()

    async def _replies(self) -> list[str]:
        db = self.container.db
        found = await db.run(
            sandbox_store.messages_for, db.engine, self.user, self.after, self.container.sealer
        )
        shown = []
        for item in found:
            self.after = item["id"]
            body = item["body"]
            self.offered = offered(body) or self.offered
            text, choices = render(body)
            self.choices = dict(zip(labels(choices), choices, strict=True))
            shown.append(text)
        return shown


def _show(replies: list[str], out: TextIO) -> None:
    for reply in replies:
        print(f"\nbot> {reply}\n", file=out)


async def _watch(session: ChatSession, turn: asyncio.Lock, out: TextIO, every: float) -> None:
    """Print what arrives between turns, then the prompt again."""
    while True:
        await asyncio.sleep(every)
        async with turn:
            try:
                found = await session.arrived()
            except Exception:
                log.exception("chat: looking for new messages failed")
                continue
            if found:
                print("", file=out)
                _show(found, out)
                print(PROMPT, end="", file=out, flush=True)


async def _loop(
    container: Container,
    user: str,
    name: str,
    stdin: TextIO,
    out: TextIO,
    *,
    log_path: Path | None = None,
    every: float = WATCH_EVERY,
) -> None:
    session = ChatSession(container, user, name)
    print("Conversa local com a Dresbach Assistente. Ctrl-D para sair.", file=out)
    if log_path is not None:
        print(f"Os registros do sistema vão para {log_path}.", file=out)
    print("", file=out)
    turn = asyncio.Lock()
    watcher = asyncio.create_task(_watch(session, turn, out, every))
    try:
        print(PROMPT, end="", file=out, flush=True)
        while True:
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            async with turn:
                if line.strip():
                    _show(await session.say(line), out)
                print(PROMPT, end="", file=out, flush=True)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await container.aclose()


def _log_to(path: Path, settings: Settings) -> TextIO:
    """Every log record into `path` (masked as the service's), none on the chat's terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # owner only, like the database: the log names conversations (masked, but still)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    if os.fstat(descriptor).st_mode & 0o077:
        os.fchmod(descriptor, 0o600)
    stream = os.fdopen(descriptor, "a", encoding="utf-8")
    known = [
        value.reveal()
        for f in fields(settings)
        if isinstance(value := getattr(settings, f.name), Secret) and value
    ]
    logs.configure(level=settings.log_level, format="text", known_secrets=known, stream=stream)
    return stream


def chat(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.sandbox:
        print(
            "Erro: o `dresbach chat` conversa pelo simulador local. Rode com DRESBACH_SANDBOX=1 "
            "(nada chega ao WhatsApp).",
            file=sys.stderr,
        )
        return 1
    # a line typed in the terminal is a whole turn, and the chat waits for its answer
    settings = replace(settings, burst_seconds=0.0)
    log_path = Path(args.log_file).expanduser()
    with _log_to(log_path, settings):
        container = build(settings)
        asyncio.run(
            _loop(container, args.user, args.name, sys.stdin, sys.stdout, log_path=log_path)
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("chat", help="talk to the bot in the terminal (sandbox)")
    parser.add_argument("--user", default="5511999990000", help="your WhatsApp number (digits)")
    parser.add_argument("--name", default="Visitante", help="your WhatsApp profile name")
    parser.add_argument(
        "--log-file",
        default=str(DEFAULT_LOG),
        help=f"where the logs go, away from the conversation (default {DEFAULT_LOG})",
    )
    parser.set_defaults(func=chat)
